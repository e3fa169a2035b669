// The memory map's layout: from a MapInput to positioned bands (x and y in layout units), a
// side lane per column for hidden parts, limit lines, and the shared axis (mapScale). Pure and
// deterministic — no DOM, no I/O — so the server (SVG export) and the webview share it.
// Cost is linear in bands plus a merge of the columns' sorted boundaries: 100k regions lay
// out in a few tens of milliseconds.
import {
  type Axis, type ScaleKind, type ScaleOptions, buildAxis, defaultScaleOptions, mergeUnique, stopIndex, yAt,
} from './mapScale.js';
import { bigOf } from '../base/bigint.js';
import type { BandKind, MapInput } from './mapTypes.js';

export interface LayoutOptions extends ScaleOptions {
  readonly scale: ScaleKind;
  /** Width of the address labels on the left; at least what the labels need (6.6 units a digit). */
  readonly gutter: number;
  readonly mainWidth: number;
  /** Width of one hidden sub-lane; a column has at most `hiddenLanes` of them. */
  readonly hiddenLaneWidth: number;
  readonly hiddenLanes: number;
  readonly columnGap: number;
}

export const defaultLayoutOptions: LayoutOptions = {
  ...defaultScaleOptions, scale: 'compressed', gutter: 176, mainWidth: 220, hiddenLaneWidth: 16, hiddenLanes: 3, columnGap: 28,
};

export interface LayoutColumn {
  readonly title: string;
  readonly x: number;
  readonly width: number;
  readonly mainX: number;
  readonly mainWidth: number;
  readonly hiddenX: number;
  /** Sub-lanes actually used (0 when nothing is hidden). */
  readonly hiddenLanes: number;
}

/** One band as an object: what tests, the SVG writer and tooltips read (see `bandOf`). */
export interface LayoutBand {
  readonly column: number;
  /** 0 = the column's main lane (visible bands); k ≥ 1 = hidden sub-lane k. */
  readonly lane: number;
  /** Index into the column's `bands` (lane 0) or `hidden` (lane ≥ 1). */
  readonly index: number;
  readonly start: bigint;
  readonly end: bigint;
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
  readonly kind: BandKind;
  /** Reached through at least one alias. */
  readonly aliased: boolean;
  readonly region: number;
  /** Indices of the limits this band reaches beyond (warning colour when non-empty). */
  readonly beyond: readonly number[];
}

/**
 * All bands as parallel typed arrays (100k objects would cost more than the layout itself):
 * main-lane bands column by column in address order, then hidden parts the same way.
 */
export interface LayoutBands {
  readonly count: number;
  readonly column: Uint16Array;
  readonly lane: Uint8Array;
  readonly index: Uint32Array;
  readonly x0: Float32Array;
  readonly x1: Float32Array;
  readonly y0: Float64Array;
  readonly y1: Float64Array;
  /** Index into BAND_KINDS. */
  readonly kind: Uint8Array;
  /** Bit 0: reached through an alias. */
  readonly flags: Uint8Array;
  readonly region: Int32Array;
  /** Bit k: beyond limit k (the first 32 limits). */
  readonly beyond: Uint32Array;
}

export const BAND_KINDS: readonly BandKind[] = ['ram', 'rom', 'mmio', 'iommu'];
const KIND_CODE: Record<BandKind, number> = { ram: 0, rom: 1, mmio: 2, iommu: 3 };

export interface LayoutLimit {
  readonly index: number;
  readonly label: string;
  readonly kind: 'cpu' | 'iommu';
  /** null when the line lies outside the axis (linear scale beyond the last band). */
  readonly y: number | null;
  readonly columns: readonly number[];
}

export interface Layout {
  readonly input: MapInput;
  readonly axis: Axis;
  readonly columns: readonly LayoutColumn[];
  readonly bands: LayoutBands;
  readonly limits: readonly LayoutLimit[];
  readonly width: number;
  readonly height: number;
}

/** Hidden sub-lane of each part: greedy interval colouring by start address, capped. */
export function hiddenLanes(parts: readonly { start: bigint; end: bigint }[], max: number): { lane: number[]; used: number } {
  const ends: bigint[] = [];
  const lane: number[] = new Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    let k = ends.findIndex((e) => e <= parts[i].start);
    if (k < 0 && ends.length < max) k = ends.push(parts[i].end) - 1;
    if (k < 0) {
      // Every lane busy: overlap in the lane that frees first.
      k = 0;
      for (let j = 1; j < ends.length; j++) if (ends[j] < ends[k]) k = j;
    }
    if (parts[i].end > ends[k]) ends[k] = parts[i].end;
    lane[i] = k + 1;
  }
  return { lane, used: ends.length };
}

/** `hiddenLanes` on the float form. */
function hiddenLanesF(start: Float64Array, end: Float64Array, max: number): { lane: Uint8Array; used: number } {
  const ends: number[] = [];
  const lane = new Uint8Array(start.length);
  for (let i = 0; i < start.length; i++) {
    let k = -1;
    for (let j = 0; j < ends.length; j++) if (ends[j] <= start[i]) { k = j; break; }
    if (k < 0 && ends.length < max) k = ends.push(end[i]) - 1;
    if (k < 0) {
      k = 0;
      for (let j = 1; j < ends.length; j++) if (ends[j] < ends[k]) k = j;
    }
    if (end[i] > ends[k]) ends[k] = end[i];
    lane[i] = k + 1;
  }
  return { lane, used: ends.length };
}

const byAddr = (x: bigint, y: bigint) => (x < y ? -1 : x > y ? 1 : 0);

/** What the axis needs from the input, whatever the scale's heights: stops, indices, occupancy. */
interface Prepared {
  stops: bigint[];
  /** The same stops as doubles, when the input has float columns (every value exact). */
  stopsF?: Float64Array;
  onAxis: boolean[];
  mainIdx: Int32Array[];
  hiddenIdx: Int32Array[];
  occupied: Uint8Array;
  total: number;
}

/** Per input, the prepared boundaries for linear (limits beyond the content dropped) and the others. */
const prepCache = new WeakMap<MapInput, { linear?: Prepared; other?: Prepared }>();

function prepare(input: MapInput, linear: boolean): Prepared {
  let entry = prepCache.get(input);
  if (!entry) prepCache.set(input, (entry = {}));
  const hit = linear ? entry.linear : entry.other;
  if (hit) return hit;
  const cols = input.columns;
  const flat = cols.every((c) => c.flat) ? prepareFlat(input, linear) : undefined;
  if (flat) {
    if (linear) entry.linear = flat;
    else entry.other = flat;
    return flat;
  }

  // 1. Boundaries: a column's bands are sorted and disjoint, so its boundaries ascend
  //    (written once where one band ends and the next begins); hidden parts are sorted by
  //    start only, their ends need a sort.
  const lists: bigint[][] = [[0n]];
  let contentEnd = 0n;
  for (const c of cols) {
    const b: bigint[] = new Array(c.bands.length * 2);
    let n = 0;
    for (const band of c.bands) {
      if (n === 0 || b[n - 1] !== band.start) b[n++] = band.start;
      b[n++] = band.end;
    }
    b.length = n;
    lists.push(b);
    if (b.length > 0 && b[b.length - 1] > contentEnd) contentEnd = b[b.length - 1];
    if (c.hidden.length > 0) {
      lists.push(c.hidden.map((h) => h.start));
      const ends = c.hidden.map((h) => h.end).sort(byAddr);
      lists.push(ends);
      if (ends[ends.length - 1] > contentEnd) contentEnd = ends[ends.length - 1];
    }
  }
  // Limit lines are boundaries too, except on the linear scale beyond the content, where
  // one line at 2^46 would squeeze everything below 4 GiB into a pixel.
  const onAxis = input.limits.map((l) => !linear || l.addr <= contentEnd || contentEnd === 0n);
  lists.push(input.limits.filter((_, i) => onAxis[i]).map((l) => l.addr).sort(byAddr));
  const stops = mergeUnique(lists);

  // 2. Stop indices of every band boundary (a pointer walk per column, binary search for
  //    hidden parts), and the occupancy of each stretch over all columns (difference array).
  const diff = new Int32Array(stops.length + 1);
  const mainIdx: Int32Array[] = [];
  const hiddenIdx: Int32Array[] = [];
  let total = 0;
  for (const c of cols) {
    const idx = new Int32Array(c.bands.length * 2);
    let p = 0;
    for (let i = 0; i < c.bands.length; i++) {
      const band = c.bands[i];
      while (p < stops.length - 1 && stops[p] !== band.start) p++;
      let q = p + 1;
      while (q < stops.length - 1 && stops[q] !== band.end) q++;
      idx[2 * i] = p;
      idx[2 * i + 1] = q;
      diff[p]++;
      diff[q]--;
      p = q;
    }
    mainIdx.push(idx);
    const hidx = new Int32Array(c.hidden.length * 2);
    for (let i = 0; i < c.hidden.length; i++) {
      const p0 = stopIndex(stops, c.hidden[i].start);
      const q0 = stopIndex(stops, c.hidden[i].end);
      hidx[2 * i] = p0;
      hidx[2 * i + 1] = q0;
      diff[p0]++;
      diff[q0]--;
    }
    hiddenIdx.push(hidx);
    total += c.bands.length + c.hidden.length;
  }
  const occupied = new Uint8Array(Math.max(0, stops.length - 1));
  for (let i = 0, run = 0; i < occupied.length; i++) {
    run += diff[i];
    occupied[i] = run > 0 ? 1 : 0;
  }
  const out: Prepared = { stops, onAxis, mainIdx, hiddenIdx, occupied, total };
  if (linear) entry.linear = out;
  else entry.other = out;
  return out;
}

/**
 * `prepare` on the columns' float64 form (a view's decoded wire form): the same merges and
 * walks on doubles, without a bigint per boundary until the stops. Exact: every value is below
 * 2^53, limits are powers of two.
 */
function prepareFlat(input: MapInput, linear: boolean): Prepared {
  const cols = input.columns.map((c) => c.flat!);
  // Ascending runs merged pairwise (as mergeUnique does with bigints): a column's band
  // boundaries and its hidden starts ascend already; only hidden ends need a sort.
  const lists: Float64Array[] = [Float64Array.of(0)];
  let contentEnd = 0;
  for (const c of cols) {
    const b = new Float64Array(c.bandStart.length * 2);
    let n = 0;
    for (let i = 0; i < c.bandStart.length; i++) {
      if (n === 0 || b[n - 1] !== c.bandStart[i]) b[n++] = c.bandStart[i];
      b[n++] = c.bandEnd[i];
    }
    lists.push(b.subarray(0, n));
    if (n > 0 && b[n - 1] > contentEnd) contentEnd = b[n - 1];
    if (c.hiddenStart.length > 0) {
      lists.push(c.hiddenStart);
      const ends = c.hiddenEnd.slice().sort();
      lists.push(ends);
      if (ends[ends.length - 1] > contentEnd) contentEnd = ends[ends.length - 1];
    }
  }
  const onAxis = input.limits.map((l) => !linear || l.addr <= BigInt(contentEnd) || contentEnd === 0);
  lists.push(Float64Array.from(input.limits.filter((_, i) => onAxis[i]).map((l) => Number(l.addr))).sort());
  const stopsF = mergeFloat(lists);
  const m = stopsF.length;
  const stops: bigint[] = new Array(m);
  for (let i = 0; i < m; i++) stops[i] = bigOf(stopsF[i]);

  const diff = new Int32Array(m + 1);
  const mainIdx: Int32Array[] = [];
  const hiddenIdx: Int32Array[] = [];
  let total = 0;
  for (const c of cols) {
    // Bands ascend and are disjoint: one pointer walk.
    const idx = new Int32Array(c.bandStart.length * 2);
    let p = 0;
    for (let i = 0; i < c.bandStart.length; i++) {
      while (p < m - 1 && stopsF[p] !== c.bandStart[i]) p++;
      let q = p + 1;
      while (q < m - 1 && stopsF[q] !== c.bandEnd[i]) q++;
      idx[2 * i] = p;
      idx[2 * i + 1] = q;
      diff[p]++;
      diff[q]--;
      p = q;
    }
    mainIdx.push(idx);
    const hidx = new Int32Array(c.hiddenStart.length * 2);
    for (let i = 0; i < c.hiddenStart.length; i++) {
      const p0 = floatIndex(stopsF, c.hiddenStart[i]);
      const q0 = floatIndex(stopsF, c.hiddenEnd[i]);
      hidx[2 * i] = p0;
      hidx[2 * i + 1] = q0;
      diff[p0]++;
      diff[q0]--;
    }
    hiddenIdx.push(hidx);
    total += c.bandStart.length + c.hiddenStart.length;
  }
  const occupied = new Uint8Array(Math.max(0, m - 1));
  for (let i = 0, run = 0; i < occupied.length; i++) {
    run += diff[i];
    occupied[i] = run > 0 ? 1 : 0;
  }
  return { stops, stopsF, onAxis, mainIdx, hiddenIdx, occupied, total };
}

/** Ascending runs of doubles merged into one without duplicates (shortest two first). */
function mergeFloat(lists: Float64Array[]): Float64Array {
  const work = lists.filter((l) => l.length > 0).sort((a, b) => a.length - b.length);
  if (work.length === 0) return new Float64Array(0);
  if (work.length === 1) work.push(new Float64Array(0));
  while (work.length > 1) {
    const a = work.shift()!;
    const b = work.shift()!;
    const out = new Float64Array(a.length + b.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < a.length && j < b.length) {
      const v = a[i] <= b[j] ? a[i++] : b[j++];
      if (k === 0 || out[k - 1] !== v) out[k++] = v;
    }
    for (; i < a.length; i++) if (k === 0 || out[k - 1] !== a[i]) out[k++] = a[i];
    for (; j < b.length; j++) if (k === 0 || out[k - 1] !== b[j]) out[k++] = b[j];
    const merged = out.subarray(0, k);
    let at = 0;
    while (at < work.length && work[at].length < merged.length) at++;
    work.splice(at, 0, merged);
  }
  return work[0];
}

/** Index of the stop equal to `v` (binary search; `v` is a stop). */
function floatIndex(stops: Float64Array, v: number): number {
  let lo = 0;
  let hi = stops.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (stops[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Lays out `input`. Repeated calls on the same input (a scale toggle, a resize) reuse the
 * sorted boundaries and occupancy and only redo the heights and positions.
 */
export function layoutMap(input: MapInput, options: Partial<LayoutOptions> = {}): Layout {
  const o: LayoutOptions = { ...defaultLayoutOptions, ...options };
  const cols = input.columns;
  const { stops, stopsF, onAxis, mainIdx, hiddenIdx, occupied, total } = prepare(input, o.scale === 'linear');
  const axis = buildAxis(stops, occupied, o.scale, o, stopsF);
  const ys = axis.ys;

  // 3. Columns side by side after the label gutter.
  const hidden = cols.map((c) => (c.flat ? hiddenLanesF(c.flat.hiddenStart, c.flat.hiddenEnd, o.hiddenLanes) : hiddenLanes(c.hidden, o.hiddenLanes)));
  const columns: LayoutColumn[] = [];
  const labelChars = axis.digits + axis.digits / 4 + 1;
  let x = Math.max(o.gutter, Math.ceil(labelChars * 6.6 + 18));
  cols.forEach((c, i) => {
    const lanes = hidden[i].used;
    const width = o.mainWidth + (lanes > 0 ? 4 + lanes * o.hiddenLaneWidth : 0);
    columns.push({ title: c.title, x, width, mainX: x, mainWidth: o.mainWidth, hiddenX: x + o.mainWidth + 4, hiddenLanes: lanes });
    x += width + o.columnGap;
  });

  // 4. Limits: a band is beyond a limit when it ends above the limit's stop (exact, since
  //    the limit is a stop); a limit off the axis has nothing beyond it.
  const limits: LayoutLimit[] = input.limits.map((l, index) => ({
    index, label: l.label, kind: l.kind, y: onAxis[index] ? yAt(axis, l.addr) : null, columns: l.columns,
  }));
  const limitStop = input.limits.map((l, i) => (onAxis[i] ? stopIndex(stops, l.addr) : stops.length));
  const limitRegions = input.limits.map((l) => (l.regions ? new Set(l.regions) : undefined));
  const limitsOf = cols.map((_, ci) => input.limits.flatMap((l, li) => (li < 32 && l.columns.includes(ci) ? [li] : [])));
  const beyondOf = (ci: number, endStop: number, region: number): number => {
    let mask = 0;
    for (const li of limitsOf[ci]) {
      if (endStop > limitStop[li] && (!limitRegions[li] || limitRegions[li]!.has(region))) mask |= 1 << li;
    }
    return mask >>> 0;
  };

  // 5. Bands into the typed arrays.
  const B = {
    count: total, column: new Uint16Array(total), lane: new Uint8Array(total), index: new Uint32Array(total),
    x0: new Float32Array(total), x1: new Float32Array(total), y0: new Float64Array(total), y1: new Float64Array(total),
    kind: new Uint8Array(total), flags: new Uint8Array(total), region: new Int32Array(total), beyond: new Uint32Array(total),
  };
  let k = 0;
  for (let ci = 0; ci < cols.length; ci++) {
    const col = columns[ci];
    const idx = mainIdx[ci];
    const flat = cols[ci].flat;
    if (flat) {
      // The float form: no band objects.
      for (let i = 0; i < flat.bandStart.length; i++, k++) {
        B.column[k] = ci;
        B.index[k] = i;
        B.x0[k] = col.mainX;
        B.x1[k] = col.mainX + col.mainWidth;
        B.y0[k] = ys[idx[2 * i]];
        B.y1[k] = ys[idx[2 * i + 1]];
        B.kind[k] = flat.bandFlags[i] & 3;
        B.flags[k] = flat.bandFlags[i] & 8 ? 1 : 0;
        B.region[k] = flat.bandRegion[i];
        B.beyond[k] = limitsOf[ci].length ? beyondOf(ci, idx[2 * i + 1], flat.bandRegion[i]) : 0;
      }
      continue;
    }
    const list = cols[ci].bands;
    for (let i = 0; i < list.length; i++, k++) {
      const band = list[i];
      B.column[k] = ci;
      B.index[k] = i;
      B.x0[k] = col.mainX;
      B.x1[k] = col.mainX + col.mainWidth;
      B.y0[k] = ys[idx[2 * i]];
      B.y1[k] = ys[idx[2 * i + 1]];
      B.kind[k] = KIND_CODE[band.kind];
      B.flags[k] = band.via.length > 0 ? 1 : 0;
      B.region[k] = band.region;
      B.beyond[k] = limitsOf[ci].length ? beyondOf(ci, idx[2 * i + 1], band.region) : 0;
    }
  }
  for (let ci = 0; ci < cols.length; ci++) {
    const col = columns[ci];
    const idx = hiddenIdx[ci];
    const flat = cols[ci].flat;
    if (flat) {
      for (let i = 0; i < flat.hiddenStart.length; i++, k++) {
        const lane = hidden[ci].lane[i];
        B.column[k] = ci;
        B.lane[k] = lane;
        B.index[k] = i;
        B.x0[k] = col.hiddenX + (lane - 1) * o.hiddenLaneWidth;
        B.x1[k] = B.x0[k] + o.hiddenLaneWidth - 2;
        B.y0[k] = ys[idx[2 * i]];
        B.y1[k] = ys[idx[2 * i + 1]];
        B.kind[k] = flat.hiddenFlags[i] & 3;
        B.flags[k] = flat.hiddenFlags[i] & 8 ? 1 : 0;
        B.region[k] = flat.hiddenRegion[i];
        B.beyond[k] = limitsOf[ci].length ? beyondOf(ci, idx[2 * i + 1], flat.hiddenRegion[i]) : 0;
      }
      continue;
    }
    const list = cols[ci].hidden;
    for (let i = 0; i < list.length; i++, k++) {
      const h = list[i];
      const lane = hidden[ci].lane[i];
      B.column[k] = ci;
      B.lane[k] = lane;
      B.index[k] = i;
      B.x0[k] = col.hiddenX + (lane - 1) * o.hiddenLaneWidth;
      B.x1[k] = B.x0[k] + o.hiddenLaneWidth - 2;
      B.y0[k] = ys[idx[2 * i]];
      B.y1[k] = ys[idx[2 * i + 1]];
      B.kind[k] = KIND_CODE[h.kind];
      B.flags[k] = h.via.length > 0 ? 1 : 0;
      B.region[k] = h.region;
      B.beyond[k] = limitsOf[ci].length ? beyondOf(ci, idx[2 * i + 1], h.region) : 0;
    }
  }
  return { input, axis, columns, bands: B, limits, width: Math.max(x - o.columnGap, columns[0]?.x ?? o.gutter), height: axis.height };
}

/** Band `i` of a layout as an object, with its addresses from the input. */
export function bandOf(layout: Layout, i: number): LayoutBand {
  const B = layout.bands;
  const col = layout.input.columns[B.column[i]];
  const src = B.lane[i] === 0 ? col.bands[B.index[i]] : col.hidden[B.index[i]];
  const beyond: number[] = [];
  for (let l = 0; l < 32; l++) if (B.beyond[i] & (1 << l)) beyond.push(l);
  return {
    column: B.column[i], lane: B.lane[i], index: B.index[i], start: src.start, end: src.end,
    x0: B.x0[i], x1: B.x1[i], y0: B.y0[i], y1: B.y1[i], kind: BAND_KINDS[B.kind[i]], aliased: (B.flags[i] & 1) !== 0,
    region: B.region[i], beyond,
  };
}

/** Every band as an object (tests, SVG export of small machines). */
export function bandList(layout: Layout): LayoutBand[] {
  const out: LayoutBand[] = [];
  for (let i = 0; i < layout.bands.count; i++) out.push(bandOf(layout, i));
  return out;
}

/** The main-lane band of column `ci` containing `addr` (binary search), or -1. */
export function bandAt(layout: Layout, ci: number, addr: bigint): number {
  const B = layout.bands;
  // Main-lane bands come first, column by column, each column's in address order.
  let first = 0;
  for (let c = 0; c < ci; c++) first += layout.input.columns[c].bands.length;
  const list = layout.input.columns[ci]?.bands ?? [];
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (addr < list[mid].start) hi = mid - 1;
    else if (addr >= list[mid].end) lo = mid + 1;
    else return B.count > first + mid ? first + mid : -1;
  }
  return -1;
}
