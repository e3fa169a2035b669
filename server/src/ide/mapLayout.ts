// The memory map's layout: from a MapInput to positioned bands (x and y in layout units), a
// side lane per column for hidden parts, limit lines, and the shared axis (mapScale). Pure and
// deterministic — no DOM, no I/O — so the server (SVG export) and the webview share it.
// Cost is linear in bands plus a merge of the columns' sorted boundaries: 100k regions lay
// out in a few tens of milliseconds.
import { prepare } from './mapBoundaries.js';
import { type Axis, type ScaleKind, type ScaleOptions, buildAxis, defaultScaleOptions, stopIndex, yAt } from './mapScale.js';
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
