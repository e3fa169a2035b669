// The built language server (server/out/server.js via server/bin/mrd-language-server.js)
// over stdio, as an editor uses it: initialize, open, diagnostics (pushed and pulled), edits,
// hover, rename, the flat-view request, shutdown. Rebuilds the bundle first if it is stale.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, isStale, root } from '../../../scripts/build.mjs';
import { RawResponse, RpcClient } from './rpcClient.js';

const uri = 'file:///work/sample.mrd';
const sample = `const RAM = 128M
address-space memory root system
container system size 2^64 {
  alias ram-below-4g -> pc.ram size RAM
  alias isa -> nowhere size 128K at 0xe_0000
  container pci size 2^64 priority -1 {
    rom pc.bios size 256K at 0xfffc_0000
  }
}
ram pc.ram size RAM
`;

beforeAll(async () => {
  if (isStale('server/out/server.js', ['server/src'])) await build();
}, 60_000);

async function start(capabilities: object): Promise<RpcClient> {
  const c = new RpcClient(process.execPath, [path.join(root, 'server/bin/mrd-language-server.js'), '--stdio']);
  const init = await c.request('initialize', { processId: process.pid, rootUri: null, capabilities });
  expect(init.capabilities.textDocumentSync.change).toBe(2); // incremental
  c.notify('initialized', {});
  return c;
}

const diagnosticsFor = (version: number) => (m: { method?: string; params?: any }) =>
  m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && m.params.version === version;

describe('language server over stdio (push diagnostics)', () => {
  let c: RpcClient;
  beforeAll(async () => {
    c = await start({ textDocument: { hover: { contentFormat: ['markdown'] } } });
    c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'mrd', version: 1, text: sample } });
  });
  afterAll(() => c.kill());

  it('publishes diagnostics for the opened version, on the right line, with code links', async () => {
    const m = await c.waitFor(diagnosticsFor(1));
    expect(m.params.diagnostics).toHaveLength(1);
    const [d] = m.params.diagnostics;
    expect(d).toMatchObject({ code: 'MR2010', source: 'mrd', severity: 1, range: { start: { line: 4, character: 15 }, end: { line: 4, character: 22 } } });
    expect(d.codeDescription.href).toMatch(/^file:\/\/.*\/docs\/language\.md#L\d+$/);
  });

  it('applies incremental edits and publishes only the latest of rapid versions', async () => {
    // Three edits read in one go: they coalesce into one analysis of version 4 (the server
    // handles one message per event-loop turn, so a stall of the test machine longer than the
    // shortest debounce could let version 2 or 3 through; then it must have been the latest
    // when published, so versions go forward, and be true for its own text: no error).
    const edit = (version: number, text: string, line: number, from: number, to: number) => ({
      method: 'textDocument/didChange',
      params: {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line, character: from }, end: { line, character: to } }, text }],
      },
    });
    const before = c.notifications.length;
    c.notifyAll([edit(2, 'pc.ram', 4, 15, 22), edit(3, 'pc.bios', 4, 15, 21), edit(4, 'pc.ram', 4, 15, 22)]);
    const m = await c.waitFor(diagnosticsFor(4));
    expect(m.params.diagnostics).toEqual([]);
    const published = c.notifications.slice(before).filter((n: any) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri);
    const versions = published.map((n: any) => n.params.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(versions[versions.length - 1]).toBe(4);
    for (const n of published) expect(n.params.diagnostics).toEqual([]);
  });

  it('answers hover with the resolved absolute address', async () => {
    const h = await c.request('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 10 } });
    expect(h.contents.kind).toBe('markdown');
    expect(h.contents.value).toContain('0xfffc_0000..0xffff_ffff');
    expect(h.range).toEqual({ start: { line: 6, character: 8 }, end: { line: 6, character: 15 } });
  });

  it('renames a region across its references', async () => {
    const e = await c.request('textDocument/rename', { textDocument: { uri }, position: { line: 9, character: 5 }, newName: 'ram0' });
    const edits = e.changes[uri];
    expect(edits.map((x: any) => x.range.start.line).sort()).toEqual([3, 4, 9]);
    expect(edits.every((x: any) => x.newText === 'ram0')).toBe(true);
  });

  it('serves the flat view as info mtree -f text', async () => {
    // isa (added later, same priority) wins over ram-below-4g at 0xe_0000, showing pc.ram's
    // bytes 0..0x1_ffff there; ram-below-4g shows the rest of pc.ram from 0x10_0000 on.
    const r = await c.request('mrd/flatView', { uri });
    expect(r.version).toBe(4);
    expect(r.spaces).toEqual(['memory']);
    expect(r.text).toBe(`FlatView #0
 AS "memory", root: system
 Root memory region: system
  0000000000000000-00000000000dffff (prio 0, ram): pc.ram
  00000000000e0000-00000000000fffff (prio 0, ram): pc.ram
  0000000000100000-0000000007ffffff (prio 0, ram): pc.ram @0000000000100000
  00000000fffc0000-00000000ffffffff (prio 0, rom): pc.bios

`);
  });

  it('shuts down and exits cleanly', async () => {
    await c.request('shutdown', null);
    c.notify('exit', null);
    expect(await c.exited()).toBe(0);
  });
});

describe('language server over stdio (pull diagnostics)', () => {
  it('answers textDocument/diagnostic for the latest version and reports unchanged results', async () => {
    const c = await start({ textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { diagnostics: { refreshSupport: true } } });
    try {
      c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'mrd', version: 7, text: sample } });
      const r = await c.request('textDocument/diagnostic', { textDocument: { uri } });
      expect(r.kind).toBe('full');
      expect(r.items.map((d: any) => [d.code, d.range.start.line])).toEqual([['MR2010', 4]]);
      const again = await c.request('textDocument/diagnostic', { textDocument: { uri }, previousResultId: r.resultId });
      expect(again.kind).toBe('unchanged');
      // No pushed diagnostics when the client pulls.
      expect(c.notifications.some((m) => m.method === 'textDocument/publishDiagnostics')).toBe(false);
    } finally {
      c.kill();
    }
  });
});

describe('language server over stdio: the visibility checks (MR3010)', () => {
  // `first` is under `second` (same address, equal priority, declared later: R-ORD-2).
  const hidden = '  ram first size 4K\n  io second size 4K\n';
  const doc = (filler: number) => {
    let t = `address-space memory root sys\ncontainer sys size 2^64 {\n${hidden}`;
    for (let i = 1; i <= filler; i++) t += `  ram r${i} size 4K at ${i * 4096}\n`;
    return `${t}}\n`;
  };
  const codes = (ds: any[]) => ds.map((d) => `${d.code}@${d.range.start.line}`);

  it('come with the diagnostics of a small machine', async () => {
    const c = await start({});
    try {
      c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'mrd', version: 1, text: doc(10) } });
      const m = await c.waitFor(diagnosticsFor(1));
      expect(codes(m.params.diagnostics)).toEqual(['MR3010@2']);
    } finally {
      c.kill();
    }
  });

  it('come once the document is quiet on a machine of over 5,000 regions, pushed again', async () => {
    const c = await start({});
    try {
      c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'mrd', version: 1, text: doc(6_000) } });
      const first = await c.waitFor(diagnosticsFor(1), 30_000);
      expect(codes(first.params.diagnostics)).toEqual([]);
      const later = await c.waitFor((m) => m !== first && diagnosticsFor(1)(m), 30_000);
      expect(codes(later.params.diagnostics)).toEqual(['MR3010@2']);
    } finally {
      c.kill();
    }
  });

  it('make a client that pulls pull again, with a new result', async () => {
    const c = await start({ textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { diagnostics: { refreshSupport: true } } });
    let refreshed!: () => void;
    const refresh = new Promise<void>((resolve) => (refreshed = resolve));
    c.handlers['workspace/diagnostic/refresh'] = () => {
      refreshed();
      return null;
    };
    try {
      c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'mrd', version: 1, text: doc(6_000) } });
      const r = await c.request('textDocument/diagnostic', { textDocument: { uri } });
      expect(codes(r.items)).toEqual([]);
      await refresh;
      const again = await c.request('textDocument/diagnostic', { textDocument: { uri }, previousResultId: r.resultId });
      expect(again.kind).toBe('full');
      expect(codes(again.items)).toEqual(['MR3010@2']);
    } finally {
      c.kill();
    }
  });
});

describe('language server over stdio: a client that answers its requests badly', () => {
  it('an error or a malformed answer to a refresh is logged, and the server goes on', async () => {
    const c = await start({ textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { diagnostics: { refreshSupport: true } } });
    const answers = [new RawResponse({ error: { code: -32601, message: 'no such method' } }), new RawResponse({})];
    let asked = 0;
    c.handlers['workspace/diagnostic/refresh'] = () => answers[asked++ % answers.length];
    try {
      c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'mrd', version: 1, text: sample } });
      // A change of settings makes the server ask a pulling client to pull again.
      for (let i = 0; i < 2; i++) {
        const before = c.notifications.length;
        c.notify('workspace/didChangeConfiguration', { settings: { mrd: { cpu: { physBits: 40 + i } } } });
        await c.waitFor((m) => c.notifications.indexOf(m as any) >= before && m.method === 'window/logMessage' && /refresh failed/.test(m.params.message));
      }
      expect(asked).toBe(2);
      const r = await c.request('textDocument/diagnostic', { textDocument: { uri } });
      expect(r.items.map((d: any) => d.code)).toEqual(['MR2010']);
    } finally {
      c.kill();
    }
  });
});
