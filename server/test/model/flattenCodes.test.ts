// The 3xxx codes the builder reports (catalog/flatten.ts): alias windows past their target
// (MR3001, R-FLAT-3) and the two sizes one byte short of a power of two (MR3002, MR3003, R-MR-2).
// Expected diagnostics are annotated in the fixtures, derived by hand from the rules.
import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { quickFixes } from '../../src/ide/codeActions.js';
import { analyzeText } from '../../src/model/analyze.js';
import { flatViews } from '../../src/engine/addressSpace.js';
import { textEdit } from '../../src/base/textEdit.js';
import { compareDiagnostics } from './annotations.js';

function check(fixture: string): void {
  const r = compareDiagnostics(fixture, analyzeText(fixture).diagnostics);
  expect(r.actual).toEqual(r.expected);
}

describe('MR3001: an alias window past the end of its target (R-FLAT-3)', () => {
  it('reports what is past the end, and nothing for windows inside the target', () => {
    check(`
ram r size 4K
alias inside -> r offset 1K size 3K
alias half -> r offset 2K size 4K
#     ^^^^ information MR3001: reaches 2048 past the end of 'r' (offset 2048 + size 4096 > 4096): that part shows nothing
alias beyond -> r offset 8K size 4K
#     ^^^^^^ information MR3001: reaches 4096 past the end of 'r' (offset 8192 + size 4096 > 4096): its whole window shows nothing
alias unsized -> r offset 8K
#                  ^^^^^^^^^ warning MR2017
alias whole -> r
container c size 2^64
alias all -> c size 2^64
`);
  });

  it('points at the target, and the flat view shows only the part inside it', () => {
    const text = 'address-space memory root sys\ncontainer sys size 64K {\n  alias half -> r offset 2K size 4K at 0x1000\n}\nram r size 4K\n';
    const a = analyzeText(text);
    const d = a.diagnostics.find((x) => x.code === 'MR3001')!;
    expect(d.related).toEqual([{ span: { start: text.indexOf('r size'), end: text.indexOf('r size') + 1 }, message: "'r' is 4096 bytes" }]);
    // The window is 0x1000..0x1fff; r's bytes 2K..4K land at 0x1000..0x17ff, the rest shows nothing.
    const [view] = flatViews(a.machine);
    expect(view.ranges.map((x) => [x.start, x.size, x.mr.name, x.offsetInRegion])).toEqual([[0x1000n, 0x800n, 'r', 0x800n]]);
  });
});

describe('MR3001 quick fix', () => {
  const apply = (text: string, edits: readonly { span: { start: number; end: number }; text: string }[]) =>
    edits.reduceRight((t, e) => t.slice(0, e.span.start) + e.text + t.slice(e.span.end), text);

  it('ends a window that starts inside the target where the target ends; none for one wholly past it', () => {
    const text = 'ram r size 0x1_8000\nalias half -> r offset 0x1_0000 size 64K\nalias beyond -> r offset 128K size 4K\n';
    const a = analyzeDocument(text);
    const fixes = quickFixes(a, { start: 0, end: text.length });
    expect(fixes.map((f) => f.title)).toEqual(["end the window where 'r' ends (size 32768)"]);
    const fixed = apply(text, fixes[0].edits);
    expect(fixed).toBe('ram r size 0x1_8000\nalias half -> r offset 0x1_0000 size 32768\nalias beyond -> r offset 128K size 4K\n');
    expect(analyzeText(fixed).diagnostics.map((d) => d.code)).toEqual(['MR3001']);
  });

  it('points at the size where it is after an incremental edit above it', () => {
    const before = 'container top size 64K\nram r size 4K\nalias a -> r offset 2K size 4K\n';
    const after = before.replace('top size 64K', 'top size 128K');
    const prev = analyzeDocument(before);
    const inc = analyzeDocument(after, undefined, prev);
    const [f] = quickFixes(inc, { start: 0, end: after.length });
    expect(after.slice(f.edits[0].span.start, f.edits[0].span.end)).toBe('4K');
    expect(apply(after, f.edits)).toBe(after.replace('offset 2K size 4K', 'offset 2K size 2048'));
  });
});

describe('MR3002 / MR3003: sizes one byte short (R-MR-2)', () => {
  it('2^64-1 is a warning, 2^63-1 information, in every spelling, plain statements included', () => {
    check(`
container system size 0xffffffffffffffff
#                     ^^^^^^^^^^^^^^^^^^ warning MR3002
container s2 size 2^64-1 {
#                 ^^^^^^ warning MR3002
  container pci size 0x7fffffffffffffff priority -1
  #                  ^^^^^^^^^^^^^^^^^^ information MR3003
  io ma size 2^63 - 1 readonly
  #          ^^^^^^^^ information MR3003
  ram big size 2^63
}
container whole size 2^64
container half size 0x8000000000000000
`);
  });

  it('offers 2^64 as the quick fix', () => {
    const text = 'container system size 0xffffffffffffffff\n';
    const a = analyzeDocument(text);
    const fixes = quickFixes(a, { start: 0, end: text.length });
    expect(fixes).toHaveLength(1);
    expect(fixes[0].title).toBe('write 2^64');
    const fixed = fixes[0].edits.reduceRight((t, e) => t.slice(0, e.span.start) + e.text + t.slice(e.span.end), text);
    expect(fixed).toBe('container system size 2^64\n');
    expect(analyzeText(fixed).diagnostics).toEqual([]);
    expect(analyzeText(fixed).machine.regions[0].size).toBe(1n << 64n);
  });

  it('are found by an incremental analysis as by a full one', () => {
    const before = 'container system size 2^64 {\n  ram a size 4K\n  ram b size 8K at 4K\n}\n';
    const after = before.replace('ram b size 8K', 'ram b size 0xffffffffffffffff');
    const prev = analyzeDocument(before);
    expect(prev.diagnostics).toEqual([]);
    expect(textEdit(before, after)).not.toBeNull();
    const inc = analyzeDocument(after, undefined, prev);
    expect(inc.diagnostics.map((d) => [d.code, d.span.start])).toEqual([['MR3002', after.indexOf('0xffff')]]);
    expect(inc.diagnostics).toEqual(analyzeText(after).diagnostics);
  });
});
