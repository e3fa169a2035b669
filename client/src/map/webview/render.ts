// Draws the visible part of a memory-map layout as SVG markup: only what intersects the
// viewport, and runs of bands thinner than MIN_PX merged into one "cluster" per lane, so the
// element count is bounded by the viewport's height whatever the machine's size (100k regions
// stay interactive). DOM-free: a string in, a string out, testable in Node.
import { type Layout, BAND_KINDS } from '../../../../server/src/ide/mapLayout.js';
import { formatAddr, shortSize } from '../../../../server/src/ide/mapScale.js';

export interface Viewport {
  /** Size of the drawing area in pixels. */
  readonly width: number;
  readonly height: number;
  /** Layout x at the left edge of the columns' area, layout y at the top (below the header). */
  readonly panX: number;
  readonly panY: number;
  /** Pixels per layout unit, vertically. */
  readonly zoom: number;
}

export interface Marks {
  /** Regions to highlight (the declaration under the editor's cursor), or null. */
  readonly highlight: ReadonlySet<number> | null;
  /** The band keyboard navigation is on, or -1. */
  readonly focus: number;
}

/** Height of the fixed header holding the column titles. */
export const HEADER = 24;
/** Bands thinner than this merge into clusters. */
const MIN_PX = 2;
const CHAR = 6.6;
const LABEL_GAP = 14;

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const f = (v: number) => (Math.round(v * 10) / 10).toString();

function fit(text: string, width: number): string {
  const max = Math.floor((width - 8) / CHAR);
  if (max <= 1) return '';
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

/** First index whose value is ≥ v in an ascending array. */
function lowerBound(a: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function renderMap(layout: Layout, v: Viewport, marks: Marks): { svg: string; drawn: number } {
  const { bands: B, axis, columns, input } = layout;
  const sy = (y: number) => HEADER + (y - v.panY) * v.zoom;
  const sx = (x: number) => x - v.panX;
  const top = v.panY;
  const bottom = v.panY + (v.height - HEADER) / v.zoom;
  const out: string[] = [];
  const clampY = (y: number) => Math.max(HEADER - 2, Math.min(v.height + 2, y));

  // Lanes and the zones beyond the limit lines, under everything else.
  for (const c of columns) {
    out.push(`<rect class="lane" x="${f(sx(c.mainX))}" y="${f(clampY(sy(0)))}" width="${f(c.mainWidth)}" height="${f(Math.max(0, clampY(sy(layout.height)) - clampY(sy(0))))}"/>`);
  }
  for (const l of layout.limits) {
    if (l.y === null || l.y > bottom) continue;
    for (const ci of l.columns) {
      const c = columns[ci];
      const y0 = clampY(sy(l.y));
      out.push(`<rect class="beyond-zone" x="${f(sx(c.x))}" y="${f(y0)}" width="${f(c.width)}" height="${f(Math.max(0, clampY(sy(layout.height)) - y0))}"/>`);
    }
  }

  // Break marks (compressed scale).
  const breaks = axis.breaks;
  let b = 0;
  for (let lo = 0, hi = breaks.length; lo < hi;) {
    const mid = (lo + hi) >> 1;
    if (breaks[mid].y1 < top) lo = b = mid + 1;
    else hi = mid;
  }
  const left = columns.length ? columns[0].x - 8 : 0;
  for (; b < breaks.length && breaks[b].y0 <= bottom; b++) {
    const g = breaks[b];
    const y0 = sy(g.y0);
    const h = (g.y1 - g.y0) * v.zoom;
    if (h < 3) continue;
    const x0 = sx(left);
    const x1 = sx(layout.width + 8);
    const zig = (y: number) => {
      let d = `M${f(x0)} ${f(y)}`;
      for (let x = x0, up = true; x < x1; x += 6, up = !up) d += ` L${f(Math.min(x + 6, x1))} ${f(y + (up ? -2 : 2))}`;
      return d;
    };
    out.push(`<g class="gap"><rect x="${f(x0)}" y="${f(y0)}" width="${f(x1 - x0)}" height="${f(h)}"/>` +
      `<path d="${zig(y0 + 3)} ${zig(y0 + h - 3)}"/>` +
      (h >= 12 ? `<text x="${f(x0 + 14)}" y="${f(y0 + h / 2 + 4)}">gap of ${esc(g.size)}</text>` : '') + '</g>');
  }

  // Bands, thin runs merged per lane.
  const labels: string[] = [];
  let drawn = 0;
  const clusters = new Map<number, { y0: number; y1: number; first: number; n: number; x0: number; x1: number }>();
  const flush = (key: number) => {
    const c = clusters.get(key);
    if (!c) return;
    clusters.delete(key);
    if (c.n === 1) return emit(c.first);
    drawn++;
    out.push(`<rect class="band cluster" data-cluster="${c.first}:${c.n}" x="${f(sx(c.x0))}" y="${f(c.y0)}" width="${f(c.x1 - c.x0)}" height="${f(Math.max(c.y1 - c.y0, MIN_PX))}"/>`);
  };
  const emit = (i: number) => {
    drawn++;
    const kind = BAND_KINDS[B.kind[i]];
    const hidden = B.lane[i] > 0;
    const y0 = sy(B.y0[i]);
    const h = Math.max((B.y1[i] - B.y0[i]) * v.zoom, 1);
    const col = input.columns[B.column[i]];
    const src = hidden ? col.hidden[B.index[i]] : col.bands[B.index[i]];
    let cls = hidden ? `band hidden-part h-${kind}` : `band k-${kind}`;
    if (B.flags[i] & 1) cls += ' alias';
    if (B.beyond[i]) cls += ' beyond';
    if (marks.highlight && (marks.highlight.has(src.region) || src.via.some((r) => marks.highlight!.has(r)))) cls += ' hl';
    if (marks.focus === i) cls += ' focus';
    // Clip to the viewport so that a 2^64 band at a high zoom keeps sane coordinates.
    const cy0 = Math.max(y0, HEADER - 4);
    const cy1 = Math.min(y0 + h, v.height + 4);
    out.push(`<rect class="${cls}" data-i="${i}" x="${f(sx(B.x0[i]))}" y="${f(cy0)}" width="${f(B.x1[i] - B.x0[i])}" height="${f(Math.max(cy1 - cy0, 1))}"/>`);
    if (!hidden && cy1 - cy0 >= 13) {
      const name = input.regions[src.region].name;
      const text = fit(`${name}  ${shortSize(src.end - src.start)}`, B.x1[i] - B.x0[i]);
      const ty = Math.max(HEADER + 14, Math.min((cy0 + cy1) / 2 + 4, cy1 - 3));
      if (text) labels.push(`<text x="${f(sx(B.x0[i]) + 4)}" y="${f(ty)}">${esc(text)}</text>`);
    }
  };
  for (let i = 0; i < B.count; i++) {
    if (B.y1[i] < top || B.y0[i] > bottom) continue;
    const key = B.column[i] * 256 + B.lane[i];
    const y0 = sy(B.y0[i]);
    const y1 = sy(B.y1[i]);
    if (y1 - y0 >= MIN_PX || marks.focus === i) {
      flush(key);
      emit(i);
      continue;
    }
    const c = clusters.get(key);
    if (c && y0 <= c.y1 + 0.5 && c.y1 - c.y0 < MIN_PX * 2) {
      c.y1 = Math.max(c.y1, y1);
      c.n++;
    } else {
      flush(key);
      clusters.set(key, { y0, y1, first: i, n: 1, x0: B.x0[i], x1: B.x1[i] });
    }
  }
  for (const key of [...clusters.keys()]) flush(key);
  out.push(...labels);

  // Limit lines, labelled right of the columns.
  for (const l of layout.limits) {
    if (l.y === null || l.y < top || l.y > bottom) continue;
    const y = sy(l.y);
    for (const ci of l.columns) {
      const c = columns[ci];
      out.push(`<line class="limit" data-limit="${l.index}" x1="${f(sx(c.x - 6))}" y1="${f(y)}" x2="${f(sx(c.x + c.width + 6))}" y2="${f(y)}"/>`);
    }
    // On the line, right-aligned at the end of the last column it crosses, on a plate of the
    // background colour: legible over bands, and clear of the gap labels above and below.
    const last = columns[l.columns[l.columns.length - 1]];
    const text = `${l.label} ≥ ${formatAddr(input.limits[l.index].addr, axis.digits)}`;
    const right = sx(last.x + last.width);
    out.push(`<rect class="head" x="${f(right - text.length * CHAR - 6)}" y="${f(y - 7)}" width="${f(text.length * CHAR + 8)}" height="14" rx="2"/>`);
    out.push(`<text class="limit-label" x="${f(right)}" y="${f(y + 4)}">${esc(text)}</text>`);
  }

  // Fixed parts: the header with the column titles, the gutter with the address labels.
  const gutter = columns.length ? columns[0].x : layout.width;
  out.push(`<rect class="head" x="0" y="0" width="${f(v.width)}" height="${HEADER}"/>`);
  for (const c of columns) out.push(`<text class="col-title" x="${f(sx(c.x))}" y="16">${esc(fit(c.title, c.width + 20))}</text>`);
  out.push(`<rect class="head" x="0" y="${HEADER}" width="${f(gutter - 4)}" height="${f(v.height)}"/>`);
  const ys = axis.ys;
  let last = -Infinity;
  for (let k = lowerBound(ys, top); k < ys.length && ys[k] <= bottom;) {
    const y = sy(ys[k]);
    out.push(`<text class="addr" x="${f(gutter - 10)}" y="${f(y + 4)}">${formatAddr(axis.stops[k], axis.digits)}</text>`);
    last = y;
    k = Math.max(k + 1, lowerBound(ys, v.panY + (last + LABEL_GAP - HEADER) / v.zoom));
  }
  return { svg: out.join(''), drawn };
}
