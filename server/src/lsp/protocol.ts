// The custom protocol between the mrd client and server, declared once and imported by both
// sides. Plain data and method names only (no runtime dependency), so the client bundle does
// not pull in the server's libraries.
import type { MapWire } from '../ide/mapTypes.js';

/**
 * Node flags the VS Code extension starts the server with (and the benchmark measures it
 * with). A young generation of at most 4 MB per semi-space (the default grows to 16): opening
 * a very large document allocates mostly short-lived syntax nodes, and a smaller young
 * generation touches less fresh memory. At 100k regions the open is about 15% faster and the
 * peak RSS lower; 2 MB opens as fast but makes the memory map's first answer about 30 ms
 * slower, 8 MB opens slower (bench/RESULTS.md). V8 reads this flag at start only.
 */
export const serverNodeFlags: readonly string[] = ['--max-semi-space-size=4'];

/** `mrd/flatView`: the `info mtree -f` text of a document's machine. */
export const FlatViewRequest = { method: 'mrd/flatView' } as const;

export interface FlatViewParams {
  /** The document's URI. */
  readonly uri: string;
  /** Restrict the output to the flat view of this address space (by name). */
  readonly space?: string;
}

export interface FlatViewResult {
  /** `info mtree -f` text, byte-compatible with QEMU's output. */
  readonly text: string;
  /** Names of the document's address spaces, in creation order. */
  readonly spaces: readonly string[];
  /** The document version the text was computed from. */
  readonly version: number;
}

/** `mrd/mtree`: the `info mtree` (or `-D`) tree text of a document's machine. */
export const MtreeRequest = { method: 'mrd/mtree' } as const;

export interface MtreeParams {
  readonly uri: string;
  /** `info mtree -D`: include disabled regions. */
  readonly disabled?: boolean;
}

export interface MtreeResult {
  readonly text: string;
  readonly version: number;
}

/**
 * `mrd/mapData`: the memory map's input for a document (ide/mapTypes.ts, wire form: hex
 * strings for addresses, line ranges for declarations), laid out by the client's view.
 */
export const MapDataRequest = { method: 'mrd/mapData' } as const;

export interface MapDataParams {
  readonly uri: string;
  /** The state after step N of the sequence (0 = start); default: after the last step. */
  readonly step?: number;
  /** The sequence to follow, by name; default: the last one with steps. */
  readonly sequence?: string;
}

export interface MapDataResult {
  readonly map: MapWire;
  readonly version: number;
}

/**
 * `mrd/importMtree`: a QEMU `info mtree -D` dump → `.mrd` text (importer/index.ts, the same
 * as `mrd import-mtree`). Stateless: the client opens the text as a new document.
 */
export const ImportMtreeRequest = { method: 'mrd/importMtree' } as const;

export interface ImportMtreeParams {
  /** The dump's text. */
  readonly text: string;
  /** `info qtree` of the same machine, or its command line: recovers address-space order. */
  readonly qtree?: string;
  readonly cmdline?: string;
}

export interface ImportMtreeResult {
  /** The `.mrd` text. */
  readonly text: string;
  /** What the importer reported about the dump; `line` is 1-based in the dump. */
  readonly diagnostics: readonly { code: string; severity: string; message: string; line: number }[];
}

/** The `mrd.*` settings, as contributed in package.json. */
export interface MrdSettings {
  readonly cpu: { readonly physBits: number };
  readonly iommu: { readonly awBits: number };
  readonly inlayHints: { readonly enabled: boolean };
  /** Code lenses on regions (absolute range, visible size). */
  readonly codeLens: { readonly enabled: boolean };
  /** Per-code severity overrides: `{ "MR3001": "warning", "MR2002": "off" }`. */
  readonly severity: Readonly<Record<string, SeverityOverride>>;
  /** At most this many outline symbols, folding ranges and code lenses per document. */
  readonly maxItemsComputed: number;
}

export type SeverityOverride = 'error' | 'warning' | 'information' | 'hint' | 'off';

export const defaultSettings: MrdSettings = {
  cpu: { physBits: 46 },
  iommu: { awBits: 48 },
  inlayHints: { enabled: true },
  codeLens: { enabled: true },
  severity: {},
  maxItemsComputed: 5000,
};

/** Command ids contributed by the client (package.json `contributes.commands`). */
export const Commands = {
  showFlatView: 'mrd.showFlatView',
  showMtree: 'mrd.showMtree',
  showMemoryMap: 'mrd.showMemoryMap',
  restartServer: 'mrd.restartServer',
  importMtree: 'mrd.importMtree',
} as const;

/** The URI scheme of the client's read-only views (`mrd-view:/…`). */
export const viewScheme = 'mrd-view';
