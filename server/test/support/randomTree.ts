// Random region trees for the differential tests (robustness/flattenMore.test.ts,
// robustness/visibilityDiff.test.ts): containers, terminating regions, aliases (of aliases and
// of containers, with their own ignored subregions), offsets and windows near 2^64, nonvolatile,
// romd mode, readonly containers, tied priorities. Acyclic: a region is never added below one
// it reaches.
import { type Region, TWO_64, addSubregion } from '../../src/model/region.js';
import { rng } from '../robustness/harness.js';
import { TestMachine } from './machineBuilder.js';

function reaches(from: Region, to: Region, seen = new Set<Region>()): boolean {
  if (from === to) return true;
  if (seen.has(from)) return false;
  seen.add(from);
  if (from.alias && reaches(from.alias, to, seen)) return true;
  return from.children.some((c) => reaches(c, to, seen));
}

export function randomTree(seed: number, machine?: TestMachine): Region {
  const rnd = rng(seed);
  const t = machine ?? new TestMachine();
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
