// `npm run bench`: parse + build + flatten of generated 1k/10k/100k-region machines,
// against JSON.parse of the same regions measured in the same run. Writes bench/RESULTS.md.
// Figures are medians of several runs; peak RSS is sampled around each measurement.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { flatViews } from '../server/src/engine/addressSpace.js';
import { analyzeText } from '../server/src/model/analyze.js';
import { generate } from './generate.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

function time<T>(f: () => T): [number, T] {
  const t0 = performance.now();
  const v = f();
  return [performance.now() - t0, v];
}

interface Row {
  regions: number;
  bytes: number;
  parse: number;
  flatten: number;
  total: number;
  json: number;
  ratio: number;
  ranges: number;
  diagnostics: number;
  rssMb: number;
}

function measure(target: number, runs: number): Row {
  const g = generate(target);
  const parse: number[] = [];
  const flat: number[] = [];
  const json: number[] = [];
  let ranges = 0;
  let diagnostics = 0;
  let peak = 0;
  for (let i = 0; i < runs; i++) {
    gc();
    const [tj] = time(() => JSON.parse(g.json));
    json.push(tj);
    gc();
    const [tp, a] = time(() => analyzeText(g.mrd));
    const [tf, views] = time(() => flatViews(a.machine));
    peak = Math.max(peak, process.memoryUsage().rss);
    parse.push(tp);
    flat.push(tf);
    ranges = views.reduce((s, v) => s + v.ranges.length, 0);
    diagnostics = a.diagnostics.length;
  }
  const p = median(parse);
  const f = median(flat);
  const j = median(json);
  return {
    regions: g.regions, bytes: g.mrd.length, parse: p, flatten: f, total: p + f, json: j, ratio: (p + f) / j,
    ranges, diagnostics, rssMb: peak / 2 ** 20,
  };
}

const sizes = process.argv.includes('--quick') ? [1_000, 10_000] : [1_000, 10_000, 100_000];
const rows: Row[] = [];
for (const n of sizes) {
  // Warm up the JIT on a small machine first, then measure.
  measure(Math.min(n, 2_000), 2);
  const row = measure(n, n >= 100_000 ? 7 : 11);
  rows.push(row);
  console.log(
    `${row.regions} regions: parse+build ${row.parse.toFixed(1)} ms, flatten ${row.flatten.toFixed(1)} ms, ` +
      `total ${row.total.toFixed(1)} ms, JSON.parse ${row.json.toFixed(1)} ms (×${row.ratio.toFixed(2)}), ` +
      `${row.ranges} flat ranges, peak RSS ${row.rssMb.toFixed(0)} MB`,
  );
}

const f1 = (x: number) => x.toFixed(1);
const md = [
  '# Benchmark results',
  '',
  `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ` +
    `${process.platform}/${process.arch}. Medians of 7–11 runs after a warm-up; JSON.parse of the same regions ` +
    'written as JSON is measured in the same run, interleaved, as the baseline.',
  '',
  '## Parse + build + flatten',
  '',
  '| regions | .mrd bytes | parse+build ms | flatten ms | total ms | JSON.parse ms | total / JSON.parse | flat ranges | peak RSS MB |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.regions} | ${r.bytes} | ${f1(r.parse)} | ${f1(r.flatten)} | ${f1(r.total)} | ${f1(r.json)} | ${r.ratio.toFixed(2)} | ${r.ranges} | ${r.rssMb.toFixed(0)} |`,
  ),
  '',
  'Targets: 100k regions parse + flatten under 150 ms and within 3× of JSON.parse.',
  '',
];
if (!process.argv.includes('--no-write')) writeFileSync(path.join(here, 'RESULTS.md'), md.join('\n'));
