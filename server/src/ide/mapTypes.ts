// The memory map's input: columns of visible bands and hidden parts, the regions they show,
// limit lines and sequence steps. Two forms: `MapInput` with bigint addresses for the layout,
// and `MapWire` (flat columns of numbers, line/character ranges) that crosses JSON-RPC and
// postMessage (made by mapEncode.ts, read by mapDecode.ts).
// Types and constants only: the webview bundles this file.
import type { Span } from '../base/span.js';
import type { Packed } from './mapPack.js';

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
  /** The length of each name in `names` (small numbers pack short). */
  readonly nameLengths: Packed;
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
export type Located<T> = Omit<T, 'span' | 'nameSpan'> & { readonly decl?: LineRange; readonly nameRange?: LineRange };

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

/** The empty alias chain (shared: the view compares chains by identity). */
export const NO_VIA: readonly number[] = [];
