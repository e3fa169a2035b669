// flattenView computes in float64 when every sum is exact and falls back to bigints
// otherwise: both paths must give identical flat views, including near 2^64, for aliases
// with large offsets and for windows whose ends are not representable as doubles.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flattenView, flattenViewExact } from '../../src/engine/flatten.js';
import { type Region, TWO_64, addSubregion } from '../../src/model/region.js';
import { TestMachine } from '../support/machineBuilder.js';

function reaches(from: Region, to: Region, seen = new Set<Region>()): boolean {
  if (from === to) return true;
  if (seen.has(from)) return false;
  seen.add(from);
  if (from.alias && reaches(from.alias, to, seen)) return true;
  return from.children.some((c) => reaches(c, to, seen));
}

/** Random trees mixing small values with ones that doubles cannot hold exactly. */
function randomTree(values: bigint[], picks: number[]): Region {
  let k = 0;
  const pick = (n: number): number => picks[k++ % picks.length] % n;
  const t = new TestMachine();
  const all: Region[] = [t.region({ kind: 'container', name: 'root', size: TWO_64 })];
  const n = 2 + pick(25);
  for (let i = 0; i < n; i++) {
    const kind = (['container', 'io', 'ram', 'alias', 'alias', 'romd', 'container'] as const)[pick(7)];
    const size = values[pick(values.length)];
    const flags = { enabled: pick(7) !== 0, readonly: pick(5) === 0, nonvolatile: pick(6) === 0 };
    const r = kind === 'alias'
      ? t.alias(`r${i}`, all[pick(all.length)], values[pick(values.length)] % (size + 1n), size, flags)
      : t.region({ kind, name: `r${i}`, size, ...flags });
    const parent = all[pick(all.length)];
    if (!reaches(r, parent) && pick(6) !== 0) addSubregion(parent, values[pick(values.length)] % TWO_64, r, pick(3) - 1);
    all.push(r);
  }
  return all[0];
}

const big = fc.oneof(
  fc.constantFrom(0n, 1n, 0x10n, 0x1000n, 0x8000_0000n, TWO_64, TWO_64 - 1n, 1n << 63n, (1n << 53n) + 1n, 0xffff_ffff_ffff_f001n),
  fc.bigInt({ min: 0n, max: TWO_64 }),
  fc.bigInt({ min: 0n, max: 1n << 20n }),
);

describe('flatten: float64 path against the bigint path', () => {
  it('random trees give identical flat views', () => {
    fc.assert(
      fc.property(fc.array(big, { minLength: 1, maxLength: 12 }), fc.array(fc.nat(1000), { minLength: 8, maxLength: 64 }), (values, picks) => {
        const root = randomTree(values, picks);
        expect(flattenView(root)).toEqual(flattenViewExact(root));
      }),
      { numRuns: 1500 },
    );
  });
});
