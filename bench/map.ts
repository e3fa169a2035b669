// `npm run bench` (part 3): the memory map at scale — the server's map input, the wire form
// and its decoding in the view, the layout in each scale, and one redraw of the webview's
// visible part — on the generated 1k/10k/100k-region machines. Appends its table to
// bench/RESULTS.md under its own heading (replacing an older one).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMap } from '../client/src/map/webview/render.js';
import { analyzeDocument } from '../server/src/ide/analysis.js';
import { mapData } from '../server/src/ide/mapData.js';
import { layoutMap } from '../server/src/ide/mapLayout.js';
import { fromWire, toWire } from '../server/src/ide/mapTypes.js';
import { generate } from './generate.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const time = (f: () => unknown) => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};

interface Row {
  regions: number;
  bands: number;
  hidden: number;
  input: number;
  wireMb: number;
  decode: number;
  compressed: number;
  linear: number;
  log: number;
  toggle: number;
  redraw: number;
}

function measure(n: number, runs: number): Row {
  const a = analyzeDocument(generate(n).mrd);
  const m = mapData(a);
  const json = JSON.stringify(toWire(m, () => [0, 0, 0, 0]));
  const wire = JSON.parse(json);
  const l = layoutMap(m);
  const col = (k: 'input' | 'decode' | 'compressed' | 'linear' | 'log' | 'toggle' | 'redraw') => {
    const f = {
      input: () => mapData(a),
      decode: () => fromWire(wire),
      // A fresh input object each time: the layout keeps its sorted boundaries per input.
      compressed: () => layoutMap({ ...m }, { scale: 'compressed' }),
      linear: () => layoutMap({ ...m }, { scale: 'linear' }),
      log: () => layoutMap({ ...m }, { scale: 'log' }),
      // The same input again in another scale, as the view's scale buttons do.
      toggle: () => layoutMap(m, { scale: 'log' }),
      // A 1100×700 view at 1 px per unit in the middle of the compressed map.
      redraw: () => renderMap(l, { width: 1100, height: 700, panX: 0, panY: l.height / 2, zoom: 1 }, { highlight: null, focus: -1 }),
    }[k];
    f();
    return median(Array.from({ length: runs }, () => time(f)));
  };
  return {
    regions: n,
    bands: m.columns.reduce((s, c) => s + c.bands.length, 0),
    hidden: m.columns.reduce((s, c) => s + c.hidden.length, 0),
    input: col('input'), wireMb: json.length / 2 ** 20, decode: col('decode'),
    compressed: col('compressed'), linear: col('linear'), log: col('log'), toggle: col('toggle'), redraw: col('redraw'),
  };
}

const sizes = process.argv.includes('--quick') ? [1_000, 10_000] : [1_000, 10_000, 100_000];
const rows = sizes.map((n) => measure(n, n >= 100_000 ? 7 : 11));
const f1 = (x: number) => x.toFixed(1);
for (const r of rows) {
  console.log(`map ${r.regions} regions: input ${f1(r.input)} ms, layout ${f1(r.compressed)} ms (linear ${f1(r.linear)}, log ${f1(r.log)}), ` +
    `scale toggle ${f1(r.toggle)} ms, wire ${f1(r.wireMb)} MB decoded in ${f1(r.decode)} ms, redraw ${f1(r.redraw)} ms`);
}

const heading = '## Memory map';
const section = [
  heading,
  '',
  'The same generated machines: the server builds the map input (visible bands = the flat views, hidden parts,',
  'limits), sends it as JSON; the view decodes it, lays it out (all three scales) and redraws the visible part',
  '(virtualised: a 1100×700 view). Medians of 7–11 runs after a warm-up.',
  '',
  '| regions | bands | hidden parts | input ms | wire MB | decode ms | layout ms (compressed) | linear ms | log ms | scale toggle ms | redraw ms |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.regions} | ${r.bands} | ${r.hidden} | ${f1(r.input)} | ${f1(r.wireMb)} | ${f1(r.decode)} | ${f1(r.compressed)} | ${f1(r.linear)} | ${f1(r.log)} | ${f1(r.toggle)} | ${f1(r.redraw)} |`),
  '',
  'Target: the layout of 100k regions well under 100 ms; a redraw within a frame.',
  '',
].join('\n');
const file = path.join(here, 'RESULTS.md');
if (!process.argv.includes('--no-write')) {
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n\n';
  const at = text.indexOf(heading);
  if (at >= 0) {
    const next = text.indexOf('\n## ', at + heading.length);
    text = text.slice(0, at) + (next >= 0 ? text.slice(next + 1) : '');
  }
  writeFileSync(file, text.trimEnd() + '\n\n' + section);
}
