// symbolAt finds a region declaration by binary search when region names ascend with their ids
// (one document's regions); it must answer as the search of every region in id order does, for
// any offset: on corpus texts, damaged ones and token soups (names missing, ids, includes).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/model/analyze.js';
import { type SymbolAt, type SymbolIndex, symbolAt } from '../../src/model/build.js';
import { grammarTokens, loadCorpus } from '../robustness/harness.js';

const inside = (s: { start: number; end: number }, o: number) => s.start <= o && o <= s.end;

/** The search in id order, as symbolAt did it for every region. */
function reference(index: SymbolIndex, offset: number): SymbolAt | null {
  for (const r of index.regionRefs) {
    if (r.target && inside(r.span, offset)) return { kind: 'region', region: r.target, span: r.span, declaration: false };
  }
  for (const c of index.constantRefs) {
    if (c.constant && inside(c.span, offset)) return { kind: 'constant', constant: c.constant, span: c.span, declaration: false };
  }
  for (const r of index.regions) {
    if (inside(r.nameSpan, offset) && r.nameSpan.end > r.nameSpan.start) {
      return { kind: 'region', region: r.region, span: r.nameSpan, declaration: true };
    }
    if (r.idSpan && inside(r.idSpan, offset)) return { kind: 'region', region: r.region, span: r.idSpan, declaration: true };
  }
  for (const c of index.constants) {
    if (inside(c.nameSpan, offset)) return { kind: 'constant', constant: c, span: c.nameSpan, declaration: true };
  }
  for (const s of index.spaces) {
    if (inside(s.nameSpan, offset)) return { kind: 'space', space: s.space, span: s.nameSpan, declaration: true };
  }
  return null;
}

function check(text: string): void {
  const { index } = analyzeText(text);
  for (let o = 0; o <= text.length; o++) {
    const got = symbolAt(index, o);
    const want = reference(index, o);
    expect(got === null ? null : { ...got, region: (got as { region?: { id: number } }).region?.id })
      .toEqual(want === null ? null : { ...want, region: (want as { region?: { id: number } }).region?.id });
  }
}

describe('symbolAt', () => {
  it('answers as the search in id order on every corpus text', () => {
    for (const c of loadCorpus()) if (c.text.length < 20_000) check(c.text);
  });

  it('answers as the search in id order on token soups', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...grammarTokens, '\n', 'id', 'x', 'y', '{', '}'), { maxLength: 60 }), (toks) => check(toks.join(' '))),
      { numRuns: 300 },
    );
  });
});
