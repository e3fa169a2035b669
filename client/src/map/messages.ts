// The messages between the extension and the memory-map webview, declared once for both
// sides (the extension imports this file, and so does the webview bundle). Plain data only.
import type { MapWire } from '../../../server/src/ide/mapTypes.js';

/** The webview's view type (package.json has no entry for it: panels are opened by command). */
export const mapViewType = 'mrd.memoryMap';

/** Extension → webview. */
export type ToView =
  /** A new map for the document (after an edit, a step change, or on open). */
  | { readonly type: 'data'; readonly map: MapWire; readonly version: number; readonly file: string }
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
  /** What the view shows, for tests and the status line: counts after each render. */
  | { readonly type: 'rendered'; readonly bands: number; readonly scale: string; readonly step?: number };
