// Workspace symbols over the built server (stdio): the open documents as the editor has them,
// then the workspace folder's closed .mrd files as they are on disk, read again when they
// change; hidden folders, node_modules and binary files are not read.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, isStale, root } from '../../../scripts/build.mjs';
import { RpcClient } from './rpcClient.js';
import { WorkspaceFiles } from '../../src/lsp/workspaceFiles.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mrd-lsp-workspace-'));
const file = (rel: string, text: string | Buffer) => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
  return pathToFileURL(path.join(dir, rel)).href;
};
const openUri = file('open.mrd', 'ram disk_ram size 4K\n');
const closedUri = file('closed.mrd', '# on disk only\nconst SOC_BASE = 0x1000_0000\ncontainer soc size 256M {\n  io soc_uart size 4K\n}\n');
const deepUri = file('boards/rev2/deep.mrd', 'rom deep_rom size 64K\n');
file('node_modules/pkg/skipped.mrd', 'ram skipped_nm size 4K\n');
file('.git/skipped.mrd', 'ram skipped_hidden size 4K\n');
file('notes.txt', 'ram skipped_txt size 4K\n');
file('blob.mrd', Buffer.from([0x72, 0x61, 0x6d, 0, 0, 1, 2]));

let c: RpcClient;
beforeAll(async () => {
  if (isStale('server/out/server.js', ['server/src'])) await build();
  c = new RpcClient(process.execPath, [path.join(root, 'server/bin/mrd-language-server.js'), '--stdio']);
  await c.request('initialize', {
    processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'ws' }],
  });
  c.notify('initialized', {});
  // Open, with text the disk does not have.
  c.notify('textDocument/didOpen', { textDocument: { uri: openUri, languageId: 'mrd', version: 1, text: 'ram editor_ram size 4K\n' } });
}, 60_000);
afterAll(() => {
  c?.kill();
  rmSync(dir, { recursive: true, force: true });
});

const names = (r: any[]) => r.map((s) => `${s.name} ${path.relative(dir, new URL(s.location.uri).pathname)}`).sort();

describe('workspace symbols over the workspace folder', () => {
  it('lists the closed files as on disk and the open one as in the editor, nothing else', async () => {
    const all = await c.request('workspace/symbol', { query: '' });
    expect(names(all)).toEqual([
      'SOC_BASE closed.mrd', 'deep_rom boards/rev2/deep.mrd', 'editor_ram open.mrd', 'soc closed.mrd', 'soc_uart closed.mrd',
    ]);
    const uart = all.find((s: any) => s.name === 'soc_uart');
    expect(uart).toEqual({
      name: 'soc_uart', kind: expect.any(Number), containerName: 'soc',
      location: { uri: closedUri, range: { start: { line: 3, character: 5 }, end: { line: 3, character: 13 } } },
    });
    expect(names(await c.request('workspace/symbol', { query: 'uart' }))).toEqual(['soc_uart closed.mrd']);
  });

  it('reads a file again once it changed on disk, and forgets one deleted', async () => {
    file('closed.mrd', 'io soc_spi size 4K\n');
    rmSync(path.join(dir, 'boards'), { recursive: true });
    c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: closedUri, type: 2 }, { uri: deepUri, type: 3 }] });
    expect(names(await c.request('workspace/symbol', { query: '' }))).toEqual(['editor_ram open.mrd', 'soc_spi closed.mrd']);
  });

  it('takes a file closed in the editor from the disk again', async () => {
    c.notify('textDocument/didClose', { textDocument: { uri: openUri } });
    expect(names(await c.request('workspace/symbol', { query: 'ram' }))).toEqual(['disk_ram open.mrd']);
  });
});

describe('reading a large workspace', () => {
  it('reads new files within a budget per request, at least one, the rest on later requests', () => {
    const ws = mkdtempSync(path.join(tmpdir(), 'mrd-ws-budget-'));
    try {
      for (const n of ['a', 'b', 'c']) writeFileSync(path.join(ws, `${n}.mrd`), `ram ${n}_ram size 4K\n`);
      const w = new WorkspaceFiles([ws], 0);
      const got = () => w.symbols('', () => false, 100).map((s) => s.name);
      expect(got()).toEqual(['a_ram']);
      expect(got()).toEqual(['a_ram', 'b_ram']);
      expect(got()).toEqual(['a_ram', 'b_ram', 'c_ram']);
      // Without a budget to speak of, everything at once.
      expect(new WorkspaceFiles([ws]).symbols('_ram', () => false, 100).map((s) => s.name)).toEqual(['a_ram', 'b_ram', 'c_ram']);
      expect(new WorkspaceFiles([ws]).symbols('', (p) => p.endsWith('b.mrd'), 1).map((s) => s.name)).toEqual(['a_ram']);
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  });
});
