// The outline and the folding ranges made from the builder's statement outline (no syntax
// tree) equal those made from the tree, on every corpus text, within limits, and after chains
// of edits analysed incrementally. `{ ...a }` is the same analysis without its builder state,
// so it takes the tree's way.
import { describe, expect, it } from 'vitest';
import { type Analysis, analyzeDocument, defaultAnalysisOptions, statementOutline } from '../../src/ide/analysis.js';
import { foldingRanges } from '../../src/ide/folding.js';
import { outline } from '../../src/ide/symbols.js';
import type { IncludeContext } from '../../src/model/include.js';
import { loadCorpus, rng } from '../robustness/harness.js';

const viaTree = (a: Analysis): Analysis => ({ ...a });

function same(a: Analysis, limits: number[]): void {
  expect(foldingRanges(a)).toEqual(foldingRanges(viaTree(a)));
  for (const l of limits) expect(outline(a, l)).toEqual(outline(viaTree(a), l));
}

describe('outline and folding from the statement outline', () => {
  const corpus = loadCorpus();

  it('equal the syntax tree\'s on every corpus text, whole and cut', () => {
    let fast = 0;
    for (const c of corpus) {
      const a = analyzeDocument(c.text);
      if (!a.pci && statementOutline(a)) fast++;
      same(a, [Infinity, 0, 1, 3, 10]);
    }
    // Most of the corpus has no PCI statements: the outline's way is the one taken.
    expect(fast).toBeGreaterThan(corpus.length / 2);
  });

  // The language server analyses every document with an IncludeContext, so its analyses have
  // `includes` even when the text includes nothing: that alone must not send them the tree's way.
  it('are made without the syntax tree when analysed for includes that the text does not have', () => {
    const ctx: IncludeContext = { path: '/w/doc.mrd', read: () => ({ error: 'missing' }) };
    let checked = 0;
    for (const c of corpus) {
      if (/\binclude\b/.test(c.text)) continue;
      const a = analyzeDocument(c.text, defaultAnalysisOptions, undefined, ctx);
      expect(a.includes).toBeDefined();
      if (a.pci) continue;
      const expected = { folds: foldingRanges(viaTree(a)), symbols: outline(viaTree(a)) };
      Object.defineProperty(a, 'file', { get: () => { throw new Error(`${c.name}: the syntax tree was parsed`); } });
      expect(foldingRanges(a)).toEqual(expected.folds);
      expect(outline(a)).toEqual(expected.symbols);
      checked++;
    }
    expect(checked).toBeGreaterThan(corpus.length / 2);
  });

  it('equal the syntax tree\'s after edits analysed incrementally', () => {
    const rnd = rng(7);
    const pieces = ['{', '}', '\n', ' size 4K', 'ram x size 1', '# c\n', 'container c size 2^64 {\n', 'const K = 1\n', 'address-space s root x\n', '"q"', 'mmio m size 8'];
    for (let run = 0; run < 40; run++) {
      let text = corpus[rnd(corpus.length)].text;
      let a = analyzeDocument(text);
      for (let step = 0; step < 8; step++) {
        const at = rnd(text.length + 1);
        const del = rnd(4) === 0 ? rnd(Math.min(12, text.length - at) + 1) : 0;
        text = text.slice(0, at) + (rnd(3) === 0 ? '' : pieces[rnd(pieces.length)]) + text.slice(at + del);
        a = analyzeDocument(text, defaultAnalysisOptions, a);
        same(a, [Infinity, 5]);
      }
    }
  });

  // The statement outline holds the document's own statements, not its included files': a
  // document with includes gets its outline and folds from it too, the tree left unparsed.
  it('are made without the syntax tree for a document that includes files, before and after edits', () => {
    const files: Record<string, string> = {
      '/w/soc.mrd': 'const RAM = 4G\naddress-space soc root sys\ncontainer sys size 2^64 {\n  ram pc.ram size RAM\n}\n# one\n# two\n',
      '/w/dev.mrd': 'container dev size 64K {\n  io r size 4K\n}\n',
    };
    const ctx: IncludeContext = { path: '/w/doc.mrd', read: (p) => (p in files ? { text: files[p] } : { error: 'missing' }) };
    let text = '# board\n# two lines\ninclude "soc.mrd"\ncontainer board size 4G {\n  alias low -> pc.ram size 1G\n  container bus size 64M {\n    io reg size 4K\n  }\n}\ninclude "dev.mrd"\nram tail size 4K\n';
    let a = analyzeDocument(text, defaultAnalysisOptions, undefined, ctx);
    // The document's statements only: not soc.mrd's constant, space and container, nor dev.mrd's.
    expect(outline(a).symbols.map((x) => [x.name, x.children.map((c) => c.name)])).toEqual([['board', ['low', 'bus']], ['tail', []]]);
    expect(foldingRanges(a).map((f) => f.kind)).toEqual(['comment', 'block', 'block']);
    const rnd = rng(3);
    const pieces = ['{', '}', '\n', ' size 4K', 'ram x size 1', '# c\n', 'container c size 2^64 {\n', 'mmio m size 8'];
    for (let step = 0; step < 60; step++) {
      expect(a.includes!.statements).toBeGreaterThan(0);
      const expected = { folds: foldingRanges(viaTree(a)), symbols: outline(viaTree(a)), cut: outline(viaTree(a), 3) };
      Object.defineProperty(a, 'file', { get: () => { throw new Error(`step ${step}: the syntax tree was parsed`); } });
      expect(foldingRanges(a)).toEqual(expected.folds);
      expect(outline(a)).toEqual(expected.symbols);
      expect(outline(a, 3)).toEqual(expected.cut);
      const at = rnd(text.length + 1);
      text = text.slice(0, at) + pieces[rnd(pieces.length)] + text.slice(at);
      if (!/include "soc.mrd"\n/.test(text) || !/include "dev.mrd"\n/.test(text)) break;
      a = analyzeDocument(text, defaultAnalysisOptions, a, ctx);
    }
  });
});
