// Mapped but never visible (MR3010, engine/visibility.ts): small machines whose answer follows
// from the rules by hand (R-FLAT-5 first rendered wins, R-ORD-2 the later of equal priorities,
// R-FLAT-6 a terminating region under its subregions), then the real QEMU 7.2 captures, where
// every region reported must be absent from QEMU's own flat view at its address.
import { describe, expect, it } from 'vitest';
import { hiddenRegions } from '../../src/engine/visibility.js';
import { analyzeText } from '../../src/model/analyze.js';
import { importMtree } from '../../src/importer/index.js';
import type { Region } from '../../src/model/region.js';
import { captures, oracleAvailable, readCapture } from '../oracle/oracleSupport.js';

function hidden(text: string): string[] {
  const a = analyzeText(text);
  expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return hiddenRegions(a.machine).map((h) => `${h.region.name} by ${h.by.map((r) => r.name).join(',')} ${h.start.toString(16)}..${h.end.toString(16)}`);
}

const machine = (body: string) => `address-space memory root sys\ncontainer sys size 2^64 {\n${body}\n}\n`;

describe('regions mapped but never visible', () => {
  it('a region under a sibling of higher priority, but not one only partly under it', () => {
    expect(hidden(machine('  ram low size 4K at 0x1000\n  io high size 8K at 0 priority 1\n  ram part size 8K at 0x10000\n  io over size 4K at 0x10000 priority 1'))).toEqual([
      'low by high 1000..2000',
    ]);
  });

  it('of two at one address with equal priority, the earlier statement (R-ORD-2)', () => {
    expect(hidden(machine('  ram first size 4K\n  ram second size 4K'))).toEqual(['first by second 0..1000']);
  });

  it('not a terminating region under its own subregions (R-FLAT-6): they are its content', () => {
    expect(hidden(machine('  io dev size 8K {\n    io a size 4K priority -5\n    io b size 4K at 4K\n  }'))).toEqual([]);
    // Its subregions hidden by a sibling are hidden with it: reported once, as the region.
    expect(hidden(machine('  io dev size 8K {\n    io a size 4K\n  }\n  ram top size 8K priority 1'))).toEqual(['dev by top 0..2000']);
  });

  it('a hidden container is reported once, not each region inside it', () => {
    expect(hidden(machine('  container pci size 64K priority -1 {\n    io r1 size 4K\n    io r2 size 4K at 8K\n  }\n  ram ram size 64K'))).toEqual([
      'pci by ram 0..3000',
    ]);
  });

  it('an alias that is hidden, and not the target it maps', () => {
    expect(hidden(machine('  alias lowmem -> mem size 64K\n  alias flash -> rom0 size 64K\n  alias high -> mem size 64K at 1M') + 'ram mem size 64K\nrom rom0 size 64K\n')).toEqual([
      'lowmem by flash 0..10000',
    ]);
  });

  it('not a region visible somewhere else: through an alias, or in another address space', () => {
    // bios is hidden at 0xf0000 by shadow, but seen through the alias at 1M.
    expect(hidden(machine('  rom bios size 64K at 0xf0000\n  ram shadow size 64K at 0xf0000 priority 1\n  alias hi -> bios at 1M'))).toEqual([]);
    // io-space only: hidden in `memory`, visible in `I/O`.
    const two = 'address-space memory root sys\naddress-space io root iosp\ncontainer sys size 64K {\n  alias dev-m -> dev\n  ram r size 64K priority 1\n}\ncontainer iosp size 64K {\n  alias dev-i -> dev\n}\nio dev size 4K\n';
    expect(hidden(two)).toEqual(['dev-m by r 0..1000']);
  });

  it('not what is never rendered: disabled, clipped away by its container, or in no address space', () => {
    expect(hidden(machine('  ram off size 4K disabled\n  ram r size 4K\n  container small size 4K at 64K {\n    io outside size 4K at 8K\n  }') + 'ram lonely size 4K\n')).toEqual([]);
  });

  it('names at most three of what covers it, and counts them all', () => {
    const a = analyzeText(machine('  ram big size 16K\n  io a size 4K priority 1\n  io b size 4K at 4K priority 1\n  io c size 4K at 8K priority 1\n  io d size 4K at 12K priority 1'));
    const [h] = hiddenRegions(a.machine);
    expect([h.region.name, h.by.map((r: Region) => r.name), h.byCount]).toEqual(['big', ['a', 'b', 'c'], 4]);
  });
});

/** The leaf names of a flat capture at `addr` in the block of address space `space`. */
function flatOwner(flat: string, space: string, addr: bigint): string | undefined {
  for (const block of flat.split(/\n\s*\n/)) {
    if (!block.includes(` AS "${space}"`)) continue;
    for (const line of block.split('\n')) {
      const m = /^\s+([0-9a-f]{16})-([0-9a-f]{16}) \([^)]*\): (\S+)/.exec(line);
      if (m && BigInt('0x' + m[1]) <= addr && addr <= BigInt('0x' + m[2])) return m[3];
    }
  }
  return undefined;
}

/** Names of the terminating regions a region renders: its subtree, through alias targets. */
function leafNames(r: Region): Set<string> {
  const out = new Set<string>();
  const todo = [r];
  for (let n = 0; todo.length > 0 && n < 10_000; n++) {
    const x = todo.pop()!;
    if (x.kind === 'alias') {
      if (x.alias) todo.push(x.alias);
    } else {
      if (x.kind !== 'container') out.add(x.name);
      todo.push(...x.children);
    }
  }
  return out;
}

describe.skipIf(!oracleAvailable())('regions never visible in the QEMU 7.2 captures', () => {
  const found: string[] = [];
  it.each(captures().map((c) => [c.name, c] as const))('%s: what is reported is not in QEMU\'s flat view there', (name, c) => {
    const imported = importMtree(readCapture(c.files.mtreeD), { qtree: c.files.qtree ? readCapture(c.files.qtree) : undefined });
    const flat = readCapture(c.files.flat);
    for (const h of hiddenRegions(analyzeText(imported.text).machine)) {
      found.push(`${name}: ${h.region.name}`);
      const owner = flatOwner(flat, h.spaces[0].name, h.start);
      expect(owner).toBeDefined();
      expect(leafNames(h.region).has(owner!)).toBe(false);
    }
  });

  it('finds what firmware shadows and what a board remaps, and nothing else', () => {
    // Checked by hand against the captures: after SeaBIOS the PAM aliases show RAM over pc.rom
    // and isa-bios (neither appears in the flat view), and vexpress maps its flash alias over
    // the low-memory alias at 0.
    expect(found.sort()).toEqual([
      'arm-vexpress-a9: vexpress.lowmem',
      'x86_64-pc-devs-seabios: isa-bios',
      'x86_64-pc-devs-seabios: pc.rom',
      'x86_64-q35-devs-seabios: isa-bios',
      'x86_64-q35-devs-seabios: pc.rom',
    ]);
  });
});
