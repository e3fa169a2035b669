// The memory map's input: columns of visible bands and hidden parts, the regions they show,
// limit lines and sequence steps. Two forms: `MapInput` with bigint addresses for the layout,
// and `MapWire` (flat columns of numbers, line/character ranges) that crosses JSON-RPC and
// postMessage.
// Pure data and pure conversions only: the webview bundles this file (and mapDecode.ts, the
// view's side of the wire).
import type { Span } from '../base/span.js';
import { type Packed, pack } from './mapPack.js';

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
/** The empty alias chain (shared: the view compares chains by identity). */
export const NO_VIA: readonly number[] = [];
const KIND_CODE: Record<BandKind, number> = { ram: 0, rom: 1, mmio: 2, iommu: 3 };

/** Replaces `span`/`nameSpan` by line ranges (`range` converts an offset span). */
function locate<T extends { span?: Span; nameSpan?: Span }>(x: T, range: (s: Span) => LineRange): Located<T> {
  const { span, nameSpan, ...rest } = x;
  return { ...rest, ...(span ? { decl: range(span) } : {}), ...(nameSpan ? { nameRange: range(nameSpan) } : {}) };
}

/**
 * A column's bands as numbers, all below 2^53, as the input builder had them: the wire form
 * is made from these without reading (or making) the band objects.
 */
export interface NumericBands {
  readonly count: number;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly region: Int32Array;
  /** Kind code | 4 read-only (the wire's flags). */
  readonly flags: Uint8Array;
  readonly offset: Float64Array;
  readonly via: readonly (readonly number[])[];
}

/** What the input builder knows that spares toWire work; every part optional. */
export interface WireHints {
  /**
   * Per region, the path of its container (the very string its `path` was made from,
   * undefined at the top level), so that paths need not be taken apart again.
   */
  readonly containers?: readonly (string | undefined)[];
  /** Per column, its bands as numbers (when all are below 2^53). */
  readonly bands?: readonly (NumericBands | undefined)[];
}

/** The wire form; `range` converts an offset span to a line range. */
export function toWire(m: MapInput, range: (s: Span) => LineRange, hints: WireHints = {}): MapWire {
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
  const columns = m.columns.map((c, ci): WireColumn => {
    const nb = hints.bands?.[ci];
    // Typed arrays of the final size, and number arithmetic while addresses stay below 2^53
    // (where it is exact): no bigint is allocated per band in the usual case.
    const bands = new Float64Array((nb ? nb.count : c.bands.length) * BAND_STRIDE);
    let prev = 0n;
    let prevN = 0;
    let region = 0;
    if (nb) {
      for (let i = 0, k = 0; i < nb.count; i++, k += BAND_STRIDE) {
        const start = nb.start[i];
        bands[k] = start - prevN;
        bands[k + 1] = nb.end[i] - start;
        prevN = nb.end[i];
        bands[k + 2] = nb.region[i] - region;
        region = nb.region[i];
        bands[k + 3] = nb.flags[i];
        bands[k + 4] = nb.offset[i];
        bands[k + 5] = via(nb.via[i]);
      }
    }
    for (let i = 0, k = 0; !nb && i < c.bands.length; i++, k += BAND_STRIDE) {
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
    regions: regionsToWire(m.regions, range, hints.containers),
    big,
    vias,
    limits: m.limits.map((l) => ({ ...locate(l, range), addr: hx(l.addr) })),
    ...(m.sequence ? { sequence: { ...m.sequence, steps: m.sequence.steps.map((x) => locate(x, range)) } } : {}),
    ...(m.sequences ? { sequences: m.sequences } : {}),
    ...(m.truncated ? { truncated: true } : {}),
  };
}

function regionsToWire(list: readonly MapRegion[], range: (s: Span) => LineRange, containers?: readonly (string | undefined)[]): WireRegions {
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
    const c = containers?.[i];
    if (c) {
      // `path` is `${c}/${name}`: c itself is the prefix (one shared string, hashed once).
      let p = pathIds.get(c);
      if (p === undefined) pathIds.set(c, (p = paths.push(c) - 1));
      path[i] = p;
    } else if (containers && c === undefined) {
      path[i] = -1;
    } else {
      const cut = r.path.length - r.name.length - 1;
      const whole = !(cut > 0 && r.path.endsWith(r.name) && r.path[cut] === '/');
      if (whole && r.path === r.name) path[i] = -1;
      else {
        const prefix = whole ? r.path : r.path.slice(0, cut);
        let p = pathIds.get(prefix);
        if (p === undefined) pathIds.set(prefix, (p = paths.push(prefix) - 1));
        path[i] = whole ? -2 - p : p;
      }
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
