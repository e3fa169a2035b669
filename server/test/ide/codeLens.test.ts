import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { codeLenses, codeLensTitle } from '../../src/ide/codeLens.js';

/** `name → title` for every lens of the document. */
function lenses(text: string): Record<string, string | null> {
  const a = analyzeDocument(text);
  return Object.fromEntries(codeLenses(a).map((l) => [text.slice(l.span.start, l.span.end), codeLensTitle(a, l.region)]));
}

describe('code lenses', () => {
  it('show the absolute range and the visible size of each region', () => {
    expect(lenses(`address-space memory root sys
container sys size 4G {
  container pci size 4G priority -1 {
    mmio bar0 size 16K at 0xfebe_0000
    mmio under size 64K at 0xfebd_0000
  }
  ram low size 0xfebe_2000
}
ram lonely size 4K
`)).toEqual({
      // Visible: low (0xfebe_2000) + the part of bar0 above it (8K); `under` is hidden by low.
      sys: 'memory: 0x0..0xffff_ffff · 4.0 GiB (0xfebe_4000 bytes) of 4 GiB visible',
      pci: 'memory: 0x0..0xffff_ffff · 8 KiB of 4 GiB visible',
      bar0: 'memory: 0xfebe_0000..0xfebe_3fff · 8 KiB of 16 KiB visible',
      under: 'memory: 0xfebd_0000..0xfebd_ffff · 0 bytes of 64 KiB visible',
      low: 'memory: 0x0..0xfebe_1fff · 4.0 GiB (0xfebe_2000 bytes) visible',
      lonely: 'unmapped',
    });
  });

  it('count further placements (aliases) and tolerate a stale id', () => {
    const text = `address-space memory root sys
container sys size 4G {
  alias lo -> ram0 size 4K
  alias hi -> ram0 size 4K at 0x1_0000
}
ram ram0 size 4K
`;
    expect(lenses(text).ram0).toBe('memory: 0x0..0xfff · 4 KiB visible · +1 more placement');
    expect(codeLensTitle(analyzeDocument(text), 99)).toBeNull();
  });
});

describe('code lens limit', () => {
  it('lists the lenses of the first regions in declaration order, at most the limit', () => {
    const a = analyzeDocument('ram a size 4K\nram b size 4K\nram c size 4K\n');
    const names = (limit: number) => codeLenses(a, limit).map((l) => a.text.slice(l.span.start, l.span.end));
    expect(names(2)).toEqual(['a', 'b']);
    expect(names(0)).toEqual([]);
    expect(codeLenses(a).length).toBe(3);
  });

  // A long file keeps lenses from top to bottom: the outermost levels first, in declaration order.
  it('keeps the outermost regions when there are more than the limit', () => {
    const dev = (i: number) => `  container d${i} size 64K at ${i * 0x10000} {\n    io r${i}a size 4K\n    io r${i}b size 4K at 4K\n  }\n`;
    const a = analyzeDocument(`container sys size 4G {\n${[0, 1, 2].map(dev).join('')}}\nram lonely size 4K\n`);
    const names = (limit?: number) => codeLenses(a, limit).map((l) => a.text.slice(l.span.start, l.span.end));
    expect(names()).toEqual(['sys', 'd0', 'r0a', 'r0b', 'd1', 'r1a', 'r1b', 'd2', 'r2a', 'r2b', 'lonely']);
    expect(names(11)).toEqual(names());
    expect(names(5)).toEqual(['sys', 'd0', 'd1', 'd2', 'lonely']);
    expect(names(7)).toEqual(['sys', 'd0', 'r0a', 'r0b', 'd1', 'd2', 'lonely']);
    expect(names(1)).toEqual(['sys']);
  });
});
