// The memory map's input: columns of visible bands and hidden parts, the regions they show,
// limit lines and sequence steps. Two forms: `MapInput` with bigint addresses for the layout,
// and `MapWire` (flat columns of numbers, line/character ranges) that crosses JSON-RPC and
// postMessage.
// Pure data and pure conversions only: the webview bundles this file.
import { bigOf } from '../base/bigint.js';
import type { Span } from '../base/span.js';
import { type Packed, pack, unpack } from './mapPack.js';

/** What colours a band: the leaf region's kind as QEMU dispatches it. */
export type BandKind = 'ram' | 'rom' | 'mmio' | 'iommu';

/**
 * Which initiators look through a column (decides the limit lines that apply to it): a CPU
 * address space, a device's bus-master space, an I/O space, or a PCI bus's memory (where BARs
 * land; its addresses are what the IOMMU and CPU width checks compare).
 */
export type ColumnRole = 'cpu' | 'dma' | 'io' | 'pci';

/** A range in the document as 0-based [startLine, startCharacter, endLine, endCharacter]. */
export type LineRange = readonly [number, number, number, number];

export interface MapRegion {
  readonly name: string;
  /** The region kind as written (`ram`, `io`, `alias`…). */
  readonly kind: string;
  readonly priority: number;
  /** Container names from the top-level region down to this one, joined with `/`. */
  readonly path: string;
  /** The whole declaration and the name in it, when the region comes from the document. */
  readonly span?: Span;
  readonly nameSpan?: Span;
}

/** A visible stretch of a flat view: one `info mtree -f` range. */
export interface MapBand {
  readonly start: bigint;
  /** Exclusive; at most 2^64. */
  readonly end: bigint;
  /** Index into `MapInput.regions` of the leaf shown. */
  readonly region: number;
  /** The aliases passed through, outermost first (indices into `regions`). */
  readonly via: readonly number[];
  readonly kind: BandKind;
  readonly readonly: boolean;
  /** Offset of `start` inside the region. */
  readonly offset: bigint;
}

/** A stretch a region was rendered into but where another region is visible. */
export interface MapHidden {
  readonly start: bigint;
  readonly end: bigint;
  readonly region: number;
  readonly via: readonly number[];
  readonly kind: BandKind;
  /** The region visible there instead. */
  readonly by: number;
}

export interface MapColumn {
  /** The address spaces sharing this flat view, joined with `, `. */
  readonly title: string;
  readonly spaces: readonly string[];
  readonly role: ColumnRole;
  readonly bands: readonly MapBand[];
  readonly hidden: readonly MapHidden[];
  /** The same as float64 columns, when every address is below 2^53 (a view's decoded wire form). */
  readonly flat?: FlatColumn;
}

/**
 * A column's bands and hidden parts as typed arrays, exact (every value below 2^53): what the
 * layout reads, so that 100k bands need neither bigints nor objects. `bands` and `hidden` of
 * the same column give the same values as objects, made on access.
 */
export interface FlatColumn {
  readonly bandStart: Float64Array;
  readonly bandEnd: Float64Array;
  readonly bandRegion: Int32Array;
  /** Kind code (KIND_CODES) | 4 read-only | 8 reached through an alias. */
  readonly bandFlags: Uint8Array;
  readonly hiddenStart: Float64Array;
  readonly hiddenEnd: Float64Array;
  readonly hiddenRegion: Int32Array;
  /** Kind code | 8 reached through an alias. */
  readonly hiddenFlags: Uint8Array;
}

export interface MapLimit {
  /** `CPU cpu0: phys-bits 46`, `IOMMU vtd: aw-bits 48`. */
  readonly label: string;
  readonly kind: 'cpu' | 'iommu';
  readonly bits: number;
  /** 2^bits: the first address the initiator cannot reach. */
  readonly addr: bigint;
  /** Column indices the line is drawn in. */
  readonly columns: readonly number[];
  /** Only bands of these regions count as beyond the line (all bands when absent). */
  readonly regions?: readonly number[];
  /** Declared in the file, or taken from the settings. */
  readonly source: 'file' | 'setting';
  readonly span?: Span;
}

export interface MapStep {
  /** `label NAME` of the step, or ''. */
  readonly label: string;
  /** The step as written, shortened: `write 0x14 4 0xffffffff on 01:10.0`. */
  readonly text: string;
  readonly span?: Span;
  /** Labels of the limits that a BAR mapped by this step crosses. */
  readonly beyond: readonly string[];
}

export interface MapSequence {
  readonly name: string;
  readonly steps: readonly MapStep[];
  /** The state shown: 0 = the start state, N = after step N (1-based, as in messages). */
  readonly current: number;
}

export interface MapInput {
  readonly columns: readonly MapColumn[];
  readonly regions: readonly MapRegion[];
  readonly limits: readonly MapLimit[];
  readonly sequence?: MapSequence;
  /** Names of all sequences of the file (the shown one is `sequence`). */
  readonly sequences?: readonly string[];
  /** Set when a cap cut the hidden parts short. */
  readonly truncated?: boolean;
}

// ---- wire form ---------------------------------------------------------------------------
// Columnar and packed, so that 100k bands cost a few strings instead of 100k objects and 200k
// hex strings: JSON (LSP) and the webview's postMessage copy a string as one block, and the
// view unpacks it in one pass (mapPack.ts). An address or size is a number when it is exact as
// one (below 2^53), else an index into a table of hex strings; bands and hidden parts are
// delta-coded in address order. Exactness is kept: every value decodes to the bigint it encodes.

/**
 * An address, size or offset: the value itself when it is below 2^53, else −1 − k for entry k
 * of `MapWire.big` (hex strings), so that every list packs as integers (mapPack.ts).
 */
export type WireAddr = number;

/** Decoded packed lists (indexable like the arrays they were). */
type Numbers = ArrayLike<number>;

/**
 * A column's visible bands, BAND_STRIDE entries each: [gap, size, Δregion, flags, offset, via]
 * — `gap` from the previous band's end (the first: from 0), `Δregion` from the previous band's
 * region (the first: from 0), `flags` the kind code (KIND_CODES)
 * plus 4 when read-only, `via` an index into `MapWire.vias` (0: no alias passed).
 */
export type WireBands = Packed;
/** Hidden parts, HIDDEN_STRIDE entries each: [delta, size, region, kind code, by, via], `delta` from the previous part's start. */
export type WireHidden = Packed;
export const BAND_STRIDE = 6;
export const HIDDEN_STRIDE = 6;
/** Kind codes on the wire (and in the layout's typed arrays). */
export const KIND_CODES: readonly BandKind[] = ['ram', 'rom', 'mmio', 'iommu'];

export interface WireColumn {
  readonly title: string;
  readonly spaces: readonly string[];
  readonly role: ColumnRole;
  readonly bands: WireBands;
  readonly hidden: WireHidden;
}

/**
 * The regions, one entry per array and region. `path`: index into `paths` of the container
 * path (-1: top level; the region's path is that path, `/`, its name). `loc`: per region 0
 * (no declaration), or 1 and the declaration [Δline, character, endLine − line, endCharacter]
 * (Δline from the previous declaration's line), or 2, the declaration and its name the same way
 * (Δline from the declaration's line), or 3, the declaration and the character where the name
 * starts on its first line (the name as written: as long as `name`).
 */
export interface WireRegions {
  readonly count: number;
  /** The names one after the other (one string clones and parses faster than 100k). */
  readonly names: string;
  /** Where each name ends in `names`. */
  readonly nameEnds: Packed;
  /** Index into `kinds`. */
  readonly kind: Packed;
  readonly kinds: readonly string[];
  readonly priority: Packed;
  readonly path: Packed;
  /** Container paths (and, rarely, whole paths: coded −2 − index in `path`). */
  readonly paths: readonly string[];
  readonly loc: Packed;
}



/** Spans become line ranges on the wire (`decl`: the declaration, `nameRange`: its name). */
type Located<T> = Omit<T, 'span' | 'nameSpan'> & { readonly decl?: LineRange; readonly nameRange?: LineRange };

/** A region as a client holds it: line ranges instead of offsets (`decl`: the declaration, `nameRange`: its name). */
export type ViewRegion = Located<MapRegion>;
export type WireLimit = Located<Omit<MapLimit, 'addr'>> & { readonly addr: string };
export type WireStep = Located<MapStep>;
export interface WireSequence extends Omit<MapSequence, 'steps'> {
  readonly steps: readonly WireStep[];
}

export interface MapWire {
  readonly columns: WireColumn[];
  readonly regions: WireRegions;
  /** Values of 2^53 and above, as hex strings (see WireAddr). */
  readonly big: readonly string[];
  /** Alias chains (indices into the regions, outermost first); entry 0 is the empty one. */
  readonly vias: readonly (readonly number[])[];
  readonly limits: readonly WireLimit[];
  readonly sequence?: WireSequence;
  readonly sequences?: readonly string[];
  readonly truncated?: boolean;
}

const hx = (v: bigint): string => '0x' + v.toString(16);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const NO_VIA: readonly number[] = [];
const KIND_CODE: Record<BandKind, number> = { ram: 0, rom: 1, mmio: 2, iommu: 3 };

/** Replaces `span`/`nameSpan` by line ranges (`range` converts an offset span). */
function locate<T extends { span?: Span; nameSpan?: Span }>(x: T, range: (s: Span) => LineRange): Located<T> {
  const { span, nameSpan, ...rest } = x;
  return { ...rest, ...(span ? { decl: range(span) } : {}), ...(nameSpan ? { nameRange: range(nameSpan) } : {}) };
}

/** The wire form; `range` converts an offset span to a line range. */
export function toWire(m: MapInput, range: (s: Span) => LineRange): MapWire {
  const big: string[] = [];
  const bigIds = new Map<bigint, number>();
  const enc = (v: bigint): WireAddr => {
    if (v <= MAX_SAFE && v >= 0n) return Number(v);
    let k = bigIds.get(v);
    if (k === undefined) bigIds.set(v, (k = big.push(hx(v)) - 1));
    return -1 - k;
  };
  // Alias chains: the input shares one array per render path, so identity finds most repeats.
  const vias: (readonly number[])[] = [NO_VIA];
  const viaIds = new Map<readonly number[], number>([[NO_VIA, 0]]);
  const byKey = new Map<string, number>([['', 0]]);
  const via = (v: readonly number[]): number => {
    if (v.length === 0) return 0;
    let id = viaIds.get(v);
    if (id === undefined) {
      const key = v.join(',');
      id = byKey.get(key);
      if (id === undefined) byKey.set(key, (id = vias.push(v) - 1));
      viaIds.set(v, id);
    }
    return id;
  };
  const columns = m.columns.map((c): WireColumn => {
    // Typed arrays of the final size, and number arithmetic while addresses stay below 2^53
    // (where it is exact): no bigint is allocated per band in the usual case.
    const bands = new Float64Array(c.bands.length * BAND_STRIDE);
    let prev = 0n;
    let prevN = 0;
    let region = 0;
    for (let i = 0, k = 0; i < c.bands.length; i++, k += BAND_STRIDE) {
      const b = c.bands[i];
      if (b.end <= MAX_SAFE && b.start >= prev) {
        const start = Number(b.start);
        const end = Number(b.end);
        bands[k] = start - prevN;
        bands[k + 1] = end - start;
        prevN = end;
      } else {
        bands[k] = enc(b.start - prev);
        bands[k + 1] = enc(b.end - b.start);
        prevN = Number(b.end);
      }
      bands[k + 2] = b.region - region;
      region = b.region;
      bands[k + 3] = KIND_CODE[b.kind] | (b.readonly ? 4 : 0);
      bands[k + 4] = b.offset === 0n ? 0 : enc(b.offset);
      bands[k + 5] = via(b.via);
      prev = b.end;
    }
    const hidden = new Float64Array(c.hidden.length * HIDDEN_STRIDE);
    prev = 0n;
    prevN = 0;
    for (let i = 0, k = 0; i < c.hidden.length; i++, k += HIDDEN_STRIDE) {
      const h = c.hidden[i];
      if (h.end <= MAX_SAFE && h.start >= prev) {
        const start = Number(h.start);
        hidden[k] = start - prevN;
        hidden[k + 1] = Number(h.end) - start;
        prevN = start;
      } else {
        hidden[k] = enc(h.start - prev);
        hidden[k + 1] = enc(h.end - h.start);
        prevN = Number(h.start);
      }
      hidden[k + 2] = h.region;
      hidden[k + 3] = KIND_CODE[h.kind];
      hidden[k + 4] = h.by;
      hidden[k + 5] = via(h.via);
      prev = h.start;
    }
    return { title: c.title, spaces: c.spaces, role: c.role, bands: pack(bands), hidden: pack(hidden) };
  });
  return {
    columns,
    regions: regionsToWire(m.regions, range),
    big,
    vias,
    limits: m.limits.map((l) => ({ ...locate(l, range), addr: hx(l.addr) })),
    ...(m.sequence ? { sequence: { ...m.sequence, steps: m.sequence.steps.map((x) => locate(x, range)) } } : {}),
    ...(m.sequences ? { sequences: m.sequences } : {}),
    ...(m.truncated ? { truncated: true } : {}),
  };
}

function regionsToWire(list: readonly MapRegion[], range: (s: Span) => LineRange): WireRegions {
  const n = list.length;
  let names = '';
  // Typed arrays of the final size (at most 9 location entries per region): no growth, no holes.
  const nameEnds = new Float64Array(n);
  const kind = new Int32Array(n);
  const priority = new Float64Array(n);
  const path = new Int32Array(n);
  const kinds: string[] = [];
  const kindIds = new Map<string, number>();
  const paths: string[] = [];
  const pathIds = new Map<string, number>();
  const loc = new Int32Array(n * 9);
  let k = 0;
  let line = 0;
  for (let i = 0; i < n; i++) {
    const r = list[i];
    names += r.name;
    nameEnds[i] = names.length;
    let kc = kindIds.get(r.kind);
    if (kc === undefined) kindIds.set(r.kind, (kc = kinds.push(r.kind) - 1));
    kind[i] = kc;
    priority[i] = r.priority;
    // `path` ends in `/name` unless the region is at the top level (else it goes whole, coded -2 − index).
    const cut = r.path.length - r.name.length - 1;
    const whole = !(cut > 0 && r.path.endsWith(r.name) && r.path[cut] === '/');
    if (whole && r.path === r.name) path[i] = -1;
    else {
      const prefix = whole ? r.path : r.path.slice(0, cut);
      let p = pathIds.get(prefix);
      if (p === undefined) pathIds.set(prefix, (p = paths.push(prefix) - 1));
      path[i] = whole ? -2 - p : p;
    }
    // Indexed stores, not push(a, b, …): this runs for every region.
    if (!r.span) {
      loc[k++] = 0;
      continue;
    }
    const d = range(r.span);
    const flag = k;
    loc[k++] = r.nameSpan ? 2 : 1;
    loc[k++] = d[0] - line;
    loc[k++] = d[1];
    loc[k++] = d[2] - d[0];
    loc[k++] = d[3];
    line = d[0];
    if (r.nameSpan) {
      const nr = range(r.nameSpan);
      if (nr[0] === d[0] && nr[2] === nr[0] && nr[3] - nr[1] === r.name.length) {
        // The usual case: the name as written, on the declaration's first line.
        loc[flag] = 3;
        loc[k++] = nr[1];
        continue;
      }
      loc[k++] = nr[0] - d[0];
      loc[k++] = nr[1];
      loc[k++] = nr[2] - nr[0];
      loc[k++] = nr[3];
    }
  }
  return { count: n, names, nameEnds: pack(nameEnds), kind: pack(kind), kinds, priority: pack(priority), path: pack(path), paths, loc: pack(loc.subarray(0, k)) };
}

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
  private list(k: 'nameEnds' | 'kind' | 'priority' | 'path'): Numbers {
    let v = this.cache.get(k);
    if (!v) this.cache.set(k, (v = unpack(this.w[k])));
    return v;
  }
  get nameEnds(): Numbers {
    return this.list('nameEnds');
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

/**
 * An array of `n` elements made by `make` on first access: a view of 100k bands shows a few
 * hundred of them. Anything that asks for all the keys (equality, spreading) gets them all.
 */
function lazyList<T extends object>(n: number, make: (i: number) => T): T[] {
  const target: T[] = new Array(n);
  let full = false;
  const index = (k: string | symbol): number => {
    if (typeof k !== 'string') return -1;
    const i = Number(k);
    return Number.isInteger(i) && i >= 0 && i < n && String(i) === k ? i : -1;
  };
  const at = (i: number): T => target[i] ?? (target[i] = make(i));
  return new Proxy(target, {
    get: (t, k, r) => {
      const i = index(k);
      return i >= 0 ? at(i) : Reflect.get(t, k, r);
    },
    has: (t, k) => index(k) >= 0 || Reflect.has(t, k),
    ownKeys: (t) => {
      if (!full) for (let i = 0; i < n; i++) at(i);
      full = true;
      return Reflect.ownKeys(t);
    },
    getOwnPropertyDescriptor: (t, k) => {
      const i = index(k);
      if (i >= 0) at(i);
      return Reflect.getOwnPropertyDescriptor(t, k);
    },
  });
}
