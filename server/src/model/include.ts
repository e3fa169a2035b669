// `include "path"`: the included file's statements take effect where the include stands, as if
// written there, once per document (a file reached twice is read the first time only). Files are
// read through a callback (the core does no I/O); each included file gets a window of "virtual"
// offsets after the document's own text (base = end of the previous window + 1), so every span
// the builder records stays a plain number pair and `locate` tells which file it is in.
import type { Diagnostic, RelatedInfo } from '../base/diagnostic.js';
import { diag } from '../base/catalog/index.js';
import { LineIndex, type Span } from '../base/span.js';
import type { FileNode, IncludeNode, RegionNode, StatementNode } from '../syntax/ast.js';
import { parse, parseInto, type StatementSink } from '../syntax/parser.js';
import { type RegionNodes, treeNodes } from './build.js';

export type IncludeError = 'missing' | 'directory' | 'binary' | 'too-large' | 'unreadable';
export type IncludeRead = { text: string } | { error: IncludeError; detail?: string };

/** How an analysis reads included files: the document's own path and a synchronous reader. */
export interface IncludeContext {
  /** The analysed document's path ('/'-separated or Windows), for relative includes. */
  readonly path: string;
  /** Reads a resolved path (as `resolveIncludePath` returns it); never expected to throw. */
  read(path: string): IncludeRead;
}

/** Largest included file, in UTF-16 code units: the document limit (MR1098) and the CLI's. */
export const MAX_INCLUDE_LENGTH = 16 * 1024 * 1024;
/** All included files of one document together. */
export const MAX_INCLUDE_TOTAL = 64 * 1024 * 1024;
export const MAX_INCLUDE_DEPTH = 16;
export const MAX_INCLUDE_FILES = 256;

/** The minimal builder surface an include needs (model/build.ts Builder implements it). */
export interface IncludeTarget extends StatementSink {
  /** Regions created so far (the builder's regions array may be longer until it finishes). */
  readonly declared: number;
  diagnostics: Diagnostic[];
}

export interface IncludedFile {
  /** Resolved path. */
  readonly path: string;
  /** The path as messages show it: relative to the document's directory when inside it. */
  readonly display: string;
  readonly text: string;
  /** Virtual offset of the file's first character (moved by an edit of the document: `Includes.shift`). */
  base: number;
  /** Index of the file that included it; -1 for the document itself. */
  readonly parent: number;
  /** The include in the document through which it (or the file that led to it) came in. */
  via: Span;
  /** Region ids created while it was read (its nested includes' included). */
  firstId: number;
  endId: number;
}

// ---- paths (pure string code; '/' and Windows '\' both separate) ---------------------------

const isAbsolute = (p: string): boolean => p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(p);

/** `.` and `..` removed, separators made '/'; a leading '/', '//' or drive kept. */
export function normalizePath(p: string): string {
  const m = /^([A-Za-z]:)?([\\/]{0,2})/.exec(p)!;
  const prefix = (m[1] ?? '') + m[2].replace(/\\/g, '/');
  const out: string[] = [];
  for (const seg of p.slice(m[0].length).split(/[\\/]/)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (seg !== '..' || prefix === '') out.push(seg);
  }
  return prefix + out.join('/');
}

/** `rel` as seen from the file `from`: relative to its directory unless absolute. */
export function resolveIncludePath(from: string, rel: string): string {
  if (isAbsolute(rel)) return normalizePath(rel);
  const cut = Math.max(from.lastIndexOf('/'), from.lastIndexOf('\\'));
  return normalizePath(cut < 0 ? rel : from.slice(0, cut + 1) + rel);
}

function displayPath(root: string, p: string): string {
  const cut = root.lastIndexOf('/');
  const dir = cut < 0 ? '' : root.slice(0, cut + 1);
  return dir !== '' && p.startsWith(dir) ? p.slice(dir.length) : p;
}

const sizeText = (n: number): string => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${n} characters`);

// ---- shifting a parsed file into its window --------------------------------------------------

const POSITION_FIELDS = ['start', 'end', 'opStart', 'keywordEnd', 'closeStart'] as const;

/**
 * Adds `by` to every position in the node and its descendants (iteratively: expression trees
 * can be as deep as they are long). Nodes store positions as numbers (`start`, `end`, …; -1 for
 * an absent `}`); plain Span objects stored in nodes move the same way.
 */
export function shiftNode(root: object, by: number): void {
  const seen = new Set<object>();
  const todo: object[] = [root];
  while (todo.length > 0) {
    const n = todo.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    const rec = n as Record<string, unknown>;
    if (!Array.isArray(n)) {
      for (const f of POSITION_FIELDS) {
        const v = rec[f];
        if (typeof v === 'number' && v >= 0 && Object.prototype.hasOwnProperty.call(n, f)) rec[f] = v + by;
      }
    }
    for (const v of Array.isArray(n) ? n : Object.values(n)) if (v !== null && typeof v === 'object') todo.push(v);
  }
}

function shiftDiagnostic(d: Diagnostic, by: number): Diagnostic {
  const sh = (s: Span): Span => ({ start: s.start + by, end: s.end + by });
  return {
    ...d,
    span: sh(d.span),
    related: d.related?.map((r) => (r.file ? r : { ...r, span: sh(r.span) })),
    fix: d.fix && { ...d.fix, edits: d.fix.edits.map((e) => ({ ...e, span: sh(e.span) })) },
  };
}

/** Forwards an included file's statements to the builder, moved into the file's window. */
class ShiftingSink implements StatementSink {
  constructor(private readonly target: StatementSink, private readonly by: number) {}
  statement(st: StatementNode, depth: number): void {
    shiftNode(st, this.by);
    this.target.statement(st, depth);
  }
  openRegion(header: RegionNode, depth: number, open: number): void {
    shiftNode(header, this.by);
    this.target.openRegion(header, depth, open + this.by);
  }
  closeRegion(end: number, close: number, depth: number): void {
    this.target.closeRegion(end + this.by, close < 0 ? close : close + this.by, depth);
  }
}

// ---- following includes ----------------------------------------------------------------------

/** The includes of one analysis: followed as the builder meets them, located afterwards. */
export class Includes {
  readonly files: IncludedFile[] = [];
  /** Every path an include asked for (read or not): a change to any of them changes the analysis. */
  readonly paths = new Set<string>();
  /** Include statements met (followed or not). */
  statements = 0;
  /** Include paths (their spans) that name a file read, and that file's index, in text order per file. */
  readonly links: { span: Span; readonly file: number }[] = [];
  /** Diagnostics of the included files in their own coordinates (set by `surface`). */
  fileDiagnostics: Diagnostic[] = [];
  private readonly root: string;
  private readonly stack: number[] = [];
  private next: number;
  private total = 0;
  private readonly lines = new Map<number, LineIndex>();
  /** Counts `shift`s: trees of included files parsed before one are at the old offsets. */
  shifts = 0;

  constructor(private readonly ctx: IncludeContext, text: string) {
    this.root = normalizePath(ctx.path);
    this.next = text.length + 1;
  }

  /** An include statement at `depth` (0 = top level of its file), met by `target`. */
  include(st: IncludeNode, depth: number, target: IncludeTarget): void {
    this.statements++;
    // Inside a body the parser has said so (MR1016); nothing is read.
    if (depth > 0 || st.path.missing) return;
    const at = st.path.span;
    const report = (code: string, args: Record<string, string | number>) => target.diagnostics.push(diag(code, at, args));
    const from = this.stack.length > 0 ? this.files[this.stack[this.stack.length - 1]].path : this.root;
    const path = resolveIncludePath(from, st.path.text);
    const display = displayPath(this.root, path);
    this.paths.add(path);
    const chain = [this.root, ...this.stack.map((i) => this.files[i].path)];
    const k = chain.indexOf(path);
    if (k >= 0) {
      report('MR2021', { cycle: [...chain.slice(k), path].map((p) => displayPath(this.root, p)).join(' → ') });
      return;
    }
    // A file already read (along another branch) is not read again: its names already exist.
    const seen = this.files.findIndex((f) => f.path === path);
    if (seen >= 0) {
      this.links.push({ span: at, file: seen });
      return;
    }
    if (this.stack.length >= MAX_INCLUDE_DEPTH) {
      report('MR2024', { path: st.path.text, reason: `includes nest deeper than ${MAX_INCLUDE_DEPTH} files` });
      return;
    }
    if (this.files.length >= MAX_INCLUDE_FILES) {
      report('MR2024', { path: st.path.text, reason: `this document already includes ${MAX_INCLUDE_FILES} files` });
      return;
    }
    let r: IncludeRead;
    try {
      r = this.ctx.read(path);
    } catch (e) {
      r = { error: 'unreadable', detail: e instanceof Error ? e.message : String(e) };
    }
    if ('error' in r) {
      if (r.error === 'binary') report('MR2022', { path: st.path.text });
      else if (r.error === 'too-large') report('MR2023', { path: st.path.text, size: r.detail ?? 'over the limit', max: sizeText(MAX_INCLUDE_LENGTH) });
      else {
        const reason = r.error === 'missing' ? `no such file (${display})` : r.error === 'directory' ? `${display} is a directory` : `${display} cannot be read${r.detail ? ` (${r.detail})` : ''}`;
        report('MR2020', { path: st.path.text, reason });
      }
      return;
    }
    const text = r.text;
    if (text.length > MAX_INCLUDE_LENGTH) {
      report('MR2023', { path: st.path.text, size: sizeText(text.length), max: sizeText(MAX_INCLUDE_LENGTH) });
      return;
    }
    if (this.total + text.length > MAX_INCLUDE_TOTAL) {
      report('MR2023', { path: st.path.text, size: `${sizeText(this.total + text.length)} with the files before it`, max: sizeText(MAX_INCLUDE_TOTAL) });
      return;
    }
    if (text.slice(0, 8192).includes('\0')) {
      report('MR2022', { path: st.path.text });
      return;
    }
    this.total += text.length;
    const parent = this.stack.length > 0 ? this.stack[this.stack.length - 1] : -1;
    const file: IncludedFile = {
      path, display, text, base: this.next, parent,
      via: parent < 0 ? at : this.files[parent].via,
      firstId: target.declared, endId: target.declared,
    };
    this.next += text.length + 1;
    this.files.push(file);
    this.links.push({ span: at, file: this.files.length - 1 });
    this.stack.push(this.files.length - 1);
    const syntax = parseInto(text, new ShiftingSink(target, file.base));
    for (const d of syntax) target.diagnostics.push(shiftDiagnostic(d, file.base));
    this.stack.pop();
    file.endId = target.declared;
  }

  /**
   * The document was edited (model/incremental.ts): offsets from `oldEnd` on move by `delta`,
   * which moves every file's window (they lie after the text), and the statements read again
   * made `dk` more regions, which moves the ids of the files included after them. The included
   * files themselves are unchanged (a change to one is a full analysis). No include statement
   * was read again, so each lies wholly before the edit or after it.
   */
  shift(oldEnd: number, delta: number, dk: number): void {
    const moved = (v: number) => (v >= oldEnd ? v + delta : v);
    const span = (x: Span): Span => ({ start: moved(x.start), end: moved(x.end) });
    // Spans are shared (a file's `via` is its include's link, and its nested files'): new ones, each made once.
    const made = new Map<Span, Span>();
    const once = (x: Span): Span => {
      let y = made.get(x);
      if (!y) made.set(x, (y = span(x)));
      return y;
    };
    for (const f of this.files) {
      f.base += delta;
      if (f.via.start >= oldEnd) {
        f.firstId += dk;
        f.endId += dk;
      }
      f.via = once(f.via);
    }
    for (const l of this.links) l.span = once(l.span);
    this.next += delta;
    this.shifts++;
  }

  /** The file an include path at `offset` names (when it was read), or -1. */
  linkAt(offset: number): number {
    for (const l of this.links) if (l.span.start <= offset && offset <= l.span.end) return l.file;
    return -1;
  }

  /**
   * Where an offset counts in the document's order: its own, or for an offset in an included
   * file, the include's (so a constant from an included file is defined where it is included).
   */
  placeOf(offset: number): number {
    const f = this.fileAt(offset);
    return f < 0 ? offset : this.files[f].via.start;
  }

  /** The included file a (virtual) offset is in, or -1 for the document itself. */
  fileAt(offset: number): number {
    let lo = 0;
    let hi = this.files.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.files[mid].base <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Where a span is: the included file and the span in that file's own text, or null when in the document. */
  locate(s: Span): { file: IncludedFile; span: Span } | null {
    const i = this.fileAt(s.start);
    if (i < 0) return null;
    const f = this.files[i];
    return { file: f, span: { start: s.start - f.base, end: Math.min(s.end, f.base + f.text.length) - f.base } };
  }

  /** Line and character (0-based) of an offset in included file `i`'s own text. */
  position(i: number, offset: number): { line: number; character: number } {
    let idx = this.lines.get(i);
    if (!idx) this.lines.set(i, (idx = new LineIndex(this.files[i].text)));
    return idx.position(offset);
  }

  /**
   * The document's diagnostics, from all of them: those in included files move to their own
   * files' coordinates (`fileDiagnostics`, each file's `suppress` applied) and are summed up at
   * the include in the document they came through (MR2026 errors, MR2027 warnings only).
   */
  surface(all: readonly Diagnostic[], suppress: (text: string, ds: Diagnostic[]) => readonly Diagnostic[]): Diagnostic[] {
    if (this.files.length === 0) return all as Diagnostic[];
    const own: Diagnostic[] = [];
    const per: Diagnostic[][] = this.files.map(() => []);
    // A related location in another file than its diagnostic says which file it is in.
    const place = (r: RelatedInfo, inFile: boolean): RelatedInfo => {
      if (r.file) return r;
      const l = this.locate(r.span);
      if (l) return { ...r, file: l.file.path, span: l.span };
      return inFile ? { ...r, file: this.root } : r;
    };
    for (const d of all) {
      const i = this.fileAt(d.span.start);
      if (i < 0) {
        own.push(d.related?.some((r) => !r.file && this.fileAt(r.span.start) >= 0) ? { ...d, related: d.related.map((r) => place(r, false)) } : d);
        continue;
      }
      per[i].push({
        ...d, span: this.locate(d.span)!.span, related: d.related?.map((r) => place(r, true)), fix: undefined,
      });
    }
    const byVia = new Map<number, { file: IncludedFile; index: number; d: Diagnostic }[]>();
    this.fileDiagnostics = [];
    per.forEach((ds, i) => {
      const f = this.files[i];
      // Each file's own `# mrd-ignore` comments apply to it (before it is marked as another file's).
      for (const kept of suppress(f.text, ds)) {
        const d = { ...kept, file: f.path };
        this.fileDiagnostics.push(d);
        if (d.severity !== 'error' && d.severity !== 'warning') continue;
        const key = f.via.start;
        if (!byVia.has(key)) byVia.set(key, []);
        byVia.get(key)!.push({ file: f, index: i, d });
      }
    });
    for (const list of byVia.values()) {
      const top = this.files.find((f) => f.parent < 0 && f.via.start === list[0].file.via.start)!;
      const errors = list.filter((x) => x.d.severity === 'error');
      const warnings = list.length - errors.length;
      const shown = errors.length > 0 ? errors : list;
      const where = (x: (typeof list)[number]) =>
        `${x.file === top ? '' : x.file.display + ' '}line ${this.position(x.index, x.d.span.start).line + 1}`;
      const first = shown[0];
      const count = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
      const problems = errors.length > 0
        ? count(errors.length, 'error') + (warnings > 0 ? ` and ${count(warnings, 'warning')}` : '')
        : count(warnings, 'warning');
      const related: RelatedInfo[] = shown.slice(0, 50).map((x) => ({
        file: x.file.path, span: x.d.span, message: `${x.d.code}: ${x.d.message}`,
      }));
      own.push(diag(errors.length > 0 ? 'MR2026' : 'MR2027', { ...top.via }, {
        file: top.display, problems, first: `${where(first)}: ${first.d.code}: ${first.d.message}`,
      }, related));
    }
    return own.sort((x, y) => x.span.start - y.span.start);
  }

  /** Region nodes by id across the document and its included files (see IncludeNodes). */
  regionNodes(own: RegionNodes): RegionNodes {
    return new IncludeNodes(this, own);
  }
}

/**
 * Region ids are given in creation order, which interleaves the document's regions with the
 * included files' (read at their include). A region's node is the n-th region of its own file's
 * tree, n counted without the regions of the files that file included.
 */
class IncludeNodes implements RegionNodes {
  private readonly trees = new Map<number, RegionNodes>();
  /** `inc.shifts` when `trees` were parsed (their offsets are those of that moment). */
  private shifts = 0;
  constructor(private readonly inc: Includes, private readonly own: RegionNodes) {}
  node(id: number): RegionNode {
    const files = this.inc.files;
    if (this.shifts !== this.inc.shifts) {
      this.trees.clear();
      this.shifts = this.inc.shifts;
    }
    let owner = -1;
    for (let i = 0; i < files.length; i++) if (files[i].firstId <= id && id < files[i].endId) owner = i;
    let local = owner < 0 ? id : id - files[owner].firstId;
    // Minus the regions of the files it included before this one.
    for (const f of files) if (f.parent === owner && f.endId <= id) local -= f.endId - f.firstId;
    if (owner < 0) return this.own.node(local);
    let t = this.trees.get(owner);
    if (!t) {
      const file: FileNode = parse(files[owner].text).file;
      shiftNode(file, files[owner].base);
      t = treeNodes(file);
      this.trees.set(owner, t);
    }
    return t.node(local);
  }
}
