// `include` in the built language server over stdio, with files in a temporary directory: the
// including document's diagnostics follow the included file as it is opened, edited, closed and
// changed on disk; go to definition leads into the included file.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, isStale, root } from '../../../scripts/build.mjs';
import { RpcClient } from './rpcClient.js';
import { fromWire } from '../../src/ide/mapDecode.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mrd-lsp-include-'));
const aPath = path.join(dir, 'a.mrd');
const bPath = path.join(dir, 'b.mrd');
const aUri = pathToFileURL(aPath).href;
const bUri = pathToFileURL(bPath).href;
const aText = 'include "b.mrd"\nalias x -> pc.ram size 4K\naddress-space memory root x\n';
const bBroken = 'ram pc.ram size 1M\nalias bad -> nowhere\n';
const bFixed = 'ram pc.ram size 1M\n';

beforeAll(async () => {
  if (isStale('server/out/server.js', ['server/src'])) await build();
  writeFileSync(aPath, aText);
  writeFileSync(bPath, bBroken);
}, 60_000);

async function start(capabilities: object): Promise<RpcClient> {
  const c = new RpcClient(process.execPath, [path.join(root, 'server/bin/mrd-language-server.js'), '--stdio']);
  await c.request('initialize', { processId: process.pid, rootUri: null, capabilities });
  c.notify('initialized', {});
  return c;
}

type Message = { method?: string; params?: any };

/** The next diagnostics published for `uri` after the `after`-th notification, matching `pred`. */
function published(c: RpcClient, uri: string, after: number, pred: (ds: any[]) => boolean) {
  return c.waitFor((m: Message) =>
    c.notifications.indexOf(m as any) >= after && m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && pred(m.params.diagnostics));
}

describe('include over stdio (push diagnostics)', () => {
  let c: RpcClient;
  beforeAll(async () => {
    c = await start({});
  });
  afterAll(() => c.kill());

  it('an error in the included file (read from disk) is reported at the include, with its location there', async () => {
    c.notify('textDocument/didOpen', { textDocument: { uri: aUri, languageId: 'mrd', version: 1, text: aText } });
    const m = await published(c, aUri, 0, (ds) => ds.length > 0);
    const [d] = m.params.diagnostics;
    expect(m.params.diagnostics).toHaveLength(1);
    expect(d).toMatchObject({ code: 'MR2026', severity: 1, range: { start: { line: 0, character: 8 }, end: { line: 0, character: 15 } } });
    expect(d.message).toMatch(/^included file b\.mrd has 1 error; first: line 2: MR2010: /);
    expect(d.relatedInformation).toEqual([
      { location: { uri: bUri, range: { start: { line: 1, character: 13 }, end: { line: 1, character: 20 } } }, message: expect.stringMatching(/^MR2010: /) },
    ]);
  });

  it('go to definition of a region of the included file opens that file', async () => {
    const defs = await c.request('textDocument/definition', { textDocument: { uri: aUri }, position: { line: 1, character: 13 } });
    expect(defs).toEqual([{ uri: bUri, range: { start: { line: 0, character: 4 }, end: { line: 0, character: 10 } } }]);
    const refs = await c.request('textDocument/references', { textDocument: { uri: aUri }, position: { line: 1, character: 13 }, context: { includeDeclaration: true } });
    expect(refs.map((l: any) => [l.uri, l.range.start.line])).toEqual([[aUri, 1], [bUri, 0]]);
    // The include path: a link to the file, and its definition is the file's start.
    const onPath = await c.request('textDocument/definition', { textDocument: { uri: aUri }, position: { line: 0, character: 10 } });
    expect(onPath).toEqual([{ uri: bUri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }]);
    const links = await c.request('textDocument/documentLink', { textDocument: { uri: aUri } });
    expect(links).toEqual([{ range: { start: { line: 0, character: 8 }, end: { line: 0, character: 15 } }, target: bUri }]);
  });

  it("highlights a symbol's occurrences in the document, not those in the included file", async () => {
    const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });
    // pc.ram is declared in b.mrd: only its use here.
    const inB = await c.request('textDocument/documentHighlight', { textDocument: { uri: aUri }, position: { line: 1, character: 13 } });
    expect(inB).toEqual([{ range: range(1, 11, 17), kind: 2 }]);
    // x is declared here (written) and used as the root of an address space (read).
    const x = await c.request('textDocument/documentHighlight', { textDocument: { uri: aUri }, position: { line: 1, character: 6 } });
    expect(x).toEqual([{ range: range(1, 6, 7), kind: 3 }, { range: range(2, 26, 27), kind: 2 }]);
    const none = await c.request('textDocument/documentHighlight', { textDocument: { uri: aUri }, position: { line: 1, character: 20 } });
    expect(none).toEqual([]);
  });

  it('completes include paths with the .mrd files and directories next to the document', async () => {
    mkdirSync(path.join(dir, 'parts'), { recursive: true });
    writeFileSync(path.join(dir, 'parts', 'cpu.mrd'), '');
    writeFileSync(path.join(dir, 'notes.txt'), '');
    const uri = pathToFileURL(path.join(dir, 'typing.mrd')).href;
    c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'mrd', version: 1, text: 'include "\ninclude "parts/c' } });
    const top = await c.request('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 9 } });
    expect(top.items.map((i: any) => i.label)).toEqual(['a.mrd', 'b.mrd', 'parts/']);
    const sub = await c.request('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 16 } });
    expect(sub.items).toEqual([
      { label: 'cpu.mrd', kind: 17, textEdit: { range: { start: { line: 1, character: 15 }, end: { line: 1, character: 16 } }, newText: 'cpu.mrd' } },
    ]);
    c.notify('textDocument/didClose', { textDocument: { uri } });
  });

  it('the memory map reveals a region of the included file at its include', async () => {
    const r = await c.request('mrd/mapData', { uri: aUri });
    const regions = fromWire(r.map).regions;
    expect(regions.find((x) => x.name === 'pc.ram')?.nameRange).toEqual([0, 8, 0, 15]);
    expect(regions.find((x) => x.name === 'x')?.nameRange).toEqual([1, 6, 1, 7]);
  });

  it('opening the included file with other text (unsaved) updates the including document', async () => {
    const n = c.notifications.length;
    c.notify('textDocument/didOpen', { textDocument: { uri: bUri, languageId: 'mrd', version: 1, text: bFixed } });
    await published(c, aUri, n, (ds) => ds.length === 0);
  });

  it('an edit of the included file updates the including document', async () => {
    const n = c.notifications.length;
    c.notify('textDocument/didChange', {
      textDocument: { uri: bUri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 16 }, end: { line: 0, character: 18 } }, text: '2^65' }],
    });
    const m = await published(c, aUri, n, (ds) => ds.length > 0);
    // pc.ram keeps no size (2^65 is out of range), so the 4K alias onto it now shows nothing (MR3001).
    expect(m.params.diagnostics.map((d: any) => d.code)).toEqual(['MR2026', 'MR3001']);
    expect(m.params.diagnostics[0].message).toMatch(/first: line 1: /);
    expect(m.params.diagnostics[0].relatedInformation[0].location.uri).toBe(bUri);
  });

  it('closing it reads the file from disk again; a change on disk is followed when the client reports it', async () => {
    let n = c.notifications.length;
    c.notify('textDocument/didClose', { textDocument: { uri: bUri } });
    let m = await published(c, aUri, n, (ds) => ds.length > 0);
    expect(m.params.diagnostics[0].message).toMatch(/first: line 2: MR2010/);
    n = c.notifications.length;
    writeFileSync(bPath, bFixed);
    c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: bUri, type: 2 }] });
    m = await published(c, aUri, n, (ds) => ds.length === 0);
    expect(m.params.diagnostics).toEqual([]);
  });

  it('a missing included file, then created and reported, is followed', async () => {
    const cPath = path.join(dir, 'c.mrd');
    const cUri = pathToFileURL(cPath).href;
    let n = c.notifications.length;
    c.notify('textDocument/didOpen', { textDocument: { uri: cUri, languageId: 'mrd', version: 1, text: 'include "later.mrd"\n' } });
    let m = await published(c, cUri, n, (ds) => ds.length > 0);
    expect(m.params.diagnostics.map((d: any) => d.code)).toEqual(['MR2020']);
    n = c.notifications.length;
    writeFileSync(path.join(dir, 'later.mrd'), 'ram later size 4K\n');
    c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(dir, 'later.mrd')).href, type: 1 }] });
    m = await published(c, cUri, n, (ds) => ds.length === 0);
    expect(m.params.diagnostics).toEqual([]);
  });
});

describe('include over stdio (pull diagnostics)', () => {
  it('a change to the included file asks the client to pull again, and the pull has a new result', async () => {
    writeFileSync(bPath, bBroken);
    const c = await start({ textDocument: { diagnostic: {} }, workspace: { diagnostics: { refreshSupport: true } } });
    let refreshes = 0;
    c.handlers['workspace/diagnostic/refresh'] = () => {
      refreshes++;
      return null;
    };
    try {
      c.notify('textDocument/didOpen', { textDocument: { uri: aUri, languageId: 'mrd', version: 1, text: aText } });
      const first = await c.request('textDocument/diagnostic', { textDocument: { uri: aUri } });
      expect(first.items.map((d: any) => d.code)).toEqual(['MR2026']);
      c.notify('textDocument/didOpen', { textDocument: { uri: bUri, languageId: 'mrd', version: 1, text: bFixed } });
      // The refresh request arrives before any later answer (messages are in order).
      const second = await c.request('textDocument/diagnostic', { textDocument: { uri: aUri }, previousResultId: first.resultId });
      expect(second.kind).toBe('full');
      expect(second.items).toEqual([]);
      expect(second.resultId).not.toBe(first.resultId);
      expect(refreshes).toBeGreaterThan(0);
    } finally {
      c.kill();
    }
  });
});
