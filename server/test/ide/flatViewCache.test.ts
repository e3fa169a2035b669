// The flat views kept with an analysis (views.ts analysisFlatViews) are those computed afresh:
// on the samples, after hovers that look at other PCI states, and after incremental edits.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { flatViews } from '../../src/engine/addressSpace.js';
import { printFlat, printFlatGroup } from '../../src/engine/flatPrint.js';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { hover } from '../../src/ide/hover.js';
import { analysisFlatViews, flatViewText, spaceNames } from '../../src/ide/views.js';

const dir = path.resolve(__dirname, '../../../samples');
const samples = readdirSync(dir).filter((f) => f.endsWith('.mrd')).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')] as const);

/** The texts the views show, computed without the cache. */
function fresh(text: string): { all: string; spaces: string[] } {
  const a = analyzeDocument(text);
  const groups = flatViews(a.machine);
  return {
    all: printFlat(a.machine),
    spaces: spaceNames(a).map((s) => {
      const i = groups.findIndex((g) => g.spaces.some((x) => x.name === s));
      return printFlatGroup(groups[i], i);
    }),
  };
}

describe('flat views kept with the analysis', () => {
  it.each(samples)('%s: equal the fresh ones, computed once', (_, text) => {
    const a = analyzeDocument(text);
    const kept = analysisFlatViews(a);
    expect(analysisFlatViews(a)).toBe(kept);
    expect(kept).toEqual(flatViews(analyzeDocument(text).machine));
    const f = fresh(text);
    expect(flatViewText(a)).toBe(f.all);
    expect(spaceNames(a).map((s) => flatViewText(a, s))).toEqual(f.spaces);
    expect(flatViewText(a, 'no such space')).toContain('no address space named');
  });

  it.each(samples.filter(([, t]) => t.includes('sequence')))('%s: unchanged by hovers over every step', (_, text) => {
    const a = analyzeDocument(text);
    const before = flatViewText(a);
    // Hovers on steps simulate other states and restore the shown one.
    for (let off = 0; off < text.length; off += 7) hover(a, off);
    expect(flatViewText(a)).toBe(before);
    expect(flatViewText(analyzeDocument(text))).toBe(before);
  });

  it('follow incremental edits: each version has its own', () => {
    const base = 'address-space memory root system\ncontainer system size 0x10000 {\n  ram a size 0x1000 at 0x0\n  ram b size 0x1000 at 0x800\n}\n';
    let a = analyzeDocument(base);
    const first = flatViewText(a, 'memory');
    const versions = [
      base.replace('at 0x800', 'at 0x2000'),
      base.replace('at 0x800', 'at 0x2000').replace('ram a size 0x1000', 'ram a size 0x3000'),
      base,
    ];
    for (const text of versions) {
      a = analyzeDocument(text, undefined, a);
      expect(flatViewText(a)).toBe(fresh(text).all);
      expect(flatViewText(a, 'memory')).toBe(fresh(text).spaces[0]);
    }
    expect(flatViewText(a, 'memory')).toBe(first);
  });
});
