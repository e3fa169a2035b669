// The built language server under stress, over stdio as an editor drives it: 1,000 rapid
// edits to a 10,000-region document (only the latest version is published, and what is
// published is true for that version), requests racing edits, a document closed while it is
// analysed, malformed JSON-RPC, and a client that disconnects. The process stays up, answers,
// and its RSS returns to a steady level (read from /proc/PID/status after each phase).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, isStale, root } from '../../../scripts/build.mjs';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { RpcClient } from './rpcClient.js';

const uri = 'file:///work/stress.mrd';
const REGIONS = 10_000;
/** Line of the probe alias (after the header and the regions): its target decides MR2010. */
const PROBE_LINE = REGIONS + 3;

function documentText(): string[] {
  const lines = ['address-space memory root system', 'ram pc.ram size 128M', 'container system size 2^64 {'];
  for (let i = 0; i < REGIONS; i++) lines.push(`  ram r${i} size 4K at 0x${(0x1_0000_0000 + i * 0x1000).toString(16)}`);
  lines.push('  alias probe -> pc.ram size 4K', '}');
  return lines;
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms))]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Publish = { version: number; diagnostics: any[]; latestSent: number; at: number };

describe('language server under stress', () => {
  let c: RpcClient;
  let lines: string[];
  let version = 1;
  // Every version's text, rebuilt on demand from the base lines and the edit log (keeping
  // 1,000 copies of a 400 KB text would slow the client enough to starve the server).
  let base: string[];
  const log: { version: number; line: number; text: string }[] = [];
  const textOf = (v: number): string => {
    const ls = base.slice();
    for (const e of log) if (e.version <= v) ls[e.line] = e.text;
    return ls.join('\n');
  };
  const publishes: Publish[] = [];
  const rss: Record<string, number> = {};

  beforeAll(async () => {
    if (isStale('server/out/server.js', ['server/src'])) await build();
    c = new RpcClient(process.execPath, [path.join(root, 'server/bin/mrd-language-server.js'), '--stdio']);
    c.onNotification = (m) => {
      if (m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri) {
        publishes.push({ version: m.params.version, diagnostics: m.params.diagnostics, latestSent: version, at: Date.now() });
      }
    };
    await within(c.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} }), 20_000, 'initialize');
    c.notify('initialized', {});
    lines = documentText();
    base = lines.slice();
    c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'mrd', version: 1, text: textOf(1) } });
  }, 120_000);

  afterAll(() => {
    c?.kill();
    console.log(`RSS (MB): ${Object.entries(rss).map(([k, v]) => `${k} ${(v / 1024).toFixed(0)}`).join(', ')}`);
  });

  /** Replaces line `line` and sends the change as version+1 (incremental sync). */
  function edit(line: number, text: string): void {
    const old = lines[line];
    lines[line] = text;
    version++;
    log.push({ version, line, text });
    c.notify('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: old.length } }, text }],
    });
  }

  /** Odd versions point the probe at a region that does not exist. */
  const probeFor = (v: number) => `  alias probe -> ${v % 2 ? 'nowhere' : 'pc.ram'} size 4K`;

  /** A publish must tell the truth about its version: the same diagnostics as analysing that text. */
  function checkTruth(p: Publish): void {
    const want = analyzeDocument(textOf(p.version)).diagnostics.map((d) => d.code).sort();
    expect(p.diagnostics.map((d: any) => d.code).sort(), `version ${p.version}`).toEqual(want);
    const probe = p.diagnostics.filter((d: any) => d.code === 'MR2010');
    expect(probe.map((d: any) => d.range.start.line)).toEqual(p.version % 2 ? [PROBE_LINE] : []);
  }

  /** The requests an editor makes after each publish (fills the per-analysis caches). */
  async function look(): Promise<void> {
    await within(Promise.all([
      c.request('mrd/flatView', { uri }),
      c.request('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 8 } }),
      c.request('textDocument/documentSymbol', { textDocument: { uri } }),
      c.request('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } } }),
    ]), 60_000, 'requests after a publish');
  }

  it('publishes the opened 10,000-region document', async () => {
    const first = await within(c.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.version === 1, 60_000), 60_000, 'open');
    expect(first.params.diagnostics).toEqual([]);
    await look();
    rss.open = rssKb(c.pid);
  }, 70_000);

  it('1,000 rapid edits: superseded versions are skipped, the final one is published, truthfully', async () => {
    const before = publishes.length;
    // All in one tick: the server reads them back to back and each change restarts the
    // debounce, so (almost) every version is superseded before it is analysed. A scheduling
    // stall of the test machine longer than the debounce may let one through; each of those
    // must still be true for its own version.
    for (let i = 0; i < 1000; i++) {
      if (i % 3 === 0) edit(PROBE_LINE, probeFor(version + 1));
      else {
        const k = 3 + ((i * 7919) % REGIONS);
        edit(k, lines[k].replace(/size \w+/, `size ${i % 2 ? '4K' : '2K'}`));
      }
    }
    const last = version;
    await within(c.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.version === last, 60_000), 60_000, 'final publish');
    await sleep(400); // nothing further may trickle in
    const burst = publishes.slice(before);
    const vs = burst.map((p) => p.version);
    console.log(`1,000 edits: published versions ${vs.join(', ')}`);
    expect(vs[vs.length - 1]).toBe(last);
    expect(vs).toEqual([...vs].sort((a, b) => a - b));
    expect(vs.length).toBeLessThanOrEqual(10);
    for (const p of burst) checkTruth(p);
    rss.burst = rssKb(c.pid);
  }, 90_000);

  it('paced edits: published versions only go forward, each is true for its text, the last one is final', async () => {
    const before = publishes.length;
    for (let i = 0; i < 12; i++) {
      edit(PROBE_LINE, probeFor(version + 1));
      await sleep([5, 60, 400][i % 3]);
    }
    const last = version;
    await within(c.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.version === last, 60_000), 60_000, 'final publish');
    await sleep(300);
    const paced = publishes.slice(before);
    const vs = paced.map((p) => p.version);
    expect(vs).toEqual([...vs].sort((a, b) => a - b));
    expect(new Set(vs).size).toBe(vs.length);
    expect(vs[vs.length - 1]).toBe(last);
    // A publish may only be for a version the client had sent when it arrived.
    for (const p of paced) expect(p.version).toBeLessThanOrEqual(p.latestSent);
    for (const p of paced) checkTruth(p);
    rss.paced = rssKb(c.pid);
  }, 90_000);

  it('requests racing edits answer for the latest version', async () => {
    // 50 edits, then requests in the same tick: the answer is for version 50 edits later.
    for (let i = 0; i < 50; i++) edit(PROBE_LINE, probeFor(version + 1));
    const burstFlat = await within(c.request('mrd/flatView', { uri }), 30_000, 'flatView after a burst');
    expect(burstFlat.version).toBe(version);
    for (let i = 0; i < 5; i++) {
      edit(PROBE_LINE, probeFor(version + 1));
      const want = version;
      const [flat, hov, syms] = await within(Promise.all([
        c.request('mrd/flatView', { uri }),
        c.request('textDocument/hover', { textDocument: { uri }, position: { line: PROBE_LINE, character: 10 } }),
        i % 2 === 0 ? c.request('textDocument/documentSymbol', { textDocument: { uri } }) : Promise.resolve(null),
      ]), 30_000, 'racing requests');
      expect(flat.version).toBe(want);
      expect(hov?.contents?.value ?? '').toContain('probe');
      if (syms) expect(syms.length).toBeGreaterThan(0);
    }
    // Positions past the end of the document, and an unknown document.
    const far = await c.request('textDocument/hover', { textDocument: { uri }, position: { line: 10_000_000, character: 5 } });
    expect(far).toBeNull();
    expect(await c.request('textDocument/hover', { textDocument: { uri: 'file:///nope.mrd' }, position: { line: 0, character: 0 } })).toBeNull();
    expect(await c.request('mrd/flatView', { uri: 'file:///nope.mrd' })).toBeNull();
    rss.requests = rssKb(c.pid);
  }, 120_000);

  it('a document closed while being analysed is cleared and never published again', async () => {
    const other = 'file:///work/closing.mrd';
    const text = documentText();
    text[PROBE_LINE] = probeFor(1);
    const mine = () => c.notifications.filter((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === other);
    for (let round = 0; round < 3; round++) {
      c.notify('textDocument/didOpen', { textDocument: { uri: other, languageId: 'mrd', version: 1, text: text.join('\n') } });
      // Let the debounce fire on some rounds so the close lands during the analysis.
      await sleep([0, 160, 170][round]);
      c.notify('textDocument/didClose', { textDocument: { uri: other } });
      const h = await within(c.request('textDocument/hover', { textDocument: { uri: other }, position: { line: 3, character: 8 } }), 30_000, 'hover after close');
      expect(h).toBeNull();
      await sleep(500);
      const ps = mine();
      // The last word about a closed document is "no diagnostics".
      expect(ps[ps.length - 1].params.diagnostics).toEqual([]);
    }
    rss.close = rssKb(c.pid);
  }, 60_000);

  it('malformed JSON-RPC: bad JSON, unknown methods, wrong params; the server keeps answering', async () => {
    const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    c.writeRaw(frame('{this is not json'));
    c.writeRaw(frame('[]'));
    c.writeRaw(frame('{"jsonrpc":"2.0"}'));
    c.writeRaw(frame('{"jsonrpc":"2.0","id":{},"method":"textDocument/hover"}'));
    c.writeRaw(frame('"just a string"'));
    c.writeRaw(frame('null'));
    await expect(within(c.request('mrd/noSuchMethod', {}), 10_000, 'unknown method')).rejects.toMatchObject({ code: -32601 });
    c.notify('mrd/noSuchNotification', { x: 1 });
    c.notify('textDocument/didChange', { textDocument: { uri: 'file:///never-opened.mrd', version: 2 }, contentChanges: [{ text: 'x' }] });
    c.notify('textDocument/didChange', { textDocument: { uri }, contentChanges: 'nonsense' });
    c.notify('textDocument/didOpen', null);
    for (const params of [null, {}, { textDocument: 5, position: 'x' }, { textDocument: { uri }, position: { line: -1, character: -1 } },
      { textDocument: { uri }, position: { line: 1.5, character: 1e300 } }]) {
      // Either an error response or a null result; never silence.
      await within(c.request('textDocument/hover', params).catch((e) => e), 10_000, `hover ${JSON.stringify(params)}`);
      await within(c.request('textDocument/completion', params).catch((e) => e), 10_000, 'completion');
      await within(c.request('textDocument/definition', params).catch((e) => e), 10_000, 'definition');
      await within(c.request('mrd/flatView', params).catch((e) => e), 10_000, 'flatView');
    }
    await within(c.request('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 5, character: 0 }, end: { line: 1, character: 0 } } }).catch((e) => e), 10_000, 'inverted range');
    await within(c.request('textDocument/rename', { textDocument: { uri }, position: { line: 3, character: 8 }, newName: '' }).catch((e) => e), 10_000, 'rename to empty');
    // Still the same document, still answering, still the latest version.
    const flat = await within(c.request('mrd/flatView', { uri }), 30_000, 'flatView after junk');
    expect(flat.version).toBe(version);
    rss.malformed = rssKb(c.pid);
  }, 90_000);

  it('memory returns to a steady level', async () => {
    // Close and reopen the big document, with the usual requests: nothing may be retained
    // per version or per document. RSS follows the garbage collector's sawtooth, so the
    // steady level is the lowest reading over the last cycles.
    const cycles: number[] = [];
    for (let i = 0; i < 8; i++) {
      c.notify('textDocument/didClose', { textDocument: { uri } });
      version++;
      c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'mrd', version, text: lines.join('\n') } });
      const v = version;
      await within(c.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.version === v, 60_000), 60_000, 'reopen');
      await look();
      cycles.push(rssKb(c.pid));
    }
    rss.final = Math.min(...cycles.slice(-4));
    console.log(`RSS over close/reopen cycles (MB): ${cycles.map((k) => (k / 1024).toFixed(0)).join(' ')}`);
    expect(rss.final).toBeLessThan(2 * rss.open);
  }, 180_000);

  it('a client that disconnects without shutdown: the server exits by itself', async () => {
    // An edit is pending (debounce running) when the pipe closes.
    edit(PROBE_LINE, probeFor(version + 1));
    c.disconnect();
    const code = await within(c.exited(), 10_000, 'exit after disconnect');
    expect(code).not.toBeNull();
  }, 20_000);
});
