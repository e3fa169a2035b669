// The built language server over stdio for the editor features beyond the basics: workspace
// symbols, code lenses, formatting, semantic tokens, selection ranges and the mtree import request.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, isStale, root } from '../../../scripts/build.mjs';
import { RpcClient } from './rpcClient.js';

const a = 'file:///work/a.mrd';
const b = 'file:///work/b.mrd';
const textA = `const RAM = 128M
address-space memory root system
container system size 4G {
  alias ram-below-4g -> pc.ram size RAM
  rom pc.bios size 256K at 0xfffc_0000
}
ram pc.ram size RAM
`;
const textB = 'ram other.ram size 4K\n';

let c: RpcClient;
beforeAll(async () => {
  if (isStale('server/out/server.js', ['server/src'])) await build();
  c = new RpcClient(process.execPath, [path.join(root, 'server/bin/mrd-language-server.js'), '--stdio']);
  const init = await c.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  expect(init.capabilities.workspaceSymbolProvider).toBe(true);
  c.notify('initialized', {});
  c.notify('textDocument/didOpen', { textDocument: { uri: a, languageId: 'mrd', version: 1, text: textA } });
  c.notify('textDocument/didOpen', { textDocument: { uri: b, languageId: 'mrd', version: 1, text: textB } });
}, 60_000);
afterAll(() => c?.kill());

describe('editor features over stdio', () => {
  it('expands a selection per position, each range linked to the one around it', async () => {
    const range = (l0: number, c0: number, l1: number, c1: number) => ({ start: { line: l0, character: c0 }, end: { line: l1, character: c1 } });
    // On `256K` (line 4) and on `pc.ram` (line 6).
    const [onSize, onRam] = await c.request('textDocument/selectionRange', {
      textDocument: { uri: a }, positions: [{ line: 4, character: 20 }, { line: 6, character: 6 }],
    });
    const chain = (r: any) => {
      const out = [];
      for (let x = r; x; x = x.parent) out.push(x.range);
      return out;
    };
    expect(chain(onSize)).toEqual([
      range(4, 19, 4, 23), // 256K
      range(4, 14, 4, 23), // size 256K
      range(4, 2, 4, 38), // the rom statement
      range(2, 26, 5, 0), // inside the braces
      range(2, 25, 5, 1), // the body
      range(2, 0, 5, 1), // container system
      range(0, 0, 7, 0), // the document
    ]);
    expect(chain(onRam)).toEqual([range(6, 4, 6, 10), range(6, 0, 6, 19), range(0, 0, 7, 0)]);
    const caps = new RpcClient(process.execPath, [path.join(root, 'server/bin/mrd-language-server.js'), '--stdio']);
    try {
      const init = await caps.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
      expect(init.capabilities).toMatchObject({ selectionRangeProvider: true, documentHighlightProvider: true });
    } finally {
      caps.kill();
    }
  });

  it('answers workspace/symbol across the open documents', async () => {
    const all = await c.request('workspace/symbol', { query: 'ram' });
    const names = all.map((s: any) => `${s.location.uri.slice(13)} ${s.name}`);
    expect(names).toEqual(expect.arrayContaining(['a.mrd RAM', 'a.mrd ram-below-4g', 'a.mrd pc.ram', 'b.mrd other.ram']));
    const bios = (await c.request('workspace/symbol', { query: 'pc.bios' }))[0];
    expect(bios).toMatchObject({ name: 'pc.bios', containerName: 'system', location: { uri: a, range: { start: { line: 4, character: 6 } } } });
  });

  it('lists code lenses on regions and titles them on resolve', async () => {
    const lenses = await c.request('textDocument/codeLens', { textDocument: { uri: a } });
    expect(lenses.map((l: any) => l.range.start.line)).toEqual([2, 3, 4, 6]);
    const bios = await c.request('codeLens/resolve', lenses[2]);
    expect(bios.command.title).toBe('memory: 0xfffc_0000..0xffff_ffff · 256 KiB visible');
    const [doc, , region] = lenses[2].data;
    const stale = await c.request('codeLens/resolve', { ...lenses[2], data: [doc, 0, region] });
    expect(stale.command.title).toBe('');
    // Data the server did not make: an empty title, never an error.
    for (const data of [undefined, { uri: a }, [99, 1, 1], [doc, 1], ['x', 1, 1]]) {
      expect((await c.request('codeLens/resolve', { ...lenses[2], data })).command.title).toBe('');
    }
  });

  it('formats a document or a selection, and refuses one with syntax errors', async () => {
    const uri = 'file:///work/fmt.mrd';
    c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'mrd', version: 1, text: 'container  c size 4K {\n      ram r size 1K\n}\n' } });
    const edits = await c.request('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    expect(edits).toEqual([
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 22 } }, newText: 'container c size 4K {' },
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 19 } }, newText: '  ram r size 1K' },
    ]);
    // Format selection: the second line only.
    const ranged = await c.request('textDocument/rangeFormatting', {
      textDocument: { uri }, range: { start: { line: 1, character: 3 }, end: { line: 2, character: 0 } }, options: { tabSize: 2, insertSpaces: true },
    });
    expect(ranged).toEqual([{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 19 } }, newText: '  ram r size 1K' }]);
    c.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'container  c size {\n' }] });
    expect(await c.request('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } })).toEqual([]);
  });

  it('offers to write a number in hex, in units or in decimal, when the editor asks for rewrites', async () => {
    const on256K = { start: { line: 4, character: 20 }, end: { line: 4, character: 20 } };
    const actions = await c.request('textDocument/codeAction', { textDocument: { uri: a }, range: on256K, context: { diagnostics: [] } });
    const edit = (text: string) => ({ changes: { [a]: [{ range: { start: { line: 4, character: 19 }, end: { line: 4, character: 23 } }, newText: text }] } });
    expect(actions).toEqual([
      { title: 'Write 256K as 0x4_0000', kind: 'refactor.rewrite', edit: edit('0x4_0000') },
      { title: 'Write 256K as 262144', kind: 'refactor.rewrite', edit: edit('262144') },
    ]);
    const quickFixesOnly = await c.request('textDocument/codeAction', {
      textDocument: { uri: a }, range: on256K, context: { diagnostics: [], only: ['quickfix'] },
    });
    expect(quickFixesOnly).toEqual([]);
    const refactors = await c.request('textDocument/codeAction', {
      textDocument: { uri: a }, range: on256K, context: { diagnostics: [], only: ['refactor'] },
    });
    expect(refactors).toHaveLength(2);
  });

  it('sends semantic tokens in the advertised legend', async () => {
    const tokens = await c.request('textDocument/semanticTokens/full', { textDocument: { uri: a } });
    // Region references and constants, each relative to the previous token.
    expect(tokens.data).toEqual([
      1, 26, 6, 0, 0, // system (root), line 1
      2, 24, 6, 0, 0, // pc.ram, line 3
      0, 12, 3, 2, 0, // RAM, 12 characters further
      3, 16, 3, 2, 0, // RAM, line 6
    ]);
  });

  it('imports a QEMU info mtree dump into .mrd text', async () => {
    const dump = [
      'address-space: memory',
      '  0000000000000000-ffffffffffffffff (prio 0, i/o): system',
      '    0000000000000000-0000000007ffffff (prio 0, ram): pc.ram',
      '',
    ].join('\n');
    const r = await c.request('mrd/importMtree', { text: dump });
    expect(r.text).toMatch(/^# Imported from QEMU/);
    expect(r.text).toMatch(/address-space memory root system/);
    expect(r.text).toMatch(/ram pc\.ram size 128M/);
    expect(r.diagnostics.map((d: any) => d.code)).toContain('MR7012');
    await expect(c.request('mrd/importMtree', {})).rejects.toThrow(/no dump text/);
  });

  it('drops code lenses when mrd.codeLens.enabled is off', async () => {
    c.notify('workspace/didChangeConfiguration', { settings: { mrd: { codeLens: { enabled: false } } } });
    await expect.poll(async () => (await c.request('textDocument/codeLens', { textDocument: { uri: a } })).length).toBe(0);
    c.notify('workspace/didChangeConfiguration', { settings: { mrd: {} } });
  });
});

describe('outline and folding limits over stdio', () => {
  it('keeps mrd.maxItemsComputed symbols (breadth first) and lenses, and honours the client folding range limit', async () => {
    const s = new RpcClient(process.execPath, [path.join(root, 'server/bin/mrd-language-server.js'), '--stdio']);
    try {
      await s.request('initialize', {
        processId: process.pid, rootUri: null, capabilities: { textDocument: { foldingRange: { rangeLimit: 1 } } },
        initializationOptions: { settings: { maxItemsComputed: 3 } },
      });
      s.notify('initialized', {});
      const text = 'const RAM = 4K\ncontainer one size 4K {\n  ram r size RAM\n}\ncontainer two size 4K {\n  ram q size RAM\n}\n';
      s.notify('textDocument/didOpen', { textDocument: { uri: a, languageId: 'mrd', version: 1, text } });
      const syms = await s.request('textDocument/documentSymbol', { textDocument: { uri: a } });
      // The three top-level symbols, none of the two regions inside the bodies.
      expect(syms.map((x: any) => `${x.name}:${x.children.length}`)).toEqual(['RAM:0', 'one:0', 'two:0']);
      const folds = await s.request('textDocument/foldingRange', { textDocument: { uri: a } });
      expect(folds.map((f: any) => f.startLine)).toEqual([1]);
      // Four regions, lenses on the first three.
      const lenses = await s.request('textDocument/codeLens', { textDocument: { uri: a } });
      expect(lenses.map((l: any) => l.range.start.line)).toEqual([1, 2, 4]);
      // The answers are kept with the version, but not across a change of the limit or an edit.
      const names = async () => (await s.request('textDocument/documentSymbol', { textDocument: { uri: a } }))
        .map((x: any) => `${x.name}:${x.children.length}`);
      expect(await names()).toEqual(['RAM:0', 'one:0', 'two:0']);
      s.notify('workspace/didChangeConfiguration', { settings: { mrd: { maxItemsComputed: 2 } } });
      await expect.poll(names).toEqual(['RAM:0', 'one:0']);
      expect((await s.request('textDocument/codeLens', { textDocument: { uri: a } })).length).toBe(2);
      s.notify('textDocument/didChange', {
        textDocument: { uri: a, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 6 }, end: { line: 0, character: 9 } }, text: 'MEM' }],
      });
      await expect.poll(names).toEqual(['MEM:0', 'one:0']);
    } finally {
      s.kill();
    }
  });
});
