// `include "path"` with an in-memory file provider: names and regions across files, a machine
// split over files flattens as the one-file version, and every failure (cycle, missing, binary,
// too large, too deep, errors inside the included file) is a diagnostic at the include.
import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { documentDiagnostics } from '../../src/ide/diagnostics.js';
import { definition, includeLinks, includePathAt, references, rename } from '../../src/ide/navigation.js';
import { hover } from '../../src/ide/hover.js';
import { semanticTokens } from '../../src/ide/semanticTokens.js';
import { codeLenses } from '../../src/ide/codeLens.js';
import { printFlat } from '../../src/engine/flatPrint.js';
import { printMtree } from '../../src/engine/mtreePrint.js';
import { type IncludeContext, type IncludeRead, normalizePath, resolveIncludePath } from '../../src/model/include.js';

type Files = Record<string, string | IncludeRead>;

/** A provider over `files` (paths under /p), counting reads. */
function provider(files: Files, path = '/p/a.mrd'): IncludeContext & { reads: string[] } {
  const reads: string[] = [];
  return {
    path,
    reads,
    read(p: string): IncludeRead {
      reads.push(p);
      const f = files[p];
      if (f === undefined) return { error: 'missing' };
      return typeof f === 'string' ? { text: f } : f;
    },
  };
}

function analyze(text: string, files: Files, path?: string) {
  const ctx = provider(files, path);
  return { a: analyzeDocument(text, undefined, undefined, ctx), ctx };
}

const codes = (a: ReturnType<typeof analyzeDocument>) => a.diagnostics.map((d) => d.code);

/** The span of the `n`-th occurrence (0-based) of `s` in `text`. */
function at(text: string, s: string, n = 0): { start: number; end: number } {
  let i = -1;
  for (let k = 0; k <= n; k++) i = text.indexOf(s, i + 1);
  return { start: i, end: i + s.length };
}

describe('paths', () => {
  it.each([
    ['/p/a.mrd', 'b.mrd', '/p/b.mrd'],
    ['/p/a.mrd', 'sub/../c.mrd', '/p/c.mrd'],
    ['/p/q/a.mrd', '../b.mrd', '/p/b.mrd'],
    ['/p/a.mrd', '/abs/x.mrd', '/abs/x.mrd'],
    ['/p/a.mrd', './x//y.mrd', '/p/x/y.mrd'],
    ['C:\\w\\a.mrd', 'b.mrd', 'C:/w/b.mrd'],
    ['a.mrd', 'b.mrd', 'b.mrd'],
  ])('%s + %s = %s', (from, rel, out) => {
    expect(resolveIncludePath(from, rel)).toBe(out);
  });

  it('never climbs above the root', () => {
    expect(normalizePath('/../../x')).toBe('/x');
  });
});

describe('include', () => {
  const machineB = `
const RAM = 128M
container system size 2^64 {
  ram pc.ram size RAM
  alias ram-below-4g -> pc.ram size 64M
}
`;
  const machineA = `include "b.mrd"
container dev size 64K
address-space memory root system
`;

  it('names and regions of an included file take effect where it is included', () => {
    const { a } = analyze(machineA + 'ram extra size RAM\nalias x -> pc.ram size 4K\n', { '/p/b.mrd': machineB });
    expect(a.diagnostics).toEqual([]);
    expect(a.machine.regions.map((r) => r.name)).toEqual(['system', 'pc.ram', 'ram-below-4g', 'dev', 'extra', 'x']);
    expect(a.machine.regions.find((r) => r.name === 'extra')!.size).toBe(128n * 1024n * 1024n);
    expect(a.machine.regions.find((r) => r.name === 'x')!.alias?.name).toBe('pc.ram');
  });

  it('a machine split over two files flattens and prints as the one-file version', () => {
    const split = analyze(machineA, { '/p/b.mrd': machineB }).a;
    const whole = analyzeDocument(machineB + machineA.replace('include "b.mrd"\n', ''));
    expect(whole.diagnostics).toEqual([]);
    expect(split.diagnostics).toEqual([]);
    expect(printFlat(split.machine)).toBe(printFlat(whole.machine));
    expect(printMtree(split.machine, { disabled: true })).toBe(printMtree(whole.machine, { disabled: true }));
    expect(printFlat(split.machine)).toContain('pc.ram');
  });

  it('without a provider an include is ignored with MR2019, as before', () => {
    expect(analyzeDocument('include "b.mrd"\n').diagnostics.map((d) => d.code)).toEqual(['MR2019']);
  });

  it('a missing file is MR2020 at the path', () => {
    const text = 'include "nope.mrd"\n';
    const { a } = analyze(text, {});
    expect(a.diagnostics).toEqual([
      expect.objectContaining({ code: 'MR2020', severity: 'error', span: at(text, '"nope.mrd"'), message: "cannot include 'nope.mrd': no such file (nope.mrd)" }),
    ]);
    expect([...a.includes!.paths]).toEqual(['/p/nope.mrd']);
  });

  it('a directory and an unreadable file are MR2020 with the reason', () => {
    const { a } = analyze('include "d"\ninclude "u.mrd"\n', { '/p/d': { error: 'directory' }, '/p/u.mrd': { error: 'unreadable', detail: 'EACCES' } });
    expect(a.diagnostics.map((d) => d.message)).toEqual([
      "cannot include 'd': d is a directory",
      "cannot include 'u.mrd': u.mrd cannot be read (EACCES)",
    ]);
  });

  it('a binary file (NUL bytes) is MR2022, whether the provider or the core notices', () => {
    const { a } = analyze('include "x.bin"\ninclude "y.bin"\n', { '/p/x.bin': { error: 'binary' }, '/p/y.bin': 'ram a size 4K\0\0\0' });
    expect(codes(a)).toEqual(['MR2022', 'MR2022']);
    expect(a.machine.regions).toEqual([]);
  });

  it('a file over 16 MiB is MR2023, whether the provider or the core notices', () => {
    const big = ' '.repeat(16 * 1024 * 1024 + 1);
    const { a } = analyze('include "big.mrd"\ninclude "huge.mrd"\n', { '/p/big.mrd': big, '/p/huge.mrd': { error: 'too-large', detail: '20000000 bytes' } });
    expect(codes(a)).toEqual(['MR2023', 'MR2023']);
    expect(a.diagnostics[1].message).toBe("cannot include 'huge.mrd': too large (20000000 bytes; the limit is 16.0 MiB)");
  });

  it('a file including itself is a cycle (MR2021) at its include', () => {
    const text = 'include "a.mrd"\nram r size 4K\n';
    const { a } = analyze(text, { '/p/a.mrd': text });
    expect(a.diagnostics).toEqual([expect.objectContaining({ code: 'MR2021', message: 'include cycle: a.mrd → a.mrd', span: at(text, '"a.mrd"') })]);
    expect(a.machine.regions.map((r) => r.name)).toEqual(['r']);
  });

  it('a → b → a: the cycle is reported in b and surfaced at the include of b, with its location', () => {
    const text = 'include "b.mrd"\nram r size 4K\n';
    const b = 'ram s size 4K\ninclude "a.mrd"\n';
    const { a } = analyze(text, { '/p/a.mrd': text, '/p/b.mrd': b });
    expect(a.diagnostics).toHaveLength(1);
    const d = a.diagnostics[0];
    expect(d.code).toBe('MR2026');
    expect(d.span).toEqual(at(text, '"b.mrd"'));
    expect(d.message).toBe('included file b.mrd has 1 error; first: line 2: MR2021: include cycle: a.mrd → b.mrd → a.mrd');
    expect(d.related).toEqual([{ file: '/p/b.mrd', span: at(b, '"a.mrd"'), message: 'MR2021: include cycle: a.mrd → b.mrd → a.mrd' }]);
    expect(a.machine.regions.map((r) => r.name)).toEqual(['s', 'r']);
  });

  it('a diamond (a → b, a → c → b) reads b once and defines its names once', () => {
    const text = 'include "b.mrd"\ninclude "c.mrd"\n';
    const { a, ctx } = analyze(text, {
      '/p/b.mrd': 'const K = 4K\nram shared size K\n',
      '/p/c.mrd': 'include "b.mrd"\nram c size K\n',
    });
    expect(a.diagnostics).toEqual([]);
    expect(ctx.reads).toEqual(['/p/b.mrd', '/p/c.mrd']);
    expect(a.machine.regions.map((r) => r.name)).toEqual(['shared', 'c']);
    expect(hover(a, text.indexOf('c.mrd'))?.markdown).toBe('**include** `c.mrd`\n\n`/p/c.mrd` — 1 region, 0 constants');
    expect(hover(a, text.indexOf('b.mrd'))?.markdown).toBe('**include** `b.mrd`\n\n`/p/b.mrd` — 1 region, 1 constant');
  });

  it('hover on an include counts what the files it includes bring in', () => {
    const text = 'include "c.mrd"\n';
    const { a } = analyze(text, { '/p/c.mrd': 'include "b.mrd"\nram c size 4K\n', '/p/b.mrd': 'const K = 1\nram b size 4K\n' });
    expect(hover(a, 9)?.markdown).toBe('**include** `c.mrd`\n\n`/p/c.mrd` — 2 regions (with the 1 file it includes), 1 constant');
  });

  it('includes nested deeper than 16 files stop with MR2024 (surfaced at the first include)', () => {
    const files: Files = {};
    for (let i = 0; i < 40; i++) files[`/p/f${i}.mrd`] = `include "f${i + 1}.mrd"\nram r${i} size 4K\n`;
    const { a, ctx } = analyze('include "f0.mrd"\n', files);
    expect(ctx.reads).toHaveLength(16);
    expect(a.diagnostics).toHaveLength(1);
    expect(a.diagnostics[0].code).toBe('MR2026');
    expect(a.diagnostics[0].message).toContain("f15.mrd line 1: MR2024: 'f16.mrd' is not included: includes nest deeper than 16 files");
  });

  it('an include that never ends (a path growing through a link to its own directory) stops', () => {
    // Every `d/…/x.mrd` is a new path: only the depth and file limits end it.
    const ctx: IncludeContext = { path: '/p/x.mrd', read: () => ({ text: 'include "d/x.mrd"\ninclude "e/x.mrd"\n' }) };
    const a = analyzeDocument('include "d/x.mrd"\n', undefined, undefined, ctx);
    expect(a.includes!.files.length).toBeLessThanOrEqual(256);
    expect(a.diagnostics.map((d) => d.code)).toEqual(['MR2026']);
  });

  it('errors inside an included file are summed up at the include, each with its location there', () => {
    const text = 'include "b.mrd"\nram ok size 4K\n';
    const b = 'ram fine size 4K\nram bad size 2^65\nalias a -> nowhere\n';
    const { a } = analyze(text, { '/p/b.mrd': b });
    expect(a.diagnostics).toHaveLength(1);
    const d = a.diagnostics[0];
    expect(d).toMatchObject({ code: 'MR2026', severity: 'error', span: at(text, '"b.mrd"') });
    expect(d.message).toMatch(/^included file b\.mrd has 2 errors; first: line 2: MR\d{4}: /);
    expect(d.related!.map((r) => [r.file, r.span])).toEqual([
      ['/p/b.mrd', at(b, '2^65')],
      ['/p/b.mrd', at(b, 'nowhere')],
    ]);
    expect(a.includes!.fileDiagnostics.map((x) => [x.file, x.span])).toEqual([
      ['/p/b.mrd', at(b, '2^65')],
      ['/p/b.mrd', at(b, 'nowhere')],
    ]);
    // The editor shows the summary with related locations in the other file.
    const ide = documentDiagnostics(a);
    expect(ide[0].related.map((r) => [r.file, r.range?.start])).toEqual([
      ['/p/b.mrd', { line: 1, character: 13 }],
      ['/p/b.mrd', { line: 2, character: 11 }],
    ]);
  });

  it('only warnings in an included file: MR2027; suppressed ones in that file are not counted', () => {
    const b = 'ram u size 4K at 4K\nram v size 4K at 4K # mrd-ignore MR2018\n';
    const { a } = analyze('include "b.mrd"\n', { '/p/b.mrd': b });
    expect(a.diagnostics.map((d) => [d.code, d.severity, d.message])).toEqual([
      ['MR2027', 'warning', "included file b.mrd has 1 warning; first: line 1: MR2018: 'at' has no effect on a top-level region"],
    ]);
  });

  it('syntax errors in an included file count too', () => {
    const { a } = analyze('include "b.mrd"\n', { '/p/b.mrd': 'ram r size\n' });
    expect(codes(a)).toEqual(['MR2026']);
    expect(a.diagnostics[0].message).toContain('line 1: MR1');
  });

  it('an include inside a body is an error and reads nothing', () => {
    const text = 'container c size 4K {\n  include "b.mrd"\n}\n';
    const { a, ctx } = analyze(text, { '/p/b.mrd': 'ram r size 4K\n' });
    expect(codes(a)).toEqual(['MR1016']);
    expect(ctx.reads).toEqual([]);
  });

  it('an include inside a PCI body is an error and reads nothing', () => {
    const text = 'container m size 4K\nio i size 4K\npci-host h mem m io i {\n  include "b.mrd"\n}\n';
    const { a, ctx } = analyze(text, { '/p/b.mrd': 'ram r size 4K\n' });
    expect(codes(a)).toEqual(['MR1032']);
    expect(ctx.reads).toEqual([]);
  });

  it('# mrd-ignore on the include line silences the summary of the included file', () => {
    const { a } = analyze('include "b.mrd" # mrd-ignore MR2026\n', { '/p/b.mrd': 'alias q -> nowhere\n' });
    expect(a.diagnostics).toEqual([]);
    expect(a.includes!.fileDiagnostics.map((d) => d.code)).toEqual(['MR2010']);
  });

  it('PCI statements in an included file are simulated with the document', () => {
    const pci = 'pci-host h mem m io i {\n  device 00:03.0 nic command 0x2 { bar 0 mem32 size 4K at 0xfe00_0000 }\n}\n';
    const { a } = analyze('container m size 2^32\nio i size 64K\naddress-space memory root m\ninclude "pci.mrd"\n', { '/p/pci.mrd': pci });
    expect(a.diagnostics).toEqual([]);
    expect(printFlat(a.machine)).toContain('00000000fe000000-00000000fe000fff');
  });

  it('a name defined in both files: the duplicate points at the first definition in the other file', () => {
    const text = 'include "b.mrd"\nconst K = 2\n';
    const { a } = analyze(text, { '/p/b.mrd': 'const K = 1\n' });
    expect(a.diagnostics).toEqual([
      expect.objectContaining({ code: 'MR2002', span: at(text, 'K'), related: [{ file: '/p/b.mrd', span: { start: 6, end: 7 }, message: 'first defined here' }] }),
    ]);
  });

  it('go to definition of a region from an included file goes there; other features stay in the document', () => {
    const text = 'include "b.mrd"\nalias x -> pc.ram size 4K\n';
    const b = '# the RAM\nram pc.ram size 1M\n';
    const { a } = analyze(text, { '/p/b.mrd': b });
    expect(a.diagnostics).toEqual([]);
    const defs = definition(a, text.indexOf('pc.ram') + 1);
    expect(defs).toHaveLength(1);
    expect(a.includes!.locate(defs[0])).toEqual({ file: a.includes!.files[0], span: at(b, 'pc.ram') });
    const refs = references(a, text.indexOf('pc.ram') + 1, true);
    expect(refs.map((s) => a.includes!.locate(s)?.span ?? s)).toEqual([at(text, 'pc.ram'), at(b, 'pc.ram')]);
    expect(hover(a, text.indexOf('pc.ram') + 1)?.markdown).toContain('declared in `b.mrd` line 2');
    // Tokens and lenses are for this document's text only.
    for (const t of semanticTokens(a)) expect(t.span.end).toBeLessThanOrEqual(text.length);
    expect(codeLenses(a).map((l) => l.span)).toEqual([at(text, 'x')]);
    // Rename would have to edit the included file: refused.
    expect(rename(a, text.indexOf('pc.ram') + 1, 'ram0')).toEqual({ ok: false, reason: "'pc.ram' is also declared or used in an included file" });
    expect(rename(a, text.indexOf('x'), 'y').ok).toBe(true);
    // Nothing in the document is at an offset of the included file.
    expect(definition(a, text.length)).toEqual([]);
  });

  it('the include path leads to the file it names (definition, document links), also when already read', () => {
    const text = 'include "b.mrd"\ninclude "./b.mrd"\ninclude "none.mrd"\n';
    const { a } = analyze(text, { '/p/b.mrd': 'ram r size 4K\n' });
    const [d] = definition(a, text.indexOf('b.mrd'));
    expect(a.includes!.locate(d)).toEqual({ file: a.includes!.files[0], span: { start: 0, end: 0 } });
    expect(definition(a, text.indexOf('./b.mrd')).map((s) => a.includes!.locate(s)?.file.path)).toEqual(['/p/b.mrd']);
    expect(definition(a, text.indexOf('none.mrd'))).toEqual([]);
    expect(hover(a, text.indexOf('b.mrd'))).toEqual({ span: at(text, '"b.mrd"'), markdown: '**include** `b.mrd`\n\n`/p/b.mrd` — 1 region, 0 constants' });
    expect(hover(a, text.indexOf('none.mrd'))).toBeNull();
    expect(includeLinks(a)).toEqual([
      { span: at(text, '"b.mrd"'), path: '/p/b.mrd' },
      { span: at(text, '"./b.mrd"'), path: '/p/b.mrd' },
    ]);
  });

  it('region nodes are those of the file each region is in', () => {
    const text = 'ram first size 4K\ninclude "b.mrd"\nram last size 4K { ram inner size 1K }\n';
    const { a } = analyze(text, { '/p/b.mrd': 'ram mid size 4K { ram deep size 1K }\n' });
    expect(a.index.regions.map((r) => r.node.name.text)).toEqual(['first', 'mid', 'deep', 'last', 'inner']);
  });

  it('a provider that throws is an unreadable file, not a crash', () => {
    const ctx: IncludeContext = { path: '/p/a.mrd', read: () => { throw new Error('boom'); } };
    const a = analyzeDocument('include "b.mrd"\n', undefined, undefined, ctx);
    expect(a.diagnostics.map((d) => d.message)).toEqual(["cannot include 'b.mrd': b.mrd cannot be read (boom)"]);
  });

  // The language server analyses without the previous analysis when an included file changed
  // (Scheduler.inputsChanged); an edit of the document itself keeps the files as they were read.
  it('an edit of a document with includes takes the files as read; after a change to one, a full analysis', () => {
    const files: Files = { '/p/b.mrd': 'ram r size 4K\n' };
    const ctx = provider(files);
    const a1 = analyzeDocument('include "b.mrd"\nram s size 4K\n', undefined, undefined, ctx);
    expect(a1.machine.regions.map((r) => r.name)).toEqual(['r', 's']);
    expect(ctx.reads).toEqual(['/p/b.mrd']);
    files['/p/b.mrd'] = 'ram r2 size 4K\n';
    const a2 = analyzeDocument('include "b.mrd"\nram s size 8K\n', undefined, a1, ctx);
    expect(a2.machine.regions.map((r) => [r.name, r.size])).toEqual([['r', 4096n], ['s', 8192n]]);
    expect(ctx.reads).toEqual(['/p/b.mrd']);
    const a3 = analyzeDocument(a2.text, undefined, undefined, ctx);
    expect(a3.machine.regions.map((r) => r.name)).toEqual(['r2', 's']);
    // An include typed into a document analysed incrementally is followed at once.
    const c1 = analyzeDocument('ram s size 4K\n', undefined, undefined, ctx);
    const c2 = analyzeDocument('ram s size 4K\ninclude "b.mrd"\n', undefined, c1, ctx);
    expect(c2.machine.regions.map((r) => r.name)).toEqual(['s', 'r2']);
  });
});

describe('include in a large document (its regions array sized ahead)', () => {
  it('finds the statement of every region, included or not', () => {
    const files: Files = { '/p/b.mrd': 'ram inc1 size 4K\nram inc2 size 4K\n' };
    const text = `# ${'x'.repeat(70_000)}\nram before size 4K\ninclude "b.mrd"\nram after size 4K\n`;
    const { a } = analyze(text, files);
    expect(codes(a)).toEqual([]);
    expect(a.machine.regions.map((r) => r.name)).toEqual(['before', 'inc1', 'inc2', 'after']);
    expect(a.index.regions.map((s) => [s.region.name, s.node.name.text])).toEqual([
      ['before', 'before'], ['inc1', 'inc1'], ['inc2', 'inc2'], ['after', 'after'],
    ]);
  });
});

describe('includePathAt (completing a path while it is typed)', () => {
  it.each([
    ['include "|', '', 9],
    ['ram r size 4K\n  include "sub/b|', 'sub/b', 29],
    ['include "a/b/|"', 'a/b/', 13],
  ])('%s', (withCursor, typed, start) => {
    const offset = withCursor.indexOf('|');
    const text = withCursor.replace('|', '');
    expect(includePathAt(text, offset)).toEqual({ typed, replace: { start, end: offset } });
  });
  it.each([['include |'], ['ram "x|'], ['include "a" ram "|'], ['# include "|']])('not in %s', (withCursor) => {
    expect(includePathAt(withCursor.replace('|', ''), withCursor.indexOf('|'))).toBeNull();
  });
});
