// The language server as an editor sees it: the built server (server/out/server.js) driven over
// stdio by a small JSON-RPC client, on the generated 1k/10k/100k-region machines. Measures
// open → diagnostics published, a one-line edit → diagnostics published, hover latency (the
// first hover after an analysis and later ones), and the server's peak RSS (VmHWM).
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { serverNodeFlags } from '../server/src/lsp/protocol.js';
import { generate } from './generate.js';
import { LspClient, type Message } from './lspClient.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const uri = 'file:///bench/generated.mrd';

export interface LspRow {
  regions: number;
  openMs: number;
  /** Median of the one-line edits, each measured from didChange to its diagnostics. */
  editMs: number;
  edits: number;
  /** The first hover after the document was opened (caches cold). */
  hoverFirstMs: number;
  /** Median of later hovers on the same version. */
  hoverMs: number;
  /** The first hover after an edit. */
  hoverAfterEditMs: number;
  peakRssMb: number;
  /**
   * What the requests an editor sends for the whole document after each change take (median,
   * request → response, each after an edit's diagnostics): `EDITOR_REQUESTS` by method.
   */
  afterEditMs: Record<string, number>;
}

/**
 * The requests VS Code sends after a change of the document (outline and breadcrumbs, folding
 * and sticky scroll, code lenses, semantic colouring, inlay hints of the visible lines), timed
 * one after another following each edit's diagnostics, as the editor sends them.
 */
export const EDITOR_REQUESTS = [
  'textDocument/documentSymbol', 'textDocument/foldingRange', 'textDocument/codeLens',
  'textDocument/semanticTokens/full', 'textDocument/inlayHint',
] as const;

/** Edits made before the timed ones. */
export const WARMUP = 2;

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Line/character of the first occurrence of `needle` at or after line `fromLine`. */
function find(lines: string[], needle: string, fromLine: number): { line: number; character: number } {
  for (let l = fromLine; l < lines.length; l++) {
    const c = lines[l].indexOf(needle);
    if (c >= 0) return { line: l, character: c };
  }
  throw new Error(`'${needle}' not found`);
}

/** The server is started with the node flags the VS Code extension starts it with (serverNodeFlags). */
export async function measureLsp(
  n: number, edits = 7, hovers = 9, nodeArgs: readonly string[] = serverNodeFlags,
): Promise<LspRow> {
  const text = generate(n).mrd;
  const lines = text.split('\n');
  const client = new LspClient(process.execPath, [...nodeArgs, path.join(root, 'server/bin/mrd-language-server.js'), '--stdio']);
  const diagnosticsOf = (version: number) => (m: Message) =>
    m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && m.params.version === version;
  try {
    // No pull-diagnostics capability: the server publishes after each change, as to most editors.
    await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    client.notify('initialized', {});

    let t0 = performance.now();
    const opened = client.next(diagnosticsOf(1));
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'mrd', version: 1, text } });
    await opened;
    const openMs = performance.now() - t0;

    // Hover on a register's name in the middle of the file.
    const mid = Math.floor(lines.length / 2);
    const reg = find(lines, 'io reg1 ', mid);
    const hoverAt = { textDocument: { uri }, position: { line: reg.line, character: reg.character + 4 } };
    const hover = async (): Promise<number> => {
      const t = performance.now();
      const h = await client.request('textDocument/hover', hoverAt);
      if (!h) throw new Error('no hover');
      return performance.now() - t;
    };
    const hoverFirstMs = await hover();
    const warm: number[] = [];
    for (let i = 0; i < hovers; i++) warm.push(await hover());

    // One-line edits: a register's size toggles between 0x1000 and 0x1800 (same length). The
    // first WARMUP are not timed: the first edit after opening waits the full debounce (the last
    // analysis, the open, took long) and the incremental path is not compiled yet.
    const size = find(lines, 'size 0x1000', reg.line);
    /** Version `v`: the register's size toggled; resolves when its diagnostics are published. */
    const edit = (v: number): Promise<Message> => {
      const published = client.next(diagnosticsOf(v));
      client.notify('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [{
          range: { start: { line: size.line, character: size.character + 5 }, end: { line: size.line, character: size.character + 11 } },
          text: v % 2 === 0 ? '0x1800' : '0x1000',
        }],
      });
      return published;
    };
    const editTimes: number[] = [];
    let hoverAfterEditMs = NaN;
    for (let v = 2; v < 2 + WARMUP + edits; v++) {
      t0 = performance.now();
      await edit(v);
      if (v < 2 + WARMUP) continue;
      editTimes.push(performance.now() - t0);
      if (v === 2 + WARMUP) hoverAfterEditMs = await hover();
    }
    // The same edits again, each followed by the requests an editor sends after a change.
    const visible = { start: { line: Math.max(0, size.line - 20), character: 0 }, end: { line: size.line + 30, character: 0 } };
    const params: Record<string, unknown> = { 'textDocument/inlayHint': { textDocument: { uri }, range: visible } };
    const times = new Map<string, number[]>(EDITOR_REQUESTS.map((m) => [m, []]));
    for (let v = 2 + WARMUP + edits; v < 2 + WARMUP + 2 * edits; v++) {
      await edit(v);
      for (const m of EDITOR_REQUESTS) {
        const t = performance.now();
        const r = await client.request(m, params[m] ?? { textDocument: { uri } });
        if (r === null) throw new Error(`no answer to ${m}`);
        times.get(m)!.push(performance.now() - t);
      }
    }
    const row: LspRow = {
      regions: n, openMs, editMs: median(editTimes), edits, hoverFirstMs, hoverMs: median(warm), hoverAfterEditMs,
      peakRssMb: client.peakRss() / 2 ** 20,
      afterEditMs: Object.fromEntries([...times].map(([m, xs]) => [m, median(xs)])),
    };
    return row;
  } finally {
    await client.shutdown();
  }
}

/** The transport floor server (floorServer.ts), bundled as mrd's server is; returns the bundle's path. */
function floorBundle(): string {
  const out = path.join(os.tmpdir(), `mrd-bench-floor-${process.pid}.cjs`);
  buildSync({
    entryPoints: [path.join(root, 'bench/floorServer.ts')], bundle: true, platform: 'node', format: 'cjs',
    target: 'node20', outfile: out, logLevel: 'warning',
  });
  return out;
}

export interface OpenPair {
  /**
   * open → diagnostics of the transport floor (floorServer.ts), of the floor running the least
   * analysis first (`--least`, bench/leastAnalysis.ts) and of mrd's server, each a fresh process.
   */
  floorMs: number;
  leastMs: number;
  mrdMs: number;
}

/**
 * open → diagnostics alone, `pairs` times for each of the three servers, interleaved: the floor
 * (a server on the same library that publishes at once), the floor with the least analysis, and
 * mrd's built server, all started with serverNodeFlags and driven by the same client, so
 * `mrd − floor` is mrd's own share and `least` a lower bound of any complete analysis's open.
 */
export async function measureOpenPairs(n: number, pairs: number): Promise<OpenPair[]> {
  const text = generate(n).mrd;
  const floor = floorBundle();
  const once = async (server: string, ...args: string[]): Promise<number> => {
    const client = new LspClient(process.execPath, [...serverNodeFlags, server, '--stdio', ...args]);
    try {
      await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
      client.notify('initialized', {});
      const t0 = performance.now();
      const opened = client.next((m: Message) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && m.params.version === 1);
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'mrd', version: 1, text } });
      await opened;
      return performance.now() - t0;
    } finally {
      await client.shutdown();
    }
  };
  const out: OpenPair[] = [];
  try {
    for (let i = 0; i < pairs; i++) {
      const floorMs = await once(floor);
      const leastMs = await once(floor, '--least');
      const mrdMs = await once(path.join(root, 'server/bin/mrd-language-server.js'));
      out.push({ floorMs, leastMs, mrdMs });
    }
  } finally {
    rmSync(floor, { force: true });
  }
  return out;
}
