// Flattening against hand-checked examples from the spec (rule ids cited) and against a
// brute-force reference on random trees.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flattenView } from '../../src/engine/flatten.js';
import { flatRangeLine } from '../../src/engine/flatPrint.js';
import { type Region, TWO_64, addSubregion } from '../../src/model/region.js';
import { TestMachine } from '../support/machineBuilder.js';
import { referenceFlatten } from '../support/referenceFlatten.js';

const lines = (root: Region) => flattenView(root).map(flatRangeLine);

describe('flatten: hand-checked examples', () => {
  it('R-FLAT-6: a terminating region lies under its children; gaps show it with @offset (Example A)', () => {
    const t = new TestMachine();
    const io = t.region({ kind: 'io', name: 'io', size: 0x10000n });
    const rtc = t.add(io, 0x70n, { kind: 'io', name: 'rtc', size: 2n });
    t.add(rtc, 0n, { kind: 'io', name: 'rtc-index', size: 1n }, -5);
    t.add(io, 0xcf8n, { kind: 'io', name: 'pci-conf-idx', size: 4n });
    t.add(io, 0xcf9n, { kind: 'io', name: 'piix3-reset-control', size: 1n }, 1);
    expect(lines(io)).toEqual([
      '  0000000000000000-000000000000006f (prio 0, i/o): io',
      '  0000000000000070-0000000000000070 (prio -5, i/o): rtc-index',
      '  0000000000000071-0000000000000071 (prio 0, i/o): rtc @0000000000000001',
      '  0000000000000072-0000000000000cf7 (prio 0, i/o): io @0000000000000072',
      '  0000000000000cf8-0000000000000cf8 (prio 0, i/o): pci-conf-idx',
      '  0000000000000cf9-0000000000000cf9 (prio 1, i/o): piix3-reset-control',
      '  0000000000000cfa-0000000000000cfb (prio 0, i/o): pci-conf-idx @0000000000000002',
      '  0000000000000cfc-000000000000ffff (prio 0, i/o): io @0000000000000cfc',
    ]);
  });

  it('R-FLAT-2 step 1: a disabled container hides its whole subtree', () => {
    const t = new TestMachine();
    const io = t.region({ kind: 'io', name: 'io', size: 0x100n });
    const pm = t.add(io, 0n, { kind: 'container', name: 'piix4-pm', size: 0x40n, enabled: false });
    t.add(pm, 0n, { kind: 'io', name: 'acpi-evt', size: 4n });
    t.add(io, 0n, { kind: 'io', name: 'dma-chan', size: 8n });
    expect(lines(io)).toEqual([
      '  0000000000000000-0000000000000007 (prio 0, i/o): dma-chan',
      '  0000000000000008-00000000000000ff (prio 0, i/o): io @0000000000000008',
    ]);
  });

  it('R-ORD-2 / R-FLAT-5: among equal priorities the newest sibling wins the overlap', () => {
    const t = new TestMachine();
    const sys = t.region({ kind: 'container', name: 'system', size: TWO_64 });
    t.add(sys, 0x1000n, { kind: 'io', name: 'old', size: 0x2000n });
    t.add(sys, 0x2000n, { kind: 'io', name: 'new', size: 0x2000n });
    expect(lines(sys)).toEqual([
      '  0000000000001000-0000000000001fff (prio 0, i/o): old',
      '  0000000000002000-0000000000003fff (prio 0, i/o): new',
    ]);
  });

  it('R-ORD-3: a prio-1 region inside a prio −1 container loses to a prio-0 sibling of the container', () => {
    const t = new TestMachine();
    const sys = t.region({ kind: 'container', name: 'system', size: TWO_64 });
    const ram = t.region({ kind: 'ram', name: 'pc.ram', size: 0x8000000n });
    addSubregion(sys, 0n, t.alias('ram-below-4g', ram, 0n, 0x8000000n), 0);
    const pci = t.add(sys, 0n, { kind: 'container', name: 'pci', size: TWO_64 }, -1);
    t.add(pci, 0x7ff0000n, { kind: 'io', name: 'bar', size: 0x20000n }, 1);
    expect(lines(sys)).toEqual([
      '  0000000000000000-0000000007ffffff (prio 0, ram): pc.ram',
      '  0000000008000000-000000000800ffff (prio 1, i/o): bar @0000000000010000',
    ]);
  });

  it('R-FLAT-4/8, R-FOUT-4/5: a read-only alias yields rom pieces with the leaf priority; pieces through different aliases merge', () => {
    const t = new TestMachine();
    const sys = t.region({ kind: 'container', name: 'system', size: TWO_64 });
    const ram = t.region({ kind: 'ram', name: 'pc.ram', size: 0x200000n });
    addSubregion(sys, 0xc0000n, t.alias('pam-rom', ram, 0xc0000n, 0x4000n, { readonly: true }), 1);
    addSubregion(sys, 0xc4000n, t.alias('pam-rom', ram, 0xc4000n, 0x4000n, { readonly: true }), 1);
    addSubregion(sys, 0n, t.alias('ram-below-4g', ram, 0n, 0x200000n), 0);
    expect(lines(sys)).toEqual([
      '  0000000000000000-00000000000bffff (prio 0, ram): pc.ram',
      '  00000000000c0000-00000000000c7fff (prio 0, rom): pc.ram @00000000000c0000',
      '  00000000000c8000-00000000001fffff (prio 0, ram): pc.ram @00000000000c8000',
    ]);
  });

  it('R-FLAT-5: an alias onto an empty part of a container is transparent', () => {
    const t = new TestMachine();
    const sys = t.region({ kind: 'container', name: 'system', size: TWO_64 });
    const pci = t.add(sys, 0n, { kind: 'container', name: 'pci', size: TWO_64 }, -1);
    t.add(pci, 0xa0000n, { kind: 'io', name: 'vga', size: 0x10000n }, 1);
    addSubregion(sys, 0xa0000n, t.alias('smram-region', pci, 0xa0000n, 0x20000n), 1);
    t.add(sys, 0xa0000n, { kind: 'ram', name: 'low', size: 0x20000n }, 0);
    expect(lines(sys)).toEqual([
      '  00000000000a0000-00000000000affff (prio 1, i/o): vga',
      '  00000000000b0000-00000000000bffff (prio 0, ram): low @0000000000010000',
    ]);
  });

  it('R-MR-2, R-FLAT-11: a 2^64 terminating region covers every address; 2^64 prints as 0..ffffffffffffffff', () => {
    const t = new TestMachine();
    const all = t.region({ kind: 'io', name: 'everything', size: TWO_64 });
    t.add(all, 0xffff_ffff_ffff_f000n, { kind: 'ram', name: 'top', size: 0x1000n });
    expect(lines(all)).toEqual([
      '  0000000000000000-ffffffffffffefff (prio 0, i/o): everything',
      '  fffffffffffff000-ffffffffffffffff (prio 0, ram): top',
    ]);
    const alone = new TestMachine().region({ kind: 'ram', name: 'all', size: TWO_64 });
    expect(lines(alone)).toEqual(['  0000000000000000-ffffffffffffffff (prio 0, ram): all']);
  });

  it('R-FLAT-3: clipping by the parent window and by the alias window', () => {
    const t = new TestMachine();
    const io = t.region({ kind: 'container', name: 'io', size: 0x10000n });
    t.add(io, 0xfff0n, { kind: 'io', name: 'straddle', size: 0x20n });
    t.add(io, 0x10000n, { kind: 'io', name: 'outside', size: 0x10n });
    expect(lines(io)).toEqual(['  000000000000fff0-000000000000ffff (prio 0, i/o): straddle']);
  });

  it('R-FLAT-4: an enabled alias of a disabled target renders nothing', () => {
    const t = new TestMachine();
    const sys = t.region({ kind: 'container', name: 'system', size: TWO_64 });
    const smram = t.region({ kind: 'container', name: 'smram', size: 0x100000000n, enabled: false });
    t.add(smram, 0xa0000n, { kind: 'ram', name: 'low', size: 0x20000n });
    addSubregion(sys, 0n, t.alias('smram', smram, 0n, 0x100000000n), 1);
    expect(lines(sys)).toEqual([]);
  });
});

/** True if rendering `from` can visit `to` (through children and alias targets). */
function reaches(from: Region, to: Region, seen = new Set<Region>()): boolean {
  if (from === to) return true;
  if (seen.has(from)) return false;
  seen.add(from);
  if (from.alias && reaches(from.alias, to, seen)) return true;
  return from.children.some((c) => reaches(c, to, seen));
}

// Random trees: containers, io/ram leaves, aliases (incl. chains and aliases of containers),
// priorities with ties, disabled regions, regions past their parent's end, 2^64 sizes.
function randomTree(seed: number): Region {
  let s = seed >>> 0 || 1;
  const rnd = (n: number): number => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s % n;
  };
  const t = new TestMachine();
  const sizes = [0n, 1n, 0x10n, 0x40n, 0x100n, 0x1000n, TWO_64];
  const offsets = [0n, 0x8n, 0x10n, 0x30n, 0x80n, 0xff0n, 0xffff_ffff_ffff_fff0n];
  const all: Region[] = [];
  const root = t.region({ kind: 'container', name: 'root', size: TWO_64 });
  all.push(root);
  const n = 3 + rnd(14);
  for (let i = 0; i < n; i++) {
    const kind = (['container', 'io', 'ram', 'alias', 'container', 'ram'] as const)[rnd(6)];
    const size = sizes[rnd(sizes.length)];
    const name = `r${i}`;
    let r: Region;
    if (kind === 'alias') {
      const target = all[rnd(all.length)];
      r = t.alias(name, target, offsets[rnd(3)], size, { readonly: rnd(4) === 0 });
    } else {
      r = t.region({ kind, name, size, enabled: rnd(6) !== 0, readonly: kind === 'ram' && rnd(5) === 0 });
    }
    // Only containers/terminating regions take children; aliases' own children are ignored anyway.
    const parents = all.filter((p) => p.kind !== 'alias');
    const parent = parents[rnd(parents.length)];
    // No cycles: an alias may not be placed where its target's rendering would reach it again.
    const cyclic = kind === 'alias' && reaches(r.alias!, parent);
    if (!cyclic && rnd(5) !== 0) addSubregion(parent, offsets[rnd(offsets.length)], r, rnd(3) - 1);
    all.push(r);
  }
  return root;
}

describe('flatten: differential test against the brute-force reference', () => {
  it('random region trees flatten exactly like the reference (R-FLAT-1..10)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0x7fffffff }), (seed) => {
        const root = randomTree(seed);
        const got = flattenView(root).map((r) => ({
          start: r.start, size: r.size, mr: r.mr.name, off: r.offsetInRegion, ro: r.readonly, nv: r.nonvolatile,
        }));
        const want = referenceFlatten(root).map((r) => ({
          start: r.start, size: r.size, mr: r.mr.name, off: r.offsetInRegion, ro: r.readonly, nv: r.nonvolatile,
        }));
        expect(got).toEqual(want);
      }),
      { numRuns: 400 },
    );
  });
});
