import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { completions } from '../../src/ide/completion.js';
import { foldingRanges } from '../../src/ide/folding.js';
import { inlayHints } from '../../src/ide/inlayHints.js';
import { documentSymbols, outline } from '../../src/ide/symbols.js';
import type { IdeSymbol } from '../../src/ide/types.js';
import { flatViewText } from '../../src/ide/views.js';
import { fixture } from './support.js';

const src = `# two comment lines
# fold together
const RAM = 128M
address-space memory root system
container system size 2^64 {
  alias ram-below-4g -> pc.ram size RAM
  container pci size 2^64 priority -1 {
    rom bios size 256K at 0xfffc_0000
  }
}
ram pc.ram size RAM
`;

describe('outline', () => {
  it('nests regions and lists constants and address spaces', () => {
    const show = (s: IdeSymbol): string =>
      s.children.length > 0 ? `${s.kind} ${s.name} [${s.children.map(show).join(', ')}]` : `${s.kind} ${s.name}`;
    expect(documentSymbols(analyzeDocument(src)).map(show)).toEqual([
      'const RAM',
      'space memory',
      'container system [alias ram-below-4g, container pci [region bios]]',
      'region pc.ram',
    ]);
  });

  it('within a limit, keeps the upper levels whole, breadth first, and says it cut', () => {
    const show = (s: IdeSymbol): string =>
      s.children.length > 0 ? `${s.kind} ${s.name} [${s.children.map(show).join(', ')}]` : `${s.kind} ${s.name}`;
    const a = analyzeDocument(src);
    // Four top-level symbols, then system's two children, then pci's child: seven in all.
    const cut = (limit: number) => {
      const o = outline(a, limit);
      return { symbols: o.symbols.map(show), truncated: o.truncated };
    };
    expect(cut(4)).toEqual({ symbols: ['const RAM', 'space memory', 'container system', 'region pc.ram'], truncated: true });
    expect(cut(5)).toEqual({
      symbols: ['const RAM', 'space memory', 'container system [alias ram-below-4g]', 'region pc.ram'], truncated: true,
    });
    expect(cut(6).symbols[2]).toBe('container system [alias ram-below-4g, container pci]');
    expect(cut(7)).toEqual({ symbols: documentSymbols(a).map(show), truncated: false });
    expect(cut(0)).toEqual({ symbols: [], truncated: true });
  });

  it('folds bodies and comment runs', () => {
    const line = (o: number) => src.slice(0, o).split('\n').length;
    expect(foldingRanges(analyzeDocument(src)).map((f) => `${f.kind} ${line(f.span.start)}-${line(f.span.end)}`))
      .toEqual(['comment 1-2', 'block 5-10', 'block 7-9']);
  });

  // Over the limit (an editor's rangeLimit), the outermost levels come first, so the whole file
  // still folds: whole levels while they fit, then the next level's first folds.
  it('keeps the outermost folds when there are more than the limit', () => {
    const device = (i: number) => `container d${i} size 64K {\n  container a size 4K {\n  }\n  container b size 4K {\n  }\n}\n`;
    const text = `# one\n# two\n${[0, 1, 2].map(device).join('')}`;
    const line = (o: number) => text.slice(0, o).split('\n').length;
    const folds = (limit?: number) => foldingRanges(analyzeDocument(text), limit).map((f) => `${f.kind} ${line(f.span.start)}-${line(f.span.end)}`);
    expect(folds()).toEqual([
      'comment 1-2', 'block 3-8', 'block 4-5', 'block 6-7', 'block 9-14', 'block 10-11', 'block 12-13',
      'block 15-20', 'block 16-17', 'block 18-19',
    ]);
    expect(folds(10)).toEqual(folds());
    expect(folds(4)).toEqual(['comment 1-2', 'block 3-8', 'block 9-14', 'block 15-20']);
    expect(folds(6)).toEqual(['comment 1-2', 'block 3-8', 'block 4-5', 'block 6-7', 'block 9-14', 'block 15-20']);
    expect(folds(2)).toEqual(['comment 1-2', 'block 3-8']);
    expect(folds(0)).toEqual([]);
  });
});

describe('completion', () => {
  const labels = (source: string) => {
    const { a, offset } = fixture(source);
    return completions(a, offset).items.map((i) => i.label);
  };
  it('offers statement keywords at the start of a line', () => {
    expect(labels(src + 'co<|>')).toEqual(expect.arrayContaining(['const', 'container', 'alias', 'address-space']));
  });
  it('offers region names after ->, constants in expressions, units after numbers', () => {
    expect(labels(src.replace('-> pc.ram', '-> <|>'))).toEqual(expect.arrayContaining(['pc.ram', 'bios', 'system']));
    expect(labels(src.replace('ram pc.ram size RAM', 'ram pc.ram size <|>'))).toEqual(['RAM']);
    expect(labels(src.replace('256K', '256<|>'))).toEqual(expect.arrayContaining(['256K', '256MiB']));
    expect(labels(src.replace('rom bios size', 'rom bios <|>size'))).toEqual(expect.arrayContaining(['size', 'at', 'priority']));
    expect(labels(src.replace('-> pc.ram', '-> system/<|>'))).toEqual(['system/ram-below-4g', 'system/pci']);
  });
});

describe('inlay hints and views', () => {
  it('shows absolute addresses after region names', () => {
    const a = analyzeDocument(src);
    const hints = inlayHints(a, { start: 0, end: src.length }).map((h) => `${src.slice(0, h.offset).split('\n').length}: ${h.label}`);
    expect(hints).toEqual(['6: @ 0x0', '7: @ 0x0', '8: @ 0xfffc_0000', '11: @ 0x0']);
  });
  it('prints one address space\'s flat view', () => {
    const text = flatViewText(analyzeDocument(src), 'memory');
    expect(text).toContain('00000000fffc0000-00000000ffffffff (prio 0, rom): bios');
    expect(flatViewText(analyzeDocument(src), 'nope')).toContain('no address space named');
  });
});

describe('robustness', () => {
  // Every feature at every offset of documents cut off or garbled mid-statement.
  const broken = [
    src.slice(0, src.length / 2),
    src.replace(/size/g, 'size size'),
    'container x size {\n  alias a -> \n  ram y size 4K at\n  alias b -> x/\n}}}\n',
    'address-space\nconst = \nalias -> -> ->\n"unterminated\n',
  ];
  it('never throws', async () => {
    const { hover } = await import('../../src/ide/hover.js');
    const nav = await import('../../src/ide/navigation.js');
    for (const text of broken) {
      const a = analyzeDocument(text);
      documentSymbols(a);
      foldingRanges(a);
      inlayHints(a, { start: 0, end: text.length });
      for (let i = 0; i <= text.length; i++) {
        hover(a, i);
        completions(a, i);
        nav.definition(a, i);
        nav.references(a, i, true);
        nav.prepareRename(a, i);
        nav.rename(a, i, 'renamed');
      }
    }
  });
});
