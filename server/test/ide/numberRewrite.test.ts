// Rewriting a number literal: hex, exact unit, decimal; never another value.
import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { hex } from '../../src/ide/format.js';
import { numberRewrites, unitLiteral } from '../../src/ide/numberRewrite.js';
import { fixture } from './support.js';

const texts = (src: string) => {
  const { a, offset } = fixture(src);
  return numberRewrites(a, { start: offset, end: offset }).map((r) => r.edits[0].text);
};

describe('number rewrites', () => {
  it('spells hex, unit and decimal, leaving out the form already written', () => {
    expect(texts('ram r size 0x10<|>00\n')).toEqual(['4K', '4096']);
    expect(texts('ram r size 4<|>K\n')).toEqual(['0x1000', '4096']);
    expect(texts('ram r size 40<|>96\n')).toEqual(['0x1000', '4K']);
    // 4194048K is exact but no easier to read: not offered.
    expect(texts('ram r size 4K at 0xfffc_<|>0000\n')).toEqual(['4294705152']);
    expect(texts('ram r size 4K at 0x8000_<|>0000\n')).toEqual(['2G', '2147483648']);
    // No unit divides it: hex and decimal only.
    expect(texts('ram r size 4K at 0x1<|>001\n')).toEqual(['4097']);
    expect(texts('container c size 2^6<|>4 {\n}\n')).toEqual(['0x40']);
  });

  it('offers nothing off a number, nor for a selection wider than it', () => {
    expect(texts('ram r si<|>ze 4K\n')).toEqual([]);
    const { a } = fixture('ram r size 4K<|>\n');
    const at = a.text.indexOf('4K');
    expect(numberRewrites(a, { start: at - 1, end: at + 2 })).toEqual([]);
    const r = numberRewrites(a, { start: at, end: at + 2 });
    expect(r.map((x) => x.title)).toEqual(['Write 4K as 0x1000', 'Write 4K as 4096']);
    expect(r[0].edits).toEqual([{ span: { start: at, end: at + 2 }, text: '0x1000' }]);
  });

  it('keeps the value: every form analyses to the same machine', () => {
    const src = 'const B = 0x8000_0000\nram r size 64M at 3G\nio x size 0x1000 at 0xfee0_0000\nram big size 2^40 at 0x4000_0000_0000\n';
    const a = analyzeDocument(src);
    let checked = 0;
    for (let i = 0; i < src.length; i++) {
      for (const r of numberRewrites(a, { start: i, end: i })) {
        const e = r.edits[0];
        const b = analyzeDocument(src.slice(0, e.span.start) + e.text + src.slice(e.span.end));
        expect(b.diagnostics.map((d) => d.code)).toEqual(a.diagnostics.map((d) => d.code));
        expect(b.machine.regions.map((x) => [x.name, x.size, x.addr])).toEqual(a.machine.regions.map((x) => [x.name, x.size, x.addr]));
        expect(b.index.constants.map((c) => c.value)).toEqual(a.index.constants.map((c) => c.value));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('writes hex in groups of four and units only where exact', () => {
    expect(hex(0n)).toBe('0x0');
    expect(hex(0xfebe0000n)).toBe('0xfebe_0000');
    expect(hex(1n << 64n)).toBe('0x1_0000_0000_0000_0000');
    expect(unitLiteral(3n << 30n)).toBe('3G');
    expect(unitLiteral(3072n)).toBe('3K');
    expect(unitLiteral(1536n)).toBeNull();
    expect(unitLiteral(0xfffc0000n)).toBeNull();
    expect(unitLiteral(1000n)).toBeNull();
    expect(unitLiteral(1n << 64n)).toBe('16E');
  });
});
