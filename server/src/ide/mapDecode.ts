// The view's side of the memory map's wire form (mapTypes.ts): the layout's input decoded from
// a MapWire, bands as float64 columns when every address is below 2^53, regions and objects
// read on access. Exact: every value decodes to the bigint it encodes. The webview bundles it.
import { bigOf } from '../base/bigint.js';
import { lazyList } from './mapLazy.js';
import { unpack } from './mapPack.js';
import {
  BAND_STRIDE, HIDDEN_STRIDE, KIND_CODES, type LineRange, type MapBand, type MapColumn, type MapHidden,
  type MapInput, type MapWire, NO_VIA, type ViewRegion, type WireAddr, type WireColumn, type WireRegions, type WireSequence,
} from './mapTypes.js';

/** Decoded packed lists (indexable like the arrays they were). */
type Numbers = ArrayLike<number>;

/** A MapInput whose regions carry line ranges instead of offsets (what a client view holds). */
export type ViewInput = Omit<MapInput, 'regions' | 'sequence'> & {
  readonly regions: readonly ViewRegion[];
  readonly sequence?: WireSequence;
};

/**
 * A region of the wire form, read on access: a view of 100k regions needs a few names to draw
 * and one path per tooltip, so nothing is copied or concatenated up front.
 */
class RegionOnWire implements ViewRegion {
  private d?: LineRange;
  private n?: LineRange;
  private nm?: string;
  constructor(private readonly w: RegionLists, private readonly i: number) {}
  get name(): string {
    const ends = this.w.nameEnds;
    return (this.nm ??= this.w.names.slice(this.i > 0 ? ends[this.i - 1] : 0, ends[this.i]));
  }
  get kind(): string {
    return this.w.kinds[this.w.kind[this.i]];
  }
  get priority(): number {
    return this.w.priority[this.i];
  }
  get path(): string {
    const p = this.w.path[this.i];
    return p === -1 ? this.name : p >= 0 ? `${this.w.paths[p]}/${this.name}` : this.w.paths[-2 - p];
  }
  get decl(): LineRange | undefined {
    const { loc, at, line } = this.w.lines;
    const k = at[this.i];
    if (loc[k] === 0) return undefined;
    const l0 = line[this.i];
    return (this.d ??= [l0, loc[k + 2], l0 + loc[k + 3], loc[k + 4]]);
  }
  get nameRange(): LineRange | undefined {
    const { loc, at, line } = this.w.lines;
    const k = at[this.i] + 5;
    const f = loc[at[this.i]];
    const l = line[this.i];
    if (f === 3) return (this.n ??= [l, loc[k], l, loc[k] + this.name.length]);
    if (f !== 2) return undefined;
    const l0 = l + loc[k];
    return (this.n ??= [l0, loc[k + 1], l0 + loc[k + 2], loc[k + 3]]);
  }
  toJSON(): ViewRegion {
    const { name, kind, priority, path, decl, nameRange } = this;
    return { name, kind, priority, path, ...(decl ? { decl } : {}), ...(nameRange ? { nameRange } : {}) };
  }
}

/**
 * The regions' packed lists, each unpacked when first read: the first paint needs the names of
 * a few bands, the line ranges wait for the editor's cursor or a click.
 */
class RegionLists {
  private readonly cache = new Map<string, Numbers>();
  private ranges?: { loc: Numbers; at: Int32Array; line: Float64Array };
  constructor(private readonly w: WireRegions) {}
  get names(): string {
    return this.w.names;
  }
  get kinds(): readonly string[] {
    return this.w.kinds;
  }
  get paths(): readonly string[] {
    return this.w.paths;
  }
  private list(k: 'kind' | 'priority' | 'path'): Numbers {
    let v = this.cache.get(k);
    if (!v) this.cache.set(k, (v = unpack(this.w[k])));
    return v;
  }
  private ends?: Float64Array;
  /** Where each name ends in `names` (the running sum of the lengths). */
  get nameEnds(): Numbers {
    if (!this.ends) {
      const ends = unpack(this.w.nameLengths);
      for (let i = 1; i < ends.length; i++) ends[i] += ends[i - 1];
      this.ends = ends;
    }
    return this.ends;
  }
  get kind(): Numbers {
    return this.list('kind');
  }
  get priority(): Numbers {
    return this.list('priority');
  }
  get path(): Numbers {
    return this.list('path');
  }
  /** Where each region's entry starts in `loc`, and its declaration's line (one pass over the deltas). */
  get lines(): { loc: Numbers; at: Int32Array; line: Float64Array } {
    if (!this.ranges) {
      const loc = unpack(this.w.loc);
      const n = this.w.count;
      const at = new Int32Array(n);
      const line = new Float64Array(n);
      for (let i = 0, k = 0, l = 0; i < n; i++) {
        const f = loc[k];
        if (f > 0) l += loc[k + 1];
        at[i] = k;
        line[i] = l;
        k += f === 0 ? 1 : f === 1 ? 5 : f === 3 ? 6 : 9;
      }
      this.ranges = { loc, at, line };
    }
    return this.ranges;
  }
}

/** The regions of the wire form (the extension reveals their ranges, the view shows them), read on access. */
export function regionsFromWire(packed: WireRegions): ViewRegion[] {
  const lists = new RegionLists(packed);
  return lazyList<ViewRegion>(packed.count, (i) => new RegionOnWire(lists, i));
}

/**
 * The layout's input from the wire form. Line ranges are kept as they are (`decl`,
 * `nameRange`): the view reveals them, the layout never reads them.
 */
export function fromWire(w: MapWire): ViewInput {
  const vias = w.vias;
  const big = w.big.map((x) => BigInt(x));
  const dec = (x: WireAddr): bigint => (x >= 0 ? bigOf(x) : big[-1 - x]);
  return {
    columns: w.columns.map((c) => {
      const bands = unpack(c.bands);
      const hidden = unpack(c.hidden);
      return flatColumn(c, bands, hidden, vias) ?? {
        title: c.title, spaces: c.spaces, role: c.role, bands: decodeBands(bands, dec, vias), hidden: decodeHidden(hidden, dec, vias),
      };
    }),
    regions: regionsFromWire(w.regions),
    limits: w.limits.map((l) => ({ ...l, addr: BigInt(l.addr) })),
    sequence: w.sequence,
    sequences: w.sequences,
    truncated: w.truncated,
  };
}

function decodeBands(W: Numbers, dec: (x: WireAddr) => bigint, vias: MapWire['vias']): MapBand[] {
  // Plain loops over the flat arrays: this runs on 100k bands at every update.
  const bands: MapBand[] = new Array(Math.floor(W.length / BAND_STRIDE));
  let at = 0n;
  let region = 0;
  for (let i = 0, k = 0; k < W.length; i++, k += BAND_STRIDE) {
    const start = at + dec(W[k]);
    at = start + dec(W[k + 1]);
    region += W[k + 2];
    const f = W[k + 3];
    const v = W[k + 5];
    bands[i] = {
      start, end: at, region, kind: KIND_CODES[f & 3], readonly: (f & 4) !== 0, offset: dec(W[k + 4]), via: v === 0 ? NO_VIA : vias[v],
    };
  }
  return bands;
}

function decodeHidden(H: Numbers, dec: (x: WireAddr) => bigint, vias: MapWire['vias']): MapHidden[] {
  const hidden: MapHidden[] = new Array(Math.floor(H.length / HIDDEN_STRIDE));
  let at = 0n;
  for (let i = 0, k = 0; k < H.length; i++, k += HIDDEN_STRIDE) {
    at += dec(H[k]);
    const v = H[k + 5];
    hidden[i] = {
      start: at, end: at + dec(H[k + 1]), region: H[k + 2], kind: KIND_CODES[H[k + 3] & 3], by: H[k + 4], via: v === 0 ? NO_VIA : vias[v],
    };
  }
  return hidden;
}

const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * The column with typed-array bands and hidden parts and objects made on access, or undefined
 * when some value is 2^53 or above (the bigint decoding then). Sums of values below 2^53 that
 * stay below it are exact in float64.
 */
function flatColumn(c: WireColumn, W: Numbers, H: Numbers, vias: MapWire['vias']): MapColumn | undefined {
  const nb = Math.floor(W.length / BAND_STRIDE);
  const nh = Math.floor(H.length / HIDDEN_STRIDE);
  const bandStart = new Float64Array(nb);
  const bandEnd = new Float64Array(nb);
  const bandRegion = new Int32Array(nb);
  const bandFlags = new Uint8Array(nb);
  const bandOffset = new Float64Array(nb);
  const bandVia = new Int32Array(nb);
  let at = 0;
  let region = 0;
  for (let i = 0, k = 0; i < nb; i++, k += BAND_STRIDE) {
    const gap = W[k];
    const size = W[k + 1];
    const offset = W[k + 4];
    if (gap < 0 || size < 0 || offset < 0) return undefined;
    bandStart[i] = at += gap;
    bandEnd[i] = at += size;
    if (at > SAFE) return undefined;
    bandRegion[i] = region += W[k + 2];
    bandVia[i] = W[k + 5];
    bandFlags[i] = (W[k + 3] & 7) | (W[k + 5] !== 0 ? 8 : 0);
    bandOffset[i] = offset;
  }
  const hiddenStart = new Float64Array(nh);
  const hiddenEnd = new Float64Array(nh);
  const hiddenRegion = new Int32Array(nh);
  const hiddenFlags = new Uint8Array(nh);
  const hiddenBy = new Int32Array(nh);
  const hiddenVia = new Int32Array(nh);
  at = 0;
  for (let i = 0, k = 0; i < nh; i++, k += HIDDEN_STRIDE) {
    const delta = H[k];
    const size = H[k + 1];
    if (delta < 0 || size < 0) return undefined;
    hiddenStart[i] = at += delta;
    hiddenEnd[i] = at + size;
    if (at + size > SAFE) return undefined;
    hiddenRegion[i] = H[k + 2];
    hiddenFlags[i] = (H[k + 3] & 3) | (H[k + 5] !== 0 ? 8 : 0);
    hiddenBy[i] = H[k + 4];
    hiddenVia[i] = H[k + 5];
  }
  const via = (v: number) => (v === 0 ? NO_VIA : vias[v]);
  const bands = lazyList<MapBand>(nb, (i) => ({
    start: bigOf(bandStart[i]), end: bigOf(bandEnd[i]), region: bandRegion[i], kind: KIND_CODES[bandFlags[i] & 3],
    readonly: (bandFlags[i] & 4) !== 0, offset: bigOf(bandOffset[i]), via: via(bandVia[i]),
  }));
  const hidden = lazyList<MapHidden>(nh, (i) => ({
    start: bigOf(hiddenStart[i]), end: bigOf(hiddenEnd[i]), region: hiddenRegion[i], kind: KIND_CODES[hiddenFlags[i] & 3],
    by: hiddenBy[i], via: via(hiddenVia[i]),
  }));
  return {
    title: c.title, spaces: c.spaces, role: c.role, bands, hidden,
    flat: { bandStart, bandEnd, bandRegion, bandFlags, hiddenStart, hiddenEnd, hiddenRegion, hiddenFlags },
  };
}
