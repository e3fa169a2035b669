// More of the flattening differential (server/test/engine/flatten.test.ts has the base one):
// random trees that also vary nonvolatile, romd mode and readonly containers, give aliases
// their own (ignored) subregions, take alias offsets and windows near 2^64, build aliases of
// aliases of containers whose terminating children lie past the alias window, and tie
// priorities more often. Compared with the brute-force reference.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flattenView } from '../../src/engine/flatten.js';
import { type Region, TWO_64, addSubregion } from '../../src/model/region.js';
import { TestMachine } from '../support/machineBuilder.js';
import { referenceFlatten } from '../support/referenceFlatten.js';
import { rng } from './harness.js';

function reaches(from: Region, to: Region, seen = new Set<Region>()): boolean {
  if (from === to) return true;
  if (seen.has(from)) return false;
  seen.add(from);
  if (from.alias && reaches(from.alias, to, seen)) return true;
  return from.children.some((c) => reaches(c, to, seen));
}

function randomTree(seed: number): Region {
  const rnd = rng(seed);
  const t = new TestMachine();
  const sizes = [0n, 1n, 0x10n, 0x40n, 0x100n, 0x1000n, TWO_64, TWO_64 - 1n, 1n << 63n];
  const offsets = [0n, 0x8n, 0x10n, 0x30n, 0x80n, 0xff0n, 0xfffn, 0xffff_ffff_ffff_fff0n, TWO_64 - 1n, 1n << 63n];
  const all: Region[] = [];
  const root = t.region({ kind: 'container', name: 'root', size: TWO_64 });
  all.push(root);
  const n = 3 + rnd(18);
  for (let i = 0; i < n; i++) {
    const kind = (['container', 'io', 'ram', 'alias', 'alias', 'romd', 'container', 'ramd'] as const)[rnd(8)];
    const size = sizes[rnd(sizes.length)];
    const name = `r${i}`;
    let r: Region;
    const flags = { enabled: rnd(6) !== 0, readonly: rnd(5) === 0, nonvolatile: rnd(6) === 0 };
    if (kind === 'alias') {
      // Prefer aliases of aliases and of containers.
      const pool = all.filter((x) => x.kind === 'alias' || x.kind === 'container');
      const target = rnd(2) === 0 && pool.length > 0 ? pool[rnd(pool.length)] : all[rnd(all.length)];
      r = t.alias(name, target, offsets[rnd(offsets.length)], size, flags);
    } else {
      r = t.region({ kind, name, size, ...flags, romdMode: kind === 'romd' ? rnd(2) === 0 : true });
    }
    // Any region may be a parent, aliases included (their children are never rendered, R-FLAT-4).
    const parent = all[rnd(all.length)];
    const cyclic = reaches(r, parent);
    if (!cyclic && rnd(6) !== 0) addSubregion(parent, offsets[rnd(offsets.length)], r, rnd(2) - rnd(2));
    all.push(r);
  }
  return root;
}

const norm = (r: { start: bigint; size: bigint; mr: Region; offsetInRegion: bigint; readonly: boolean; nonvolatile: boolean }) =>
  `${r.start.toString(16)}+${r.size.toString(16)} ${r.mr.name} @${r.offsetInRegion.toString(16)}${r.readonly ? ' ro' : ''}${r.nonvolatile ? ' nv' : ''}`;

describe('flatten: wider differential against the brute-force reference', () => {
  it('random trees with nv, romd mode, readonly containers, aliases of aliases, windows near 2^64', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0x7fffffff }), (seed) => {
        const root = randomTree(seed);
        expect(flattenView(root).map(norm)).toEqual(referenceFlatten(root).map(norm));
      }),
      { numRuns: 1500 },
    );
  });

  it('alias of an alias of a container whose terminating child lies past the alias window', () => {
    const t = new TestMachine();
    const sys = t.region({ kind: 'container', name: 'sys', size: TWO_64 });
    const box = t.region({ kind: 'container', name: 'box', size: 0x10000n });
    t.add(box, 0x0n, { kind: 'ram', name: 'inside', size: 0x1000n });
    t.add(box, 0x8000n, { kind: 'io', name: 'past', size: 0x1000n });
    const inner = t.alias('inner', box, 0n, 0x4000n);
    addSubregion(sys, 0x10_0000n, t.alias('outer', inner, 0x800n, 0x8000n, { nonvolatile: true }), 0);
    const got = flattenView(sys).map(norm);
    expect(got).toEqual(referenceFlatten(sys).map(norm));
    // `past` is beyond inner's 16K window: only inside's bytes 0x800.. show, nonvolatile.
    expect(got).toEqual(['100000+800 inside @800 nv']);
  });
});
