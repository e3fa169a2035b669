// One column of the memory map: a flat view's visible bands (`info mtree -f` ranges, merged as
// flatview_simplify does) and the parts of rendered regions that others cover, with the regions
// they show collected in a RegionTable. The float64 path keeps bands and hidden parts as numbers
// (the wire form is made from them) and makes bigint objects only when they are read.
import {
  type FloatPieces, type Piece, type VisibleSegment, bigOfExact, renderPieces, renderPiecesFloat, visibleSegments, visibleSegmentsFloat,
} from '../engine/flatten.js';
import type { AddressSpace, Region } from '../model/region.js';
import type { NumericBands, NumericHidden } from './mapEncode.js';
import { type BandKind, type ColumnRole, type MapBand, type MapColumn, type MapHidden, type MapRegion, KIND_CODES } from './mapTypes.js';

/** Hidden parts kept per column; beyond it the input is marked truncated. */
const MAX_HIDDEN = 200_000;
const SAFE = Number.MAX_SAFE_INTEGER;

/** Per column made by the fast path, its bands as numbers (when every value is below 2^53). */
export const numericBands = new WeakMap<MapColumn, NumericBands>();
/** The same for hidden parts. */
export const numericHidden = new WeakMap<MapColumn, NumericHidden>();

export function bandKind(mr: Region, readonly: boolean): BandKind {
  switch (mr.kind) {
    case 'iommu':
      return 'iommu';
    case 'ram':
    case 'ramd':
      return readonly ? 'rom' : 'ram';
    case 'rom':
      return 'rom';
    case 'romd':
      return mr.romdMode ? 'rom' : 'mmio';
    default:
      return 'mmio';
  }
}

function roleOf(spaces: readonly AddressSpace[]): ColumnRole {
  const names = spaces.map((s) => s.name);
  if (names.some((n) => n === 'memory' || n.startsWith('cpu-'))) return 'cpu';
  if (names.some((n) => /^(i\/o|io)$/i.test(n))) return 'io';
  return 'dma';
}

const NO_IDS: readonly number[] = [];

/**
 * The regions a map shows, indexed in the order first met. Only the Region objects and their
 * containers' paths are kept: the wire form reads them directly, and the MapRegion objects are
 * made when `list` is first read (the layout, the SVG, tests).
 */
export class RegionTable {
  readonly regions: Region[] = [];
  /** Per entry, the path of its container (undefined at the top level): `path` is it, `/`, the name. */
  readonly containers: (string | undefined)[] = [];
  /** Table index + 1 by region id, for the machine's regions; a map for any other. */
  private readonly byId: Int32Array;
  private readonly other = new Map<Region, number>();
  /** Paths of containers, so that each region's path costs one concatenation. */
  private readonly paths = new Map<Region, string>();
  /** Alias chains as index lists: render paths share their `via` arrays. */
  private readonly chains = new Map<readonly Region[], readonly number[]>();
  private made?: MapRegion[];

  constructor(private readonly machine: readonly Region[]) {
    this.byId = new Int32Array(machine.length);
  }

  /** The entries as MapRegion objects, made once (after the table is complete). */
  get list(): MapRegion[] {
    if (!this.made) {
      const n = this.regions.length;
      const out: MapRegion[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const r = this.regions[i];
        const c = this.containers[i];
        // One object shape for every entry (`span` and `nameSpan` undefined when absent).
        out[i] = { name: r.name, kind: r.kind, priority: r.priority, path: c !== undefined ? `${c}/${r.name}` : r.name, span: r.span, nameSpan: r.nameSpan };
      }
      this.made = out;
    }
    return this.made;
  }

  id(r: Region): number {
    const own = this.machine[r.id] === r;
    let i = own ? this.byId[r.id] - 1 : (this.other.get(r) ?? -1);
    if (i < 0) {
      i = this.regions.length;
      this.regions.push(r);
      this.containers.push(r.container ? this.path(r.container) : undefined);
      if (own) this.byId[r.id] = i + 1;
      else this.other.set(r, i);
    }
    return i;
  }

  private path(c: Region): string {
    let p = this.paths.get(c);
    if (p === undefined) {
      // Iterative: nesting may be deep.
      const up: Region[] = [];
      for (let x: Region | null = c; x && !this.paths.has(x) && up.length < 100_000; x = x.container) up.push(x);
      for (let k = up.length - 1; k >= 0; k--) {
        const parent = up[k].container;
        this.paths.set(up[k], parent && this.paths.has(parent) ? `${this.paths.get(parent)}/${up[k].name}` : up[k].name);
      }
      p = this.paths.get(c)!;
    }
    return p;
  }

  ids(via: readonly Region[]): readonly number[] {
    if (via.length === 0) return NO_IDS;
    let v = this.chains.get(via);
    if (!v) this.chains.set(via, (v = via.map((r) => this.id(r))));
    return v;
  }

  has(r: Region): number | undefined {
    const i = this.machine[r.id] === r ? this.byId[r.id] - 1 : (this.other.get(r) ?? -1);
    return i >= 0 ? i : undefined;
  }
}

/**
 * True when `q` showing over part of `p` is no news: the same bytes of the same region, or a
 * subregion (or alias) inside `p` along the same render path — a terminating region under
 * its own children (R-FLAT-6).
 */
function expected(p: Piece, q: Piece): boolean {
  if (q.mr === p.mr && q.base === p.base && q.readonly === p.readonly) return true;
  if (q.via.length < p.via.length) return false;
  for (let i = 0; i < p.via.length; i++) if (q.via[i] !== p.via[i]) return false;
  let r: Region | null = q.via[p.via.length] ?? q.mr;
  for (let g = 0; r && g < 100_000; r = r.container, g++) if (r === p.mr) return true;
  return false;
}

/** Index of the first segment whose end is above `addr`. */
function firstEnding(segs: readonly VisibleSegment[], addr: bigint): number {
  let lo = 0;
  let hi = segs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segs[mid].end <= addr) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The column of the flat view of `root` (shared by `spaces`, or a PCI bus's memory titled `title`). */
export function buildColumn(
  root: Region | null, spaces: AddressSpace[], t: RegionTable, title?: string, exact?: boolean,
): { column: MapColumn; truncated: boolean } {
  const fp = exact ? null : renderPiecesFloat(root);
  const fast = fp && buildColumnFloat(fp, t);
  if (fast) {
    const nb = fast.bands;
    const nh = fast.hidden;
    let bands: MapBand[] | undefined;
    let hidden: MapHidden[] | undefined;
    // The objects are made when first read (the wire form needs only the numbers).
    const column = columnOf(spaces, [], [], title);
    Object.defineProperty(column, 'bands', { enumerable: true, get: () => (bands ??= bandObjects(nb)) });
    Object.defineProperty(column, 'hidden', { enumerable: true, get: () => (hidden ??= hiddenObjects(nh)) });
    if (nb.count === 0 || nb.end[nb.count - 1] <= SAFE) numericBands.set(column, nb);
    if (nh.count === 0 || nh.end.every((e) => e <= SAFE)) numericHidden.set(column, nh);
    return { column, truncated: fast.truncated };
  }
  const { pieces, truncated: deep } = renderPieces(root);
  const segs = visibleSegments(pieces);
  const ids = (via: readonly Region[]) => t.ids(via);

  // Bands: flatview_simplify's can_merge over the visible segments (as flattenView does).
  const bands: MapBand[] = [];
  for (let i = 0; i < segs.length;) {
    const p = segs[i].piece;
    const start = segs[i].start;
    let end = segs[i].end;
    const offset = start - p.base;
    for (i++; i < segs.length; i++) {
      const q = segs[i].piece;
      if (
        segs[i].start !== end || q.mr !== p.mr || segs[i].start - q.base !== offset + (end - start) ||
        q.readonly !== p.readonly || q.nonvolatile !== p.nonvolatile
      ) break;
      end = segs[i].end;
    }
    bands.push({ start, end, region: t.id(p.mr), via: ids(p.via), kind: bandKind(p.mr, p.readonly), readonly: p.readonly, offset });
  }

  // Hidden parts: each piece's range where another piece is visible, split by who is (a walk
  // over the segments inside the piece, skipping its own and the expected ones).
  const hidden: { -readonly [K in keyof MapHidden]: MapHidden[K] }[] = [];
  let truncated = deep;
  for (let pi = 0; pi < pieces.length; pi++) {
    const p = pieces[pi];
    let region = -1;
    for (let k = firstEnding(segs, p.start); k < segs.length && segs[k].start < p.end; k++) {
      const q = segs[k].piece;
      if (q === p || expected(p, q)) continue;
      const start = segs[k].start > p.start ? segs[k].start : p.start;
      const end = segs[k].end < p.end ? segs[k].end : p.end;
      const by = t.id(q.mr);
      if (region < 0) region = t.id(p.mr);
      const last = hidden[hidden.length - 1];
      if (last && last.end === start && last.by === by && last.region === region) {
        last.end = end;
      } else if (hidden.length < MAX_HIDDEN) {
        hidden.push({ start, end, region, via: ids(p.via), kind: bandKind(p.mr, p.readonly), by });
      } else {
        truncated = true;
        break;
      }
    }
  }
  hidden.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  return { column: columnOf(spaces, bands, hidden, title), truncated };
}

function columnOf(spaces: AddressSpace[], bands: MapBand[], hidden: MapHidden[], title?: string): MapColumn {
  const names = spaces.map((s) => s.name);
  const role = title !== undefined ? 'pci' : roleOf(spaces);
  return { title: title ?? names.join(', '), spaces: names, role, bands, hidden };
}

/** a + b for integral doubles; NaN when the rounded sum is not the exact one. */
function addExact(a: number, b: number): number {
  const s = a + b;
  if (s < 2 ** 53 && s > -(2 ** 53)) return s;
  const bb = s - a;
  return (a - (s - bb)) + (b - bb) === 0 ? s : NaN;
}

/** Numeric bands as MapBand objects. */
function bandObjects(nb: NumericBands): MapBand[] {
  const big = bigOfExact;
  const out: MapBand[] = new Array(nb.count);
  for (let i = 0; i < nb.count; i++) {
    out[i] = {
      start: big(nb.start[i]), end: big(nb.end[i]), region: nb.region[i], via: nb.via[i], kind: KIND_CODES[nb.flags[i] & 3],
      readonly: (nb.flags[i] & 4) !== 0, offset: big(nb.offset[i]),
    };
  }
  return out;
}

/** Numeric hidden parts as MapHidden objects. */
function hiddenObjects(nh: NumericHidden): MapHidden[] {
  const big = bigOfExact;
  const out: MapHidden[] = new Array(nh.count);
  for (let i = 0; i < nh.count; i++) {
    out[i] = { start: big(nh.start[i]), end: big(nh.end[i]), region: nh.region[i], via: nh.via[i], kind: KIND_CODES[nh.kind[i]], by: nh.by[i] };
  }
  return out;
}

/** True when float piece `q` showing over part of float piece `p` is no news (as `expected`). */
function expectedAt(f: FloatPieces, p: number, q: number): boolean {
  if (f.mr[q] === f.mr[p] && f.base[q] === f.base[p] && (f.flags[q] & 1) === (f.flags[p] & 1)) return true;
  const pv = f.via[p];
  const qv = f.via[q];
  if (qv.length < pv.length) return false;
  for (let i = 0; i < pv.length; i++) if (qv[i] !== pv[i]) return false;
  let r: Region | null = qv[pv.length] ?? f.mr[q];
  for (let g = 0; r && g < 100_000; r = r.container, g++) if (r === f.mr[p]) return true;
  return false;
}

/** The wire's kind code of bandKind. */
const kindCode = (mr: Region, ro: boolean): number => KIND_CODES.indexOf(bandKind(mr, ro));

/**
 * buildColumn's bands and hidden parts from float64 pieces (renderPiecesFloat): the same
 * walk in number arithmetic, every difference checked exact; null when one is not (the
 * caller then takes the bigint path).
 */
function buildColumnFloat(f: FloatPieces, t: RegionTable): { bands: NumericBands; hidden: NumericHidden; truncated: boolean } | null {
  const s = visibleSegmentsFloat(f);
  const ids = (via: readonly Region[]) => t.ids(via);
  // At most one band per segment.
  const bStart = new Float64Array(s.count);
  const bEnd = new Float64Array(s.count);
  const bRegion = new Int32Array(s.count);
  const bFlags = new Uint8Array(s.count);
  const bOffset = new Float64Array(s.count);
  const bVia: (readonly number[])[] = [];
  let nb = 0;
  for (let i = 0; i < s.count;) {
    const p = s.piece[i];
    const mr = f.mr[p];
    const fl = f.flags[p];
    const start = s.start[i];
    let end = s.end[i];
    const offset = addExact(start, -f.base[p]);
    if (offset !== offset) return null;
    for (i++; i < s.count; i++) {
      const q = s.piece[i];
      if (s.start[i] !== end || f.mr[q] !== mr || f.flags[q] !== fl) break;
      const off = addExact(s.start[i], -f.base[q]);
      const want = addExact(offset, addExact(end, -start));
      if (off !== off || want !== want) return null;
      if (off !== want) break;
      end = s.end[i];
    }
    const ro = (fl & 1) !== 0;
    bStart[nb] = start;
    bEnd[nb] = end;
    bRegion[nb] = t.id(mr);
    bVia.push(ids(f.via[p]));
    bFlags[nb] = kindCode(mr, ro) | (ro ? 4 : 0);
    bOffset[nb++] = offset;
  }
  const bands: NumericBands = {
    count: nb, start: bStart.subarray(0, nb), end: bEnd.subarray(0, nb), region: bRegion.subarray(0, nb), flags: bFlags.subarray(0, nb),
    offset: bOffset.subarray(0, nb), via: bVia,
  };

  // Hidden parts in growable columns, in the order found (by piece), then ordered by start.
  let cap = 1024;
  let hStart = new Float64Array(cap);
  let hEnd = new Float64Array(cap);
  let hRegion = new Int32Array(cap);
  let hBy = new Int32Array(cap);
  let hKind = new Uint8Array(cap);
  const hVia: (readonly number[])[] = [];
  let hn = 0;
  let truncated = false;
  for (let p = 0; p < f.count; p++) {
    const pStart = f.start[p];
    const pEnd = f.end[p];
    let region = -1;
    // The first segment ending above the piece's start.
    let lo = 0;
    let hi = s.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s.end[mid] <= pStart) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < s.count && s.start[k] < pEnd; k++) {
      const q = s.piece[k];
      if (q === p || expectedAt(f, p, q)) continue;
      const start = s.start[k] > pStart ? s.start[k] : pStart;
      const end = s.end[k] < pEnd ? s.end[k] : pEnd;
      const by = t.id(f.mr[q]);
      if (region < 0) region = t.id(f.mr[p]);
      if (hn > 0 && hEnd[hn - 1] === start && hBy[hn - 1] === by && hRegion[hn - 1] === region) {
        hEnd[hn - 1] = end;
      } else if (hn < MAX_HIDDEN) {
        if (hn === cap) {
          cap *= 2;
          const s2 = new Float64Array(cap); s2.set(hStart); hStart = s2;
          const e2 = new Float64Array(cap); e2.set(hEnd); hEnd = e2;
          const r2 = new Int32Array(cap); r2.set(hRegion); hRegion = r2;
          const b2 = new Int32Array(cap); b2.set(hBy); hBy = b2;
          const k2 = new Uint8Array(cap); k2.set(hKind); hKind = k2;
        }
        hStart[hn] = start;
        hEnd[hn] = end;
        hRegion[hn] = region;
        hBy[hn] = by;
        hKind[hn] = kindCode(f.mr[p], (f.flags[p] & 1) !== 0);
        hVia.push(ids(f.via[p]));
        hn++;
      } else {
        truncated = true;
        break;
      }
    }
  }
  // A stable order by start (as Array.prototype.sort gives the objects).
  const order = new Int32Array(hn);
  let sorted = true;
  for (let i = 0; i < hn; i++) {
    order[i] = i;
    if (i > 0 && hStart[i] < hStart[i - 1]) sorted = false;
  }
  if (!sorted) order.sort((a, b) => hStart[a] - hStart[b] || a - b);
  const hidden: NumericHidden = {
    count: hn, start: new Float64Array(hn), end: new Float64Array(hn), region: new Int32Array(hn), by: new Int32Array(hn),
    kind: new Uint8Array(hn), via: new Array(hn),
  };
  for (let i = 0; i < hn; i++) {
    const j = order[i];
    hidden.start[i] = hStart[j];
    hidden.end[i] = hEnd[j];
    hidden.region[i] = hRegion[j];
    hidden.by[i] = hBy[j];
    hidden.kind[i] = hKind[j];
    (hidden.via as (readonly number[])[])[i] = hVia[j];
  }
  return { bands, hidden, truncated };
}
