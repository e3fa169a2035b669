// `npm run fuzz`: random token soups, random bytes and mutated corpus snippets through
// parse + build + PCI simulation and checks + flat views + printers (every 64th case also
// every ide feature). Reports cases/s, every distinct crash with its input minimised by
// delta debugging over tokens, and any case slower than the hang threshold. Not part of CI.
//   --cases N      number of random cases (default 1,000,000)
//   --seed S       PRNG seed (default: time)
//   --corpus       also every prefix and every single-token deletion of the whole corpus
//   --heavy        also the big inputs: 1M siblings, 50 MB, 20,000-long alias chains
import { flatViews } from '../server/src/engine/addressSpace.js';
import { printFlat } from '../server/src/engine/flatPrint.js';
import { printMtree } from '../server/src/engine/mtreePrint.js';
import { type Analysis, analyzeDocument } from '../server/src/ide/analysis.js';
import { analyzeText } from '../server/src/model/analyze.js';
import { hover } from '../server/src/ide/hover.js';
import { exercise, grammarTokens, loadCorpus, rng, tokenSpans } from '../server/test/robustness/harness.js';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const CASES = Number(opt('--cases') ?? 1_000_000);
const SEED = Number(opt('--seed') ?? Date.now() % 0x7fffffff);
const HANG_MS = 1000;

const corpus = loadCorpus();
const rnd = rng(SEED);
const separators = [' ', ' ', ' ', '\n', '', '\t', '\r\n'];

/** One random case as a token list (its text is the concatenation). */
function randomCase(): string[] {
  const mode = rnd(10);
  if (mode < 5) {
    // A token soup from the grammar.
    const n = rnd(60);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(grammarTokens[rnd(grammarTokens.length)], separators[rnd(separators.length)]);
    return out;
  }
  if (mode < 7) {
    // Random bytes as a file read would decode them; characters are the tokens.
    const b = Buffer.alloc(rnd(200));
    for (let i = 0; i < b.length; i++) b[i] = rnd(4) === 0 ? rnd(256) : 32 + rnd(95);
    return [...b.toString('utf8')];
  }
  // A window of a real text with a few token-level mutations.
  const c = corpus[rnd(corpus.length)].text;
  const start = rnd(c.length);
  const text = c.slice(start, start + 50 + rnd(600));
  const spans = tokenSpans(text);
  const toks: string[] = [];
  let pos = 0;
  for (const [s, e] of spans) {
    if (s > pos) toks.push(text.slice(pos, s));
    toks.push(text.slice(s, e));
    pos = e;
  }
  if (pos < text.length) toks.push(text.slice(pos));
  for (let k = rnd(4); k >= 0 && toks.length > 0; k--) {
    const i = rnd(toks.length);
    switch (rnd(4)) {
      case 0: toks.splice(i, 1); break;
      case 1: toks.splice(i, 0, grammarTokens[rnd(grammarTokens.length)]); break;
      case 2: toks[i] = grammarTokens[rnd(grammarTokens.length)]; break;
      default: toks.splice(i, 0, toks[rnd(toks.length)]);
    }
  }
  return toks;
}

/** The core pipeline; every 64th case also the ide features at a few offsets. */
function run(text: string, full: boolean): void {
  if (full) {
    exercise(text, { offsets: [0, text.length >> 1, text.length] });
    return;
  }
  const a = analyzeDocument(text);
  flatViews(a.machine);
  printFlat(a.machine);
  printMtree(a.machine, { disabled: true });
}

/** First line of the error and the innermost src/ frame: a crash's identity. */
function signature(e: unknown): string {
  const err = e instanceof Error ? e : new Error(String(e));
  const frame = (err.stack ?? '').split('\n').find((l) => l.includes('/server/src/')) ?? '';
  return `${err.message.split('\n')[0].replace(/\d+/g, 'N')} ${frame.trim().replace(/:\d+:\d+\)?$/, '')}`;
}

function failsLike(toks: string[], sig: string, full: boolean): boolean {
  try {
    run(toks.join(''), full);
    return false;
  } catch (e) {
    return signature(e) === sig;
  }
}

function slow(toks: string[], full: boolean): boolean {
  const t0 = performance.now();
  try {
    run(toks.join(''), full);
  } catch {
    // a crash is reported separately
  }
  return performance.now() - t0 > HANG_MS;
}

/** ddmin over token deletion: a 1-minimal sublist on which `bad` still holds. */
function minimize(toks: string[], bad: (t: string[]) => boolean): string[] {
  let cur = toks;
  let n = 2;
  while (cur.length >= 2) {
    const chunk = Math.ceil(cur.length / n);
    let reduced = false;
    for (let i = 0; i < cur.length; i += chunk) {
      const without = cur.slice(0, i).concat(cur.slice(i + chunk));
      if (bad(without)) {
        cur = without;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= cur.length) break;
      n = Math.min(cur.length, n * 2);
    }
  }
  return cur;
}

interface Finding {
  kind: 'crash' | 'slow';
  signature: string;
  count: number;
  input: string;
  minimized: string;
}

const findings = new Map<string, Finding>();

function record(kind: Finding['kind'], sig: string, toks: string[], full: boolean): void {
  const key = `${kind} ${sig}`;
  const f = findings.get(key);
  if (f) {
    f.count++;
    return;
  }
  const min = minimize(toks, kind === 'crash' ? (t) => failsLike(t, sig, full) : (t) => slow(t, full));
  const finding: Finding = { kind, signature: sig, count: 1, input: toks.join(''), minimized: min.join('') };
  findings.set(key, finding);
  console.log(`\n${kind.toUpperCase()}: ${sig}\n  minimized: ${JSON.stringify(finding.minimized)}`);
}

function one(toks: string[], full: boolean): void {
  const t0 = performance.now();
  try {
    run(toks.join(''), full);
  } catch (e) {
    record('crash', signature(e), toks, full);
    return;
  }
  const dt = performance.now() - t0;
  if (dt > HANG_MS && slow(toks, full)) record('slow', `over ${HANG_MS} ms`, toks, full);
}

function randomPhase(): { cases: number; seconds: number } {
  const t0 = performance.now();
  let last = t0;
  for (let i = 1; i <= CASES; i++) {
    one(randomCase(), i % 64 === 0);
    if (performance.now() - last > 10_000) {
      last = performance.now();
      const s = (last - t0) / 1000;
      process.stderr.write(`  ${i.toLocaleString('en')} cases, ${Math.round(i / s).toLocaleString('en')}/s, ${findings.size} findings\n`);
    }
  }
  return { cases: CASES, seconds: (performance.now() - t0) / 1000 };
}

function corpusPhase(): { cases: number; seconds: number } {
  const t0 = performance.now();
  let n = 0;
  for (const c of corpus) {
    const text = c.text;
    const chars = [...text];
    for (let p = 0; p <= text.length; p++, n++) one([text.slice(0, p)], p % 16 === 0);
    const spans = tokenSpans(text);
    for (const [s, e] of spans) {
      n++;
      one([text.slice(0, s), text.slice(e)], false);
    }
    process.stderr.write(`  ${c.name}: ${text.length + 1} prefixes, ${spans.length} deletions\n`);
    void chars;
  }
  return { cases: n, seconds: (performance.now() - t0) / 1000 };
}

function heavyPhase(): void {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  // `core` measures parse + build (+ PCI) without the editor's size limit (MR1098).
  type Analyzed = Pick<Analysis, 'machine' | 'diagnostics'>;
  const measure = (label: string, make: () => string, extra?: (a: Analysis, t: string) => void, core = false) => {
    let text = make();
    gc();
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    let a: Analyzed | undefined = core ? analyzeText(text) : analyzeDocument(text);
    const t1 = performance.now();
    const heap = process.memoryUsage().heapUsed;
    const rss = process.memoryUsage().rss;
    printFlat(a.machine);
    const t2 = performance.now();
    extra?.(a as Analysis, text);
    const t3 = performance.now();
    const codes = [...new Set(a.diagnostics.map((d) => d.code))].join(' ');
    console.log(`${label} (${(text.length / 1e6).toFixed(1)} MB): ${core ? 'analyzeText' : 'analyzeDocument'} ${Math.round(t1 - t0)} ms, printFlat ${Math.round(t2 - t1)} ms` +
      `${extra ? `, ide ${Math.round(t3 - t2)} ms` : ''}, ${a.diagnostics.length} diagnostics ${codes}, heap ${Math.round(heap / 1e6)} MB, RSS ${Math.round(rss / 1e6)} MB (was ${Math.round(rss0 / 1e6)})`);
    a = undefined;
    text = '';
  };
  const siblings = (n: number) => {
    const parts = ['address-space memory root s\ncontainer s size 2^64 {\n'];
    for (let i = 0; i < n; i++) parts.push(`  ram r${i} size 4K at ${i * 4096}\n`);
    parts.push('}\n');
    return parts.join('');
  };
  measure('1,000,000 siblings, core', () => siblings(1_000_000), undefined, true);
  const unit = 'container c size 4K { ram r size 1K at 0x10 }   # comment\n';
  measure('50 MB of small containers', () => unit.repeat(Math.ceil(50e6 / unit.length)));
  measure('50 MB of small containers, core', () => unit.repeat(Math.ceil(50e6 / unit.length)), undefined, true);
  measure('50 MB of one comment line, core', () => `# ${'x'.repeat(50e6)}\nram a size 4K`, undefined, true);
  measure('20,000-long alias chain', () => {
    let s = 'address-space memory root top\ncontainer top size 2^64 { alias entry -> a19999 at 0x1000 }\nram a0 size 4K\n';
    for (let i = 1; i < 20_000; i++) s += `alias a${i} -> a${i - 1}\n`;
    return s;
  }, (a, t) => void hover(a, t.indexOf('ram a0') + 5));
  measure('20,000 containers each aliasing the previous', () => {
    let s = 'address-space memory root c19999\ncontainer c0 size 4K { ram r size 4K }\n';
    for (let i = 1; i < 20_000; i++) s += `container c${i} size 4K { alias a${i} -> c${i - 1} }\n`;
    return s;
  }, (a, t) => void hover(a, t.indexOf('ram r') + 4));
}

console.log(`mrd fuzz: seed ${SEED}, ${CASES.toLocaleString('en')} random cases`);
const r = randomPhase();
console.log(`random: ${r.cases.toLocaleString('en')} cases in ${r.seconds.toFixed(1)} s = ${Math.round(r.cases / r.seconds).toLocaleString('en')} cases/s`);
if (args.includes('--corpus')) {
  const c = corpusPhase();
  console.log(`corpus: ${c.cases.toLocaleString('en')} prefixes and deletions in ${c.seconds.toFixed(1)} s`);
}
if (args.includes('--heavy')) heavyPhase();
const crashes = [...findings.values()].filter((f) => f.kind === 'crash');
const slows = [...findings.values()].filter((f) => f.kind === 'slow');
console.log(`findings: ${crashes.length} distinct crashes, ${slows.length} slow inputs (> ${HANG_MS} ms)`);
for (const f of findings.values()) console.log(`  ${f.kind} ×${f.count}: ${f.signature}\n    ${JSON.stringify(f.minimized)}`);
process.exitCode = crashes.length > 0 ? 1 : 0;
