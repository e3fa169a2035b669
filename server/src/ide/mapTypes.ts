// The memory map's input: columns of visible bands and hidden parts, the regions they show,
// limit lines and sequence steps. Two forms: `MapInput` with bigint addresses for the layout,
// and `MapWire` (hex strings, line/character ranges) that crosses JSON-RPC and postMessage.
// Pure data and pure conversions only: the webview bundles this file.
import type { Span } from '../base/span.js';

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

/** [start, end, region, kind, readonly(0|1), offset, ...via] with hex strings for addresses. */
export type WireBand = [string, string, number, BandKind, number, string, ...number[]];
/** [start, end, region, kind, by, ...via]. */
export type WireHidden = [string, string, number, BandKind, number, ...number[]];

export interface WireColumn {
  readonly title: string;
  readonly spaces: readonly string[];
  readonly role: ColumnRole;
  readonly bands: WireBand[];
  readonly hidden: WireHidden[];
}

/** Spans become line ranges on the wire (`decl`: the declaration, `nameRange`: its name). */
type Located<T> = Omit<T, 'span' | 'nameSpan'> & { readonly decl?: LineRange; readonly nameRange?: LineRange };

export type WireRegion = Located<MapRegion>;
export type WireLimit = Located<Omit<MapLimit, 'addr'>> & { readonly addr: string };
export type WireStep = Located<MapStep>;
export interface WireSequence extends Omit<MapSequence, 'steps'> {
  readonly steps: readonly WireStep[];
}

export interface MapWire {
  readonly columns: WireColumn[];
  readonly regions: readonly WireRegion[];
  readonly limits: readonly WireLimit[];
  readonly sequence?: WireSequence;
  readonly sequences?: readonly string[];
  readonly truncated?: boolean;
}

const hx = (v: bigint): string => '0x' + v.toString(16);
const NO_VIA: readonly number[] = [];

/** Replaces `span`/`nameSpan` by line ranges (`range` converts an offset span). */
function locate<T extends { span?: Span; nameSpan?: Span }>(x: T, range: (s: Span) => LineRange): Located<T> {
  const { span, nameSpan, ...rest } = x;
  return { ...rest, ...(span ? { decl: range(span) } : {}), ...(nameSpan ? { nameRange: range(nameSpan) } : {}) };
}

export function toWire(m: MapInput, range: (s: Span) => LineRange): MapWire {
  return {
    columns: m.columns.map((c) => ({
      title: c.title,
      spaces: c.spaces,
      role: c.role,
      bands: c.bands.map((b): WireBand => [hx(b.start), hx(b.end), b.region, b.kind, b.readonly ? 1 : 0, hx(b.offset), ...b.via]),
      hidden: c.hidden.map((h): WireHidden => [hx(h.start), hx(h.end), h.region, h.kind, h.by, ...h.via]),
    })),
    regions: m.regions.map((r) => locate(r, range)),
    limits: m.limits.map((l) => ({ ...locate(l, range), addr: hx(l.addr) })),
    ...(m.sequence ? { sequence: { ...m.sequence, steps: m.sequence.steps.map((x) => locate(x, range)) } } : {}),
    ...(m.sequences ? { sequences: m.sequences } : {}),
    ...(m.truncated ? { truncated: true } : {}),
  };
}

/** A MapInput whose regions carry line ranges instead of offsets (what a client view holds). */
export type ViewInput = Omit<MapInput, 'regions' | 'sequence'> & {
  readonly regions: readonly WireRegion[];
  readonly sequence?: WireSequence;
};

/**
 * The layout's input from the wire form. Line ranges are kept as they are (`decl`,
 * `nameRange`): the view reveals them, the layout never reads them.
 */
export function fromWire(w: MapWire): ViewInput {
  return {
    columns: w.columns.map((c) => {
      // Plain loops and one shared empty `via`: this runs on 100k bands at every update.
      const bands: MapBand[] = new Array(c.bands.length);
      for (let i = 0; i < c.bands.length; i++) {
        const b = c.bands[i];
        bands[i] = {
          start: BigInt(b[0]), end: BigInt(b[1]), region: b[2], kind: b[3], readonly: b[4] === 1,
          offset: b[5] === '0x0' ? 0n : BigInt(b[5]), via: b.length > 6 ? (b.slice(6) as number[]) : NO_VIA,
        };
      }
      const hidden: MapHidden[] = new Array(c.hidden.length);
      for (let i = 0; i < c.hidden.length; i++) {
        const h = c.hidden[i];
        hidden[i] = {
          start: BigInt(h[0]), end: BigInt(h[1]), region: h[2], kind: h[3], by: h[4], via: h.length > 5 ? (h.slice(5) as number[]) : NO_VIA,
        };
      }
      return { title: c.title, spaces: c.spaces, role: c.role, bands, hidden };
    }),
    regions: w.regions,
    limits: w.limits.map((l) => ({ ...l, addr: BigInt(l.addr) })),
    sequence: w.sequence,
    sequences: w.sequences,
    truncated: w.truncated,
  };
}
