// The messages between the extension and the memory-map webview, declared once for both
// sides (the extension imports this file, and so does the webview bundle). Plain data and
// typed arrays only.
import type { MapWire } from '../../../server/src/ide/mapTypes.js';

/** The webview's view type (package.json has no entry for it: panels are opened by command). */
export const mapViewType = 'mrd.memoryMap';

/** Extension → webview. */
export type ToView =
  /** A new map for the document (after an edit, a step change, or on open): `map` is mapBytes(…) of it. */
  | { readonly type: 'data'; readonly map: Uint8Array; readonly version: number; readonly file: string }
  /** The editor's cursor moved: highlight the regions declared there. */
  | { readonly type: 'cursor'; readonly line: number; readonly character: number }
  /** The map could not be computed (the server is not running, the document closed). */
  | { readonly type: 'error'; readonly message: string };

/** Webview → extension. */
export type FromView =
  /** The script is loaded and listening: send the data. */
  | { readonly type: 'ready' }
  /** Reveal region `region` (an index into the map's regions) in the editor. */
  | { readonly type: 'reveal'; readonly region: number }
  /** Show the state after step `step` of the sequence (0 = the start state). */
  | { readonly type: 'step'; readonly step: number }
  /**
   * What the view shows, for tests and the status line: counts after each render (sent when
   * they change). `timing`: the latest map's arrival (Date.now()) and its decode, layout and
   * first draw in ms.
   */
  | {
    readonly type: 'rendered'; readonly bands: number; readonly scale: string; readonly step?: number;
    readonly timing: { readonly received: number; readonly decode: number; readonly layout: number; readonly draw: number };
  };

/**
 * The map as it is posted to the webview: its JSON in UTF-8. VS Code passes a typed array to
 * a webview as binary, where an object is serialised to JSON and parsed again at every hop
 * between the extension host, the workbench and the webview (a 100k-region map is ~3 MB).
 */
export function mapBytes(map: MapWire): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(map));
}

/** The map back from mapBytes. */
export function mapFromBytes(bytes: Uint8Array): MapWire {
  return JSON.parse(new TextDecoder().decode(bytes)) as MapWire;
}
