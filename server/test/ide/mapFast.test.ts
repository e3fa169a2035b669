// The memory map's float64 fast path (renderPiecesFloat, visibleSegmentsFloat and the column
// built from them) against the bigint path: the same pieces, segments, bands and hidden parts,
// including values around 2^53 and 2^64, where the fast path must give up rather than round.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderPieces, renderPiecesFloat, visibleSegments, visibleSegmentsFloat } from '../../src/engine/flatten.js';
import { type Analysis, analyzeDocument } from '../../src/ide/analysis.js';
import { mapData, mapWire } from '../../src/ide/mapData.js';
import { toWire } from '../../src/ide/mapEncode.js';
import { fromWire } from '../../src/ide/mapDecode.js';
import { type Region, TWO_64, addSubregion } from '../../src/model/region.js';
import { TestMachine } from '../support/machineBuilder.js';

const SAMPLES = path.resolve(__dirname, '../../../samples');

function reaches(from: Region, to: Region, seen = new Set<Region>()): boolean {
  if (from === to) return true;
  if (seen.has(from)) return false;
  seen.add(from);
  if (from.alias && reaches(from.alias, to, seen)) return true;
  return from.children.some((c) => reaches(c, to, seen));
}

/** A random machine whose values mix small ones with ones near 2^53 and 2^64. */
function randomMachine(values: bigint[], picks: number[]): { t: TestMachine; root: Region } {
  let k = 0;
  const pick = (n: number): number => picks[k++ % picks.length] % n;
  const t = new TestMachine();
  const all: Region[] = [t.region({ kind: 'container', name: 'root', size: TWO_64 })];
  const n = 2 + pick(25);
  for (let i = 0; i < n; i++) {
    const kind = (['container', 'io', 'ram', 'alias', 'alias', 'romd', 'container', 'rom'] as const)[pick(8)];
    const size = values[pick(values.length)];
    const flags = { enabled: pick(7) !== 0, readonly: pick(5) === 0, nonvolatile: pick(6) === 0 };
    const r = kind === 'alias'
      ? t.alias(`r${i}`, all[pick(all.length)], values[pick(values.length)] % (size + 1n), size, flags)
      : t.region({ kind, name: `r${i}`, size, ...flags });
    const parent = all[pick(all.length)];
    if (!reaches(r, parent) && pick(6) !== 0) addSubregion(parent, values[pick(values.length)] % TWO_64, r, pick(3) - 1);
    all.push(r);
  }
  t.space('memory', all[0]);
  return { t, root: all[0] };
}

const P53 = 1n << 53n;
const big = fc.oneof(
  fc.constantFrom(
    0n, 1n, 0x10n, 0x1000n, 0x8000_0000n, TWO_64, TWO_64 - 1n, 1n << 63n, P53 - 1n, P53, P53 + 1n, P53 + 2n, P53 - 0x1000n,
    0xffff_ffff_ffff_f001n, TWO_64 - 0x1000n,
  ),
  fc.bigInt({ min: 0n, max: TWO_64 }),
  fc.bigInt({ min: P53 - 0x10000n, max: P53 + 0x10000n }),
  fc.bigInt({ min: 0n, max: 1n << 20n }),
);
const machines = fc.tuple(fc.array(big, { minLength: 1, maxLength: 12 }), fc.array(fc.nat(1000), { minLength: 8, maxLength: 64 }));

const analysisOf = (t: TestMachine) => ({ machine: t.m, options: { physBits: 46, awBits: 48 } }) as unknown as Analysis;

describe('memory map: float64 fast path against the bigint path', () => {
  it('renderPiecesFloat and visibleSegmentsFloat give the bigint pieces and segments, or give up', () => {
    let fast = 0;
    fc.assert(
      fc.property(machines, ([values, picks]) => {
        const { root } = randomMachine(values, picks);
        const f = renderPiecesFloat(root);
        const { pieces, truncated } = renderPieces(root);
        if (!f) return;
        fast++;
        expect(truncated).toBe(false);
        const asPieces = Array.from({ length: f.count }, (_, i) => ({
          start: BigInt(f.start[i]), end: BigInt(f.end[i]), mr: f.mr[i], base: BigInt(f.base[i]),
          readonly: (f.flags[i] & 1) !== 0, nonvolatile: (f.flags[i] & 2) !== 0, via: f.via[i],
        }));
        expect(asPieces).toEqual(pieces);
        const s = visibleSegmentsFloat(f);
        const segs = visibleSegments(pieces);
        expect(Array.from({ length: s.count }, (_, i) => ({ start: BigInt(s.start[i]), end: BigInt(s.end[i]), piece: pieces[s.piece[i]] })))
          .toEqual(segs);
      }),
      { numRuns: 1500 },
    );
    // Most random machines are exact in doubles: the comparison above is not vacuous.
    expect(fast).toBeGreaterThan(300);
  });

  it('random machines give identical map inputs and wire forms', () => {
    const range = () => [0, 0, 0, 0] as const;
    fc.assert(
      fc.property(machines, ([values, picks]) => {
        const { t } = randomMachine(values, picks);
        const fastIn = mapData(analysisOf(t), { fresh: true });
        const exactIn = mapData(analysisOf(t), { exact: true });
        expect(fastIn).toEqual(exactIn);
        expect(toWire(fastIn, range)).toEqual(toWire(exactIn, range));
        // With the container paths the builder kept, the same wire form.
        const a = analysisOf(t);
        expect(mapWire(a, {}, range)).toEqual(toWire(mapData(a), range));
      }),
      { numRuns: 1000 },
    );
  });

  it('random machines survive the wire: the view decodes exactly the input (bands, hidden parts, regions)', () => {
    const range = (s: { start: number; end: number }) => [s.start, 1, s.end, 2] as const;
    fc.assert(
      fc.property(machines, ([values, picks]) => {
        const { t } = randomMachine(values, picks);
        const a = analysisOf(t);
        const m = mapData(a, { fresh: true });
        for (const back of [fromWire(JSON.parse(JSON.stringify(mapWire(a, {}, range)))), fromWire(structuredClone(mapWire(a, {}, range)))]) {
          expect(back.columns.map(({ flat: _, ...c }) => c)).toEqual(m.columns);
          expect(back.regions.map((r) => ({ name: r.name, kind: r.kind, priority: r.priority, path: r.path })))
            .toEqual(m.regions.map((r) => ({ name: r.name, kind: r.kind, priority: r.priority, path: r.path })));
          expect(back.limits.map((l) => l.addr)).toEqual(m.limits.map((l) => l.addr));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('the samples give identical map inputs and wire forms, at every step of their sequences', () => {
    for (const name of readdirSync(SAMPLES).filter((f) => f.endsWith('.mrd'))) {
      const a = analyzeDocument(readFileSync(path.join(SAMPLES, name), 'utf8'));
      const steps = a.pci?.runs.at(-1)?.sequence.steps.length ?? 0;
      for (let step = 0; step <= steps; step++) {
        expect(mapData(a, { step, fresh: true }), `${name} step ${step}`).toEqual(mapData(a, { step, exact: true }));
        const range = (sp: { start: number; end: number }) => [0, sp.start, 0, sp.end] as const;
        expect(mapWire(a, { step }, range), `${name} step ${step}`).toEqual(toWire(mapData(a, { step }), range));
      }
    }
  });
});
