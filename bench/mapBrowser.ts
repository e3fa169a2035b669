// The memory map in a real browser: the webview bundle (client/out/map.js) in headless
// Chromium, fed the wire form of the generated machines as the extension posts it, timed by the
// page itself (performance.now, requestAnimationFrame timestamps, User Timing entries the view
// writes). First paint: from the message text arriving to the start of the frame after the one
// that drew the map. Pan and zoom: wheel events, one per frame, as a trackpad sends them.
// Driven over the DevTools protocol on a pipe (--remote-debugging-pipe): no npm dependency and
// no browser download; without a Chromium it reports why and returns nothing.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface BrowserRow {
  regions: number;
  /** From the message text arriving (the extension's part and postMessage included) to the first painted frame. */
  firstPaint: number;
  /** The extension's part (JSON.parse of the text, then the map as UTF-8 bytes), and the message's arrival in the view, ms after the text. */
  parse: number;
  received: number;
  /** The view's own User Timing figures of that first paint: decode, layout, first draw. */
  decode: number;
  layout: number;
  draw: number;
  pan: FrameStats;
  zoom: FrameStats;
}

export interface FrameStats {
  frames: number;
  /** Intervals between consecutive animation frames, ms. */
  median: number;
  p95: number;
  fps: number;
  /** The view's draw (layout → SVG markup → DOM) per frame, median ms. */
  draw: number;
}

/** Debian's chromium first; CHROMIUM overrides. */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

/** The DevTools protocol over the pipe pair of --remote-debugging-pipe (fd 3 in, fd 4 out). */
class Cdp {
  private next = 1;
  private buf = '';
  private readonly waiting = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  constructor(private readonly out: Writable, input: Readable) {
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => {
      this.buf += chunk;
      for (let at = this.buf.indexOf('\0'); at >= 0; at = this.buf.indexOf('\0')) {
        const msg = JSON.parse(this.buf.slice(0, at)) as { id?: number; result?: unknown; error?: { message: string } };
        this.buf = this.buf.slice(at + 1);
        const w = msg.id !== undefined ? this.waiting.get(msg.id) : undefined;
        if (!w) continue;
        this.waiting.delete(msg.id!);
        if (msg.error) w.fail(new Error(msg.error.message));
        else w.ok(msg.result);
      }
    });
  }
  /** Fails every pending call (the browser is gone): nothing waits forever. */
  closed(e: Error): void {
    this.gone = e;
    for (const w of this.waiting.values()) w.fail(e);
    this.waiting.clear();
  }
  private gone?: Error;
  send<T = Record<string, unknown>>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.next++;
    this.out.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    return new Promise<T>((ok, fail) => this.waiting.set(id, { ok: ok as (v: unknown) => void, fail }));
  }
}

/** The page: the webview's markup (as mapPanel.ts writes it) with a stand-in for the VS Code API. */
const HARNESS = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><title>map bench</title>
<script>
window.sent = [];
window.__name = (f) => f; // esbuild's keepNames helper, in case the page function carries it
window.addEventListener('message', () => (window.received = performance.now()));
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.sent.push(m) });
</script></head>
<body><div id="app" data-file="bench.mrd"></div><script src="map.js"></script></body></html>`;

/** Runs in the page: first paint of one map, then a scripted pan and zoom. */
async function pageRun(url: string, panFrames: number, zoomFrames: number) {
  const raf = () => new Promise<number>((r) => requestAnimationFrame(r));
  const entries: Record<string, number[]> = {};
  const obs = new PerformanceObserver((l) => {
    for (const e of l.getEntries()) (entries[e.name] ??= []).push(e.duration);
  });
  obs.observe({ type: 'measure', buffered: false });
  const text = await (await fetch(url)).text();
  const content = document.getElementById('content')!;
  await raf();
  // First paint: the DOM update happens in the view's animation frame; the next frame's
  // callback starts once that frame has been rendered.
  const t0 = performance.now();
  const drawn = new Promise<void>((resolve) => {
    const mo = new MutationObserver(() => {
      mo.disconnect();
      resolve();
    });
    mo.observe(content, { childList: true });
  });
  // What the extension does with the server's answer: JSON.parse (the LSP message), then
  // mapBytes (client/src/map/messages.ts) for the webview.
  const map = new TextEncoder().encode(JSON.stringify(JSON.parse(text)));
  const parse = performance.now() - t0;
  window.postMessage({ type: 'data', map, version: 1, file: 'bench.mrd' }, '*');
  await drawn;
  await raf();
  const firstPaint = performance.now() - t0;
  const received = (window as unknown as { received: number }).received - t0;
  await new Promise((r) => setTimeout(r, 50));
  obs.takeRecords().forEach((e) => (entries[e.name] ??= []).push(e.duration));
  const first = { decode: entries['mrd-decode']?.[0] ?? NaN, layout: entries['mrd-layout']?.[0] ?? NaN, draw: entries['mrd-draw']?.[0] ?? NaN };

  if (panFrames === 0) return { firstPaint, parse, received, ...first };
  const viewport = document.getElementById('viewport')!;
  const box = viewport.getBoundingClientRect();
  const wheel = (deltaY: number, ctrlKey: boolean, y: number) =>
    viewport.dispatchEvent(new WheelEvent('wheel', { deltaY, ctrlKey, clientX: box.left + 300, clientY: box.top + y, bubbles: true, cancelable: true }));
  const animate = async (frames: number, step: (i: number) => void) => {
    entries['mrd-draw'] = [];
    const stamps: number[] = [];
    for (let i = 0; i < frames; i++) {
      step(i);
      stamps.push(await raf());
    }
    stamps.push(await raf());
    obs.takeRecords().forEach((e) => (entries[e.name] ??= []).push(e.duration));
    const gaps = stamps.slice(2).map((t, i) => t - stamps[i + 1]).sort((a, b) => a - b);
    const draws = entries['mrd-draw'].slice().sort((a, b) => a - b);
    const mean = gaps.reduce((s, x) => s + x, 0) / gaps.length;
    return {
      frames: gaps.length, median: gaps[gaps.length >> 1], p95: gaps[Math.min(gaps.length - 1, Math.floor(gaps.length * 0.95))],
      fps: 1000 / mean, draw: draws[draws.length >> 1] ?? NaN,
    };
  };
  // Zoom in a little first, so that panning moves through bands rather than the whole map.
  for (let i = 0; i < 8; i++) wheel(-100, true, box.height / 2);
  await raf();
  await raf();
  const pan = await animate(panFrames, (i) => wheel(i % 120 < 60 ? 60 : -60, false, box.height / 2));
  // In towards one spot and out again, as a pinch does.
  const zoom = await animate(zoomFrames, (i) => wheel(i < zoomFrames / 2 ? -40 : 40, true, box.height * (0.3 + 0.4 * ((i % 50) / 50))));
  obs.disconnect();
  return { firstPaint, parse, received, ...first, pan, zoom };
}

function serve(dir: Map<string, string | Buffer>): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const body = dir.get((req.url ?? '/').split('?')[0]);
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    const type = req.url!.endsWith('.js') ? 'text/javascript' : req.url!.endsWith('.json') ? 'application/json' : 'text/html';
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' }).end(body);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

type PageResult = Omit<BrowserRow, 'regions' | 'pan' | 'zoom'> & { pan?: FrameStats; zoom?: FrameStats };
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];

/** One fresh page: load the view, run pageRun on map `n`. */
async function inPage(cdp: Cdp, port: number, n: number, o: { panFrames?: number; zoomFrames?: number }): Promise<PageResult> {
  const { targetId } = await cdp.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
  try {
    await cdp.send('Page.enable', {}, sessionId);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1400, height: 860, deviceScaleFactor: 1, mobile: false }, sessionId);
    await cdp.send('Page.navigate', { url: `http://127.0.0.1:${port}/` }, sessionId);
    // Wait until the view has asked for its data (its script has run).
    for (let i = 0; ; i++) {
      const r = await cdp.send<{ result: { value: boolean } }>('Runtime.evaluate', { expression: '!!window.sent && window.sent.some((m) => m.type === "ready")', returnByValue: true }, sessionId);
      if (r.result.value) break;
      if (i > 600) throw new Error('the map view did not load');
      await new Promise((ok) => setTimeout(ok, 50));
    }
    // MRD_MAP_PROFILE=dir: a CPU profile of each page's run, for the browser's profiler.
    const profile = process.env.MRD_MAP_PROFILE;
    if (profile) {
      await cdp.send('Profiler.enable', {}, sessionId);
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 }, sessionId);
      await cdp.send('Profiler.start', {}, sessionId);
    }
    const expression = `(${pageRun.toString()})(${JSON.stringify(`/map-${n}.json`)}, ${o.panFrames ?? 240}, ${o.zoomFrames ?? 160})`;
    const r = await cdp.send<{ result: { value: PageResult }; exceptionDetails?: { text: string; exception?: { description?: string } } }>(
      'Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, sessionId);
    if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
    if (profile) {
      const { profile: data } = await cdp.send<{ profile: unknown }>('Profiler.stop', {}, sessionId);
      writeFileSync(path.join(profile, `map-${n}-${Date.now()}.cpuprofile`), JSON.stringify(data));
    }
    return r.result.value;
  } finally {
    await cdp.send('Target.closeTarget', { targetId });
  }
}

/**
 * Measures each wire form (JSON text by region count) in a fresh page of one headless Chromium.
 * Returns undefined, with the reason on stderr, when there is no Chromium or no webview bundle.
 */
export async function measureInBrowser(
  wires: Map<number, string>, opts: { panFrames?: number; zoomFrames?: number; runs?: (n: number) => number } = {},
): Promise<BrowserRow[] | undefined> {
  const chromium = findChromium();
  if (!chromium) {
    console.error('map browser benchmark skipped: no Chromium found (set CHROMIUM, or install Debian\'s chromium)');
    return undefined;
  }
  const bundle = path.join(root, 'client/out/map.js');
  if (!existsSync(bundle)) {
    console.error('map browser benchmark skipped: client/out/map.js is missing (npm run build)');
    return undefined;
  }
  const files = new Map<string, string | Buffer>([['/', HARNESS], ['/map.js', readFileSync(bundle)]]);
  for (const [n, json] of wires) files.set(`/map-${n}.json`, json);
  const server = await serve(files);
  const port = (server.address() as AddressInfo).port;
  const profile = mkdtempSync(path.join(os.tmpdir(), 'mrd-map-bench-'));
  const proc: ChildProcess = spawn(chromium, [
    '--headless=new', '--remote-debugging-pipe', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync',
    '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage', '--disable-extensions',
    '--window-size=1400,900', `--user-data-dir=${profile}`, 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += String(d)));
  const cdp = new Cdp(proc.stdio[3] as Writable, proc.stdio[4] as Readable);
  proc.once('exit', (code, signal) => cdp.closed(new Error(`chromium exited (${signal ?? code})`)));
  proc.once('error', (e) => cdp.closed(e));
  (proc.stdio[3] as Writable).on('error', () => {});
  try {
    const rows: BrowserRow[] = [];
    for (const n of wires.keys()) {
      // First paint in a fresh page per run (median); pan and zoom in the last one.
      const runs = opts.runs?.(n) ?? 3;
      const firsts: PageResult[] = [];
      for (let run = 0; run < runs; run++) firsts.push(await inPage(cdp, port, n, run === runs - 1 ? opts : { panFrames: 0, zoomFrames: 0 }));
      const med = (k: 'firstPaint' | 'parse' | 'received' | 'decode' | 'layout' | 'draw') => median(firsts.map((x) => x[k]));
      const last = firsts[firsts.length - 1];
      rows.push({
        regions: n, firstPaint: med('firstPaint'), parse: med('parse'), received: med('received'),
        decode: med('decode'), layout: med('layout'), draw: med('draw'), pan: last.pan!, zoom: last.zoom!,
      });
    }
    return rows;
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : String(e)}${stderr ? `\nchromium: ${stderr.slice(-2000)}` : ''}`);
  } finally {
    const exited = proc.exitCode !== null ? Promise.resolve() : new Promise((ok) => proc.once('exit', ok).once('error', ok));
    // Closed by the protocol, the browser ends its helpers and stops writing to the profile.
    const wait = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
    await Promise.race([cdp.send('Browser.close').catch(() => {}), wait(2000)]);
    await Promise.race([exited, wait(5000)]);
    if (proc.exitCode === null) proc.kill();
    server.close();
    await exited;
    for (let i = 0; i < 20 && existsSync(profile); i++) {
      try {
        rmSync(profile, { recursive: true, force: true });
      } catch {
        await wait(250);
      }
    }
  }
}
