// The memory-map view's drawing (client/src/map/webview/render.ts) without a browser: only
// the visible part is drawn, thin bands merge into clusters, so a 100k-region machine stays a
// few hundred elements per frame at any zoom; limit lines, hidden lanes and warning bands are
// marked with the classes the view's CSS and the end-to-end test rely on.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../bench/generate.js';
import { analyzeDocument } from '../../server/src/ide/analysis.js';
import { mapData } from '../../server/src/ide/mapData.js';
import { layoutMap } from '../../server/src/ide/mapLayout.js';
import { HEADER, renderMap } from '../src/map/webview/render.js';

const count = (svg: string, re: RegExp) => (svg.match(re) ?? []).length;
const none = { highlight: null, focus: -1 };

describe('memory-map view drawing', () => {
  it('draws a bounded number of elements for 100k regions at every zoom and scale', () => {
    const m = mapData(analyzeDocument(generate(100_000).mrd));
    for (const scale of ['compressed', 'linear', 'log'] as const) {
      const l = layoutMap(m, { scale });
      for (const zoom of [1, 700 / l.height, 1e-3, 50]) {
        for (const panY of [0, l.height / 3, l.height * 0.9]) {
          const r = renderMap(l, { width: 1100, height: 700, panX: 0, panY, zoom }, none);
          // At most one element per 2 px of height per lane (main + 3 hidden lanes, 2 columns).
          expect(r.drawn, `${scale} zoom ${zoom}`).toBeLessThanOrEqual(8 * ((700 - HEADER) / 2 + 2));
          expect(count(r.svg, /<rect class="band/g)).toBe(r.drawn);
        }
      }
    }
  });

  it('marks limit lines, bands beyond them and hidden parts; highlights the cursor region', () => {
    const text = readFileSync(path.resolve(__dirname, '../../samples/q35-vfio-sizing.mrd'), 'utf8');
    const m = mapData(analyzeDocument(text), { step: 6 });
    const l = layoutMap(m);
    const fit = { width: 900, height: 900, panX: 0, panY: 0, zoom: (900 - HEADER) / l.height };
    const r = renderMap(l, fit, none);
    expect(count(r.svg, /<line class="limit"/g)).toBeGreaterThanOrEqual(2);
    expect(r.svg).toMatch(/<rect class="band k-ram beyond" data-i="\d+"/);
    expect(r.svg).toContain('IOMMU vtd: aw-bits 48 ≥ 0x0001_0000_0000_0000');
    const ioapic = m.regions.findIndex((x) => x.name === 'ioapic');
    const hl = renderMap(l, fit, { highlight: new Set([ioapic]), focus: -1 });
    expect(count(hl.svg, / hl"/g)).toBe(1);
    const q = layoutMap(mapData(analyzeDocument(readFileSync(path.resolve(__dirname, '../../samples/q35-iommu.mrd'), 'utf8'))));
    const rq = renderMap(q, { width: 1200, height: 2400, panX: 0, panY: 0, zoom: 1 }, none);
    expect(rq.svg).toMatch(/class="band hidden-part h-ram/);
  });
});
