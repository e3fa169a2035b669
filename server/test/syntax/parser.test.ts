// Parser tests as data: one-line inputs with the diagnostics they must produce (code@offset),
// golden trees for whole files, and the robustness guarantees (depth, size, odd line ends).
import { describe, expect, it } from 'vitest';
import { parse, MAX_DEPTH } from '../../src/syntax/parser.js';
import type { RegionNode } from '../../src/syntax/ast.js';
import { dumpTree } from './dump.js';

/** `code@start` for every diagnostic, in order. */
function codes(text: string): string[] {
  return parse(text).diagnostics.map((d) => `${d.code}@${d.span.start}`);
}

// [input, expected diagnostics]; offsets are UTF-16 offsets into the input.
const errorCases: [string, string[]][] = [
  ['ram pc.ram size 128M', []],
  ['', []],
  ['# only a comment', []],
  ['ram', ['MR1010@3']],
  ['ram size 4K', ['MR1010@3']],
  ['ram { }', ['MR1010@3']],
  ['ram x size', ['MR1020@10']],
  ['ram x size at 4', ['MR1020@10']],
  ['ram x size 4K banana', ['MR1012@14']],
  ['ram x size 4K 12', ['MR1012@14']],
  ['ram x size 4K & at 5', ['MR1001@14']],
  ['ram x size (4K', ['MR1021@14']],
  ['ram x size 4KB', ['MR1005@12']],
  ['ram x size 4k', ['MR1005@12']],
  ['ram x size 0x', ['MR1004@11']],
  ['ram x size 0b102', ['MR1004@11']],
  ['ram x size 12abc', ['MR1005@13']],
  ['"unterminated', ['MR1002@0']],
  ['ram "a\\qb"', ['MR1003@6']],
  ['ram "a b', ['MR1002@4']],
  ['size 4K', ['MR1011@0']],
  ['}', ['MR1014@0']],
  ['container a {', ['MR1013@13']],
  ['container a { ram b size 1 } }', ['MR1014@29']],
  ['container a { const X = 1 }', ['MR1016@14']],
  ['const size = 1', ['MR1017@6']],
  ['const X 1', ['MR1010@7']],
  ['const = 1', ['MR1010@5']],
  ['const X =', ['MR1020@9']],
  ['address-space memory', ['MR1010@20']],
  ['address-space memory root', ['MR1010@25']],
  ['address-space memory root a/', ['MR1010@28']],
  ['include', ['MR1010@7']],
  ['alias a ->', ['MR1010@10']],
  ['romd r size 4K romd', ['MR1010@19']],
  ['ram x €', ['MR1001@6']],
  ['ram x 😀', ['MR1001@6']],
  // A statement keyword at the start of a line is not taken as a name: the alias target is missing.
  ['alias a ->\nram b size 1', ['MR1010@10']],
  // ...but on the same line it is a name (regions may be called `io`).
  ['io io size 64K', []],
  ['alias a -> ram', []],
];

describe('parse errors', () => {
  it.each(errorCases)('%j', (text, expected) => {
    expect(codes(text)).toEqual(expected);
  });
});

describe('parse results', () => {
  it('applies every unit exactly, on both sides of 2^53', () => {
    const cases: [string, bigint][] = [
      ['1K', 1n << 10n], ['3M', 3n << 20n], ['5G', 5n << 30n], ['7T', 7n << 40n], ['7P', 7n << 50n], ['8P', 8n << 50n],
      ['1E', 1n << 60n], ['15E', 15n << 60n], ['0x10KiB', 16n << 10n], ['3GiB', 3n << 30n], ['0x1fffffffffffff', (1n << 53n) - 1n],
      ['0x1fffffffffffffK', ((1n << 53n) - 1n) << 10n], ['2EiB', 2n << 60n], ['0b101M', 5n << 20n], ['9_007_199_254_740_993', 9007199254740993n],
    ];
    const { file, diagnostics } = parse(cases.map(([t], i) => `ram r${i} size ${t}`).join('\n'));
    expect(diagnostics).toEqual([]);
    const values = file.statements.map((st) => ((st as RegionNode).attributes[0] as { value: { value: bigint } }).value.value);
    expect(values).toEqual(cases.map(([, v]) => v));
  });

  it('gives every name its own text, however often names repeat or share a cache slot', () => {
    // The parser shares the string of a word it saw recently (a small cache by hash): a word
    // must still never come out as another one of the same length or hash.
    const names: string[] = [];
    for (let i = 0; i < 20_000; i++) names.push(`r${i % 97}`, `dev${i}.${i % 7}`, `x${'y'.repeat(i % 40)}`, `R${i % 97}`);
    const text = names.map((n) => `ram ${n} size 4K`).join('\n');
    const { file, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    const got = file.statements.map((st) => (st as RegionNode).name);
    expect(got.map((n) => n.text)).toEqual(names);
    expect(got.every((n) => n.text === text.slice(n.start, n.end))).toBe(true);
  });

  it('reads every attribute', () => {
    const { file, diagnostics } = parse(
      'romd r id R size 4K at 0x1000 prio -1 disabled enabled readonly nonvolatile romd off offset 2',
    );
    expect(diagnostics).toEqual([]);
    const r = file.statements[0] as RegionNode;
    expect(r.attributes.map((a) => (a.kind === 'ValueAttr' || a.kind === 'FlagAttr' ? a.name : a.kind))).toEqual([
      'IdAttr', 'size', 'at', 'priority', 'disabled', 'enabled', 'readonly', 'nonvolatile', 'RomdAttr', 'offset',
    ]);
  });

  it('keeps name spans and decodes strings', () => {
    const { file } = parse('container "bus master \\"x\\"" size 1');
    const r = file.statements[0] as RegionNode;
    expect(r.name.text).toBe('bus master "x"');
    expect(r.name.quoted).toBe(true);
    expect(r.name.span).toEqual({ start: 10, end: 28 });
  });

  it('stops a name before ->', () => {
    const { file, diagnostics } = parse('alias a->b');
    expect(diagnostics).toEqual([]);
    const r = file.statements[0] as RegionNode;
    expect(r.name.text).toBe('a');
    expect(r.attributes[0].kind).toBe('TargetAttr');
  });

  it('treats mmio as io', () => {
    const r = parse('mmio m size 1').file.statements[0] as RegionNode;
    expect([r.keyword, r.regionKind, r.keywordSpan]).toEqual(['mmio', 'io', { start: 0, end: 4 }]);
  });

  it('handles BOM, CRLF, lone CR, tabs and non-ASCII names', () => {
    const text = '\uFEFFram\ta size 1\r\nram b size 2\rram é size 3\n';
    const { file, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    const names = file.statements.map((s) => (s as RegionNode).name);
    expect(names.map((n) => [n.text, text.slice(n.start, n.end)])).toEqual([
      ['a', 'a'], ['b', 'b'], ['é', 'é'],
    ]);
  });

  it('skips region bodies nested deeper than the limit, without overflowing the stack', () => {
    const n = 10_000;
    const text = 'container a {'.repeat(n) + '}'.repeat(n) + '\nram after size 1';
    const { file, diagnostics } = parse(text);
    expect(diagnostics.map((d) => d.code)).toEqual(['MR1015']);
    expect(diagnostics[0].span.start).toBe(MAX_DEPTH * 'container a {'.length + 'container a '.length);
    expect((file.statements[1] as RegionNode).name.text).toBe('after');
  });

  it('skips deep parentheses and survives long operator chains', () => {
    expect(codes('const X = ' + '('.repeat(10_000) + '1' + ')'.repeat(10_000))).toEqual(['MR1015@' + (10 + MAX_DEPTH)]);
    expect(codes('const X = ' + '-'.repeat(50_000) + '1' + ' ^ 2'.repeat(20_000) + ' + 1'.repeat(20_000))).toEqual([]);
  });

  it('reports unclosed braces once, with the opening brace as related location', () => {
    const d = parse('container a {\n  container b {\n').diagnostics;
    expect(d.map((x) => x.code)).toEqual(['MR1013']);
    expect(d[0].related?.[0].span).toEqual({ start: 28, end: 29 });
  });
});

describe('golden trees', () => {
  it('the language example', async () => {
    const text = `# pc.mrd — the memory side of a small i440fx PC
const RAM = 128M

address-space memory root system
address-space "I/O" root io

container system size 2^64 {
  alias ram-below-4g -> pc.ram offset 0 size RAM
  container pci size 2^64 priority -1 {
    rom pc.bios size 256K at 0xfffc_0000
  }
  io apic-msi size 1M at 0xfee0_0000 priority 4096
}
ram pc.ram size RAM          # not mapped itself: only through aliases
io io size 64K
`;
    const { file, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    await expect(dumpTree(file, text)).toMatchFileSnapshot('__snapshots__/language-example.ast.txt');
  });

  it('recovery', async () => {
    const text = `ram a size 4K junk at 0x10
container b {
  ram c size (1 +
  alias d -> b/"c"/
}
const = 5
}
romd e romd on readonly {`;
    const { file, diagnostics } = parse(text);
    const dump = dumpTree(file, text) + '\n' + diagnostics.map((d) => `${d.code}@${d.span.start}..${d.span.end} ${d.message}`).join('\n') + '\n';
    await expect(dump).toMatchFileSnapshot('__snapshots__/recovery.ast.txt');
  });
});

describe('recovery at line starts', () => {
  it.each([
    // A line without a statement keyword is skipped whole; its attributes do not attach above.
    ['ram a size 1\nb size 2\nram c size 3', ['MR1011@13'], ['a', 'c']],
    ['ram a size 1 junk size 2', ['MR1012@13'], ['a']],
    ['container a {\n  b size 2\n}', ['MR1011@16'], ['a']],
  ])('%j', (text, expected, regions) => {
    const { file } = parse(text);
    expect(codes(text)).toEqual(expected);
    expect(file.statements.filter((s) => s.kind === 'Region').map((s) => (s as RegionNode).name.text)).toEqual(regions);
  });

  it('does not attach attributes of a skipped line', () => {
    const r = parse('ram a size 1\nb size 2').file.statements[0] as RegionNode;
    expect(r.attributes).toHaveLength(1);
  });
});
