// symbolAt finds a region declaration by binary search when region names ascend with their ids
// (one document's regions); it must answer as the search of every region in id order does, for
// any offset: on corpus texts, damaged ones and token soups (names missing, ids, includes). The
// order and the aliases the builder records while creating regions equal a scan of the index.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/model/analyze.js';
import { type SymbolAt, type SymbolIndex, aliasRegions, recordedOrder, symbolAt } from '../../src/model/build.js';
import type { IncludeContext } from '../../src/model/include.js';
import { checkRecordedOrder } from './recordedOrder.js';
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

function check(text: string, include?: IncludeContext): void {
  const { index, machine } = analyzeText(text, include);
  checkRecordedOrder(index, machine);
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

  it('answers as the search in id order with included regions (names out of order)', () => {
    const files: Record<string, string> = {
      '/p/a.mrd': 'ram inc.a size 4K\nalias inc.al -> top size 1K id ia\n',
      '/p/b.mrd': 'container inc.b size 8K { ram inc.r size 4K }\ninclude "a.mrd"\n',
    };
    const include: IncludeContext = { path: '/p/top.mrd', read: (p) => (p in files ? { text: files[p] } : { error: 'missing' }) };
    const text = 'container top size 64K id t {\n  ram r0 size 4K\n  alias w -> inc.a size 1K at 0x8000\n}\ninclude "b.mrd"\nram last size 4K id l\n';
    check(text, include);
    expect(recordedOrder(analyzeText(text, include).index)!.sorted).toBe(false);
  });

  it('records the aliases of a document without PCI (corpus texts with PCI record none)', () => {
    const text = 'container sys size 2^64 { alias a -> r size 4K }\nram r size 64K\n';
    check(text);
    expect(aliasRegions(analyzeText(text).index)?.length).toBe(1);
  });

  it('answers as the search in id order on token soups', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...grammarTokens, '\n', 'id', 'x', 'y', '{', '}'), { maxLength: 60 }), (toks) => check(toks.join(' '))),
      { numRuns: 300 },
    );
  });
});
