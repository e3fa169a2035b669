// Per-document analysis cache and debounce. A result is keyed by (uri, version, settings
// generation); callers only ever receive the analysis of the document's latest version, and
// waiting callers are released (with undefined) when cancelled or when the document closes.
// Each analysis is computed from the previous one (incremental analysis consumes it), and the
// debounce after a single change is as short as that analysis was cheap (see `delayOf`).
import type { Analysis } from '../ide/analysis.js';
import { Converter } from './convert.js';

export interface Snapshot {
  readonly uri: string;
  readonly version: number;
  readonly analysis: Analysis;
  readonly conv: Converter;
  /** How many times a file the document includes had changed when this was computed. */
  readonly inputs: number;
  /** Wall-clock ms of the analysis and of the converter's line index (for MRD_TRACE_TIMING). */
  readonly analysisMs?: number;
  readonly lineIndexMs?: number;
}

/** Analyses one version of a document (`uri` says which, for the files it includes). */
export type Analyzer = (text: string, previous?: Analysis, uri?: string) => Analysis;

interface Entry {
  version: number;
  text: string;
  changedAt: number;
  /** When the change before the latest one arrived (0: none). */
  previousChange: number;
  /** That change had not been analysed yet when the latest one arrived (the two coalesce). */
  coalesced?: boolean;
  result?: Snapshot;
  /** The last analysis computed (until the next one is computed from it) and its converter. */
  previous?: Snapshot;
  /** How long that analysis took, in ms. */
  lastMs?: number;
  /** The latest version is the one the document was opened with. */
  opened?: boolean;
  /** Changes to files the document includes (see `inputsChanged`). */
  inputs: number;
  /** An included file changed since the last analysis: the next one is not computed from it. */
  inputsDirty?: boolean;
  timer?: NodeJS.Timeout;
}

export interface Cancellable {
  readonly isCancellationRequested: boolean;
}

export class Scheduler {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;
  /** Number of analyses actually computed (for tests and logging). */
  computed = 0;
  /** Told about an analysis or publish that threw in the debounce timer (default: ignored). */
  onError?: (e: unknown) => void;

  constructor(
    private analyze: Analyzer,
    readonly delayMs = 150,
  ) {}

  /** New settings: every cached result is stale. */
  setAnalyzer(analyze: Analyzer): void {
    this.analyze = analyze;
    this.generation++;
    for (const e of this.entries.values()) {
      e.result = undefined;
      e.previous = undefined;
    }
  }

  /** A document just opened: nothing to coalesce, so it is analysed without a debounce. */
  open(uri: string, version: number, text: string): void {
    this.update(uri, version, text);
    this.entries.get(uri)!.opened = true;
  }

  update(uri: string, version: number, text: string): void {
    const e = this.entries.get(uri);
    // The document manager reports an opened document's content as a change too.
    if (e && e.version === version && e.text === text) return;
    if (e) {
      e.opened = false;
      e.version = version;
      e.text = text;
      e.previousChange = e.changedAt;
      e.changedAt = Date.now();
      e.coalesced = !e.result;
      if (e.result) e.previous = e.result;
      e.result = undefined;
    } else {
      this.entries.set(uri, { version, text, changedAt: Date.now(), previousChange: 0, inputs: 0 });
    }
  }

  /**
   * A file the document includes changed: its analysis is stale although its text is not.
   * The next one is computed at once (no debounce: the other file's edit was debounced by the
   * editor's own changes, and the document itself did not change).
   */
  inputsChanged(uri: string): void {
    const e = this.entries.get(uri);
    if (!e) return;
    e.inputs++;
    e.inputsDirty = true;
    if (e.result) e.previous = e.result;
    e.result = undefined;
  }

  /** The last analysis computed for the document, without computing one (undefined if none yet). */
  last(uri: string): Analysis | undefined {
    const e = this.entries.get(uri);
    return (e?.result ?? e?.previous)?.analysis;
  }

  /**
   * The debounce for the latest change. A change that follows a quiet spell, when the last
   * analysis took little time, is analysed soon: waiting longer than the analysis takes saves
   * nothing. Changes in quick succession (typing fast, a paste, scripted edits) wait the full
   * `delayMs` after the last one, so that intermediate versions are skipped; a change after
   * one already analysed skips nothing by waiting and counts as after a quiet spell. (People
   * type more slowly than MIN_DELAY_MS per keystroke.) An analysis cheaper than that interval is
   * not worth delaying at all: should the next keystroke make it useless, it has cost less
   * than the keystroke's own spacing; only messages read in the same go are waited for.
   */
  private delayOf(e: Entry): number {
    if (e.opened) return 0;
    if (e.lastMs === undefined || (e.coalesced && e.changedAt - e.previousChange < MIN_DELAY_MS)) return this.delayMs;
    if (e.lastMs < MIN_DELAY_MS) return SETTLE_MS;
    return Math.min(this.delayMs, Math.ceil(e.lastMs));
  }

  close(uri: string): void {
    const e = this.entries.get(uri);
    if (e?.timer) clearTimeout(e.timer);
    this.entries.delete(uri);
  }

  uris(): string[] {
    return [...this.entries.keys()];
  }

  version(uri: string): number | undefined {
    return this.entries.get(uri)?.version;
  }

  /** The analysis of the latest version if it has been computed, without computing it. */
  cached(uri: string): Snapshot | undefined {
    return this.entries.get(uri)?.result;
  }

  /** The analysis of the latest version, computed now if not cached. */
  current(uri: string): Snapshot | undefined {
    const e = this.entries.get(uri);
    if (!e) return undefined;
    if (!e.result) {
      this.computed++;
      const previous = e.previous;
      e.previous = undefined;
      const t0 = performance.now();
      // An analysis is computed from the previous one only while the included files are the
      // ones it read (incremental analysis takes them as they were).
      const analysis = this.analyze(e.text, e.inputsDirty ? undefined : previous?.analysis, uri);
      e.inputsDirty = false;
      const t1 = performance.now();
      e.lastMs = t1 - t0;
      const conv = new Converter(uri, e.text, previous?.conv);
      e.result = { uri, version: e.version, analysis, conv, inputs: e.inputs, analysisMs: e.lastMs, lineIndexMs: performance.now() - t1 };
    }
    return e.result;
  }

  /**
   * Waits until the document has been unchanged for `delayMs`, then returns the analysis of
   * that (latest) version; undefined if the token is cancelled or the document closed first.
   */
  async settled(uri: string, token?: Cancellable): Promise<Snapshot | undefined> {
    for (;;) {
      const e = this.entries.get(uri);
      if (!e || token?.isCancellationRequested) return undefined;
      if (e.result) return e.result;
      const wait = e.changedAt + this.delayOf(e) - Date.now();
      if (wait <= 0) return this.current(uri);
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 50)));
    }
  }

  /**
   * Push mode: after the debounce, calls `publish` with the analysis of the version that was
   * latest at that time. A later change restarts the timer, so intermediate versions are skipped.
   */
  schedule(uri: string, publish: (s: Snapshot) => void): void {
    const e = this.entries.get(uri);
    if (!e) return;
    if (e.timer) clearTimeout(e.timer);
    e.timer = setTimeout(() => {
      e.timer = undefined;
      // An exception thrown in a timer would end the process: report it, publish nothing.
      try {
        const s = this.current(uri);
        if (s && this.entries.get(uri)?.version === s.version) publish(s);
      } catch (err) {
        this.onError?.(err);
      }
    }, this.delayOf(e));
  }
}

/** Changes closer together than this are a burst (and analyses cheaper than this are not delayed). */
const MIN_DELAY_MS = 15;
/**
 * The shortest debounce: changes read from the connection in one go are handled one per
 * event-loop turn, all before a timer this long fires, so they still land in one analysis.
 */
const SETTLE_MS = 2;
