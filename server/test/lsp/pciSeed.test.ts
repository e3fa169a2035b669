// The seed scenario (samples/q35-vfio-sizing.mrd) through the built language server over
// stdio: the IOMMU-width warning on the `size-hi` step with its related locations (the IOMMU,
// the step that ends the mapping), hovers on the BAR declaration and the step, inlay hints,
// outline, definition from `on 01:10.0`, and the quick fix's edit as LSP text edits.
// Lines are found in the sample's text, not written down.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, isStale, root } from '../../../scripts/build.mjs';
import { RpcClient } from './rpcClient.js';

const uri = 'file:///work/q35-vfio-sizing.mrd';
const text = readFileSync(path.join(root, 'samples/q35-vfio-sizing.mrd'), 'utf8');
const lines = text.split('\n');
/** 0-based line of the first line that, trimmed, starts with `prefix`. */
const line = (prefix: string): number => {
  const i = lines.findIndex((l) => l.trim().startsWith(prefix));
  if (i < 0) throw new Error(`no line ${prefix}`);
  return i;
};
const col = (l: number, word: string): number => lines[l].indexOf(word);

const SIZE_HI = line('write 0x14 4 0xffff_ffff');
const RESTORE = line('write 0x14 4 0 ');
const IOMMU = line('iommu vtd');
const BAR0 = line('bar 0 mem64');

let c: RpcClient;

beforeAll(async () => {
  if (isStale('server/out/server.js', ['server/src'])) await build();
  c = new RpcClient(process.execPath, [path.join(root, 'server/bin/mrd-language-server.js'), '--stdio']);
  await c.request('initialize', { processId: process.pid, rootUri: null, capabilities: { textDocument: { hover: { contentFormat: ['markdown'] } } } });
  c.notify('initialized', {});
  c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'mrd', version: 1, text } });
}, 60_000);

afterAll(() => c?.kill());

describe('the seed scenario over LSP', () => {
  it('MR4001 sits on the size-hi step, with the IOMMU as related information; MR6001 points at the restoring step', async () => {
    const m = await c.waitFor((x) => x.method === 'textDocument/publishDiagnostics' && x.params.uri === uri);
    const ds = m.params.diagnostics as any[];
    const w = ds.find((d) => d.code === 'MR4001');
    expect(w.range.start).toEqual({ line: SIZE_HI, character: col(SIZE_HI, 'write') });
    expect(w.severity).toBe(2);
    expect(w.message).toContain('exceeds the 48-bit IOMMU');
    expect(w.relatedInformation).toEqual([
      { location: { uri, range: { start: { line: IOMMU, character: 0 }, end: { line: IOMMU, character: lines[IOMMU].length } } }, message: 'the 48-bit IOMMU vtd' },
    ]);
    const t = ds.find((d) => d.code === 'MR6001' && d.range.start.line === SIZE_HI);
    expect(t.relatedInformation.map((r: any) => [r.location.range.start.line, r.message])).toEqual([[RESTORE, 'the mapping ends here']]);
  });

  it('hover on the BAR declaration: the resolved absolute address at the end of the sequence', async () => {
    const h = await c.request('textDocument/hover', { textDocument: { uri }, position: { line: BAR0, character: col(BAR0, 'bar 0') + 1 } });
    expect(h.contents.value).toContain('**BAR0** of 01:10.0 (`nvme0`): 0xfebe_0000..0xfebe_3fff (16 KiB), mem64');
    expect(h.contents.value).toContain('**`memory`**: 0xfebe_0000..0xfebe_3fff');
  });

  it('hover on the size-hi step: the transient address', async () => {
    const h = await c.request('textDocument/hover', { textDocument: { uri }, position: { line: SIZE_HI, character: col(SIZE_HI, 'write') + 2 } });
    expect(h.contents.value).toContain('BAR0 mem64, 16 KiB: 0xffff_ffff_febe_0000..0xffff_ffff_febe_3fff');
    expect(h.range.start).toEqual({ line: SIZE_HI, character: col(SIZE_HI, 'write') });
  });

  it('inlay hints after the steps that move BAR0', async () => {
    const hints = await c.request('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: SIZE_HI, character: 0 }, end: { line: SIZE_HI + 1, character: 0 } } });
    expect(hints.map((x: any) => [x.position.line, x.label])).toEqual([[SIZE_HI, '→ BAR0 @ 0xffff_ffff_febe_0000']]);
  });

  it('outline: the host with the root port, the device and its BAR; the sequence with its label', async () => {
    const syms = await c.request('textDocument/documentSymbol', { textDocument: { uri } });
    const q35 = syms.find((s: any) => s.name === 'q35');
    const nvme = q35.children.find((s: any) => s.name === 'rp0').children.find((s: any) => s.name === 'nvme0');
    expect(nvme.children.map((s: any) => [s.name, s.kind])).toEqual([['BAR0', 8]]); // SymbolKind.Field
    const seq = syms.find((s: any) => s.name === 'linux-2014-sizing');
    expect(seq.kind).toBe(24); // SymbolKind.Event
    expect(seq.children.map((s: any) => s.name)).toEqual(['size-hi']);
  });

  it('definition from `on 01:10.0` to the device', async () => {
    const on = line('sequence linux-2014-sizing');
    const locs = await c.request('textDocument/definition', { textDocument: { uri }, position: { line: on, character: col(on, '01:10.0') + 3 } });
    const decl = line('device 01:10.0');
    expect(locs).toEqual([{ uri, range: { start: { line: decl, character: col(decl, '01:10.0') }, end: { line: decl, character: col(decl, '01:10.0') + 7 } } }]);
  });

  it('the quick fix on the size-hi step: COMMAND writes before the label and after the restoring line', async () => {
    const m = await c.waitFor((x) => x.method === 'textDocument/publishDiagnostics' && x.params.uri === uri);
    const diags = (m.params.diagnostics as any[]).filter((d) => d.range.start.line === SIZE_HI);
    const actions = await c.request('textDocument/codeAction', {
      textDocument: { uri }, range: diags[0].range, context: { diagnostics: diags },
    });
    expect(actions.map((a: any) => [a.title, a.kind, a.diagnostics.map((d: any) => d.code)])).toEqual([
      ['clear memory decode around the sizing', 'quickfix', ['MR6001']],
    ]);
    const label = line('label size-hi');
    expect(actions[0].edit.changes[uri]).toEqual([
      { range: { start: { line: label, character: 2 }, end: { line: label, character: 2 } }, newText: 'write 0x04 2 0x0004\n  ' },
      { range: { start: { line: RESTORE, character: lines[RESTORE].length }, end: { line: RESTORE, character: lines[RESTORE].length } }, newText: '\n  write 0x04 2 0x0006' },
    ]);
  });
});
