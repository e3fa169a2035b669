// Incremental analysis of one document. After an edit, only the statements around it are parsed
// and built again: those of the innermost region body whose braces enclose the edit, from the one
// before the edit to the first one after it whose start the new parse reaches exactly (from there
// on the old statements parse the same, shifted). Their regions replace the old ones in the
// machine (ids renumbered, spans after the edit shifted, the parent's list re-sorted), and the
// document-wide phases run again: references, alias loops, alias sizes. The result equals
// analyzeText(text) exactly (a property test checks this); whenever that is not certain — PCI
// statements, constants, address spaces or ids among the statements, a parse that does not come
// back in step — `analyzeEdit` returns null and the caller analyses the whole text.
//
// The model is updated in place: the previous state (and the analysis it returned) must not be
// used afterwards. `live` marks the one state that may still be patched.
import type { Diagnostic } from '../base/diagnostic.js';
import type { Span } from '../base/span.js';
import { textEdit } from '../base/textEdit.js';
import type { NameNode, RefNode } from '../syntax/ast.js';
import { MAX_DEPTH, parseInto, parseRangeInto } from '../syntax/parser.js';
import { Tok } from '../syntax/scanner.js';
import { LazyTree, type TextAnalysis, includeBuilder } from './analyze.js';
import { type IncludeContext, Includes } from './include.js';
import { Builder, type NameTable, type Outline, OutlineKind, recordOrder } from './build.js';
import { type Region, shiftRegionSpans } from './region.js';

export interface DocumentState {
  readonly text: string;
  readonly analysis: TextAnalysis;
  readonly builder: Builder;
  readonly tree: LazyTree;
  /** The syntax diagnostics (sorted, one per offset). */
  readonly syntax: Diagnostic[];
  /** False once an edit has been applied to this state's model. */
  live: boolean;
}

/** Full analysis, keeping what later edits need. Same result as analyzeText(text, include). */
export function analyzeState(text: string, include?: IncludeContext): DocumentState {
  const tree = new LazyTree(text);
  const builder = include ? includeBuilder(tree, new Includes(include, text), text.length) : new Builder(tree, text.length);
  const syntax = parseInto(text, builder);
  builder.finish();
  return state(text, tree, builder, syntax);
}

function state(text: string, tree: LazyTree, builder: Builder, syntax: Diagnostic[]): DocumentState {
  const build = builder.local.concat(builder.global);
  sortByStart(build);
  const index = builder.symbolIndex(builder.pciResult!.symbols);
  recordOrder(index, builder.order());
  const analysis: TextAnalysis = {
    get file() {
      return tree.file;
    },
    machine: builder.machine,
    diagnostics: syntax.concat(build),
    index,
    pci: builder.pciResult!.model,
    includes: builder.includes,
  };
  return { text, analysis, builder, tree, syntax, live: true };
}

/** Stable sort by start offset (Array.prototype.sort is stable). */
function sortByStart(ds: Diagnostic[]): void {
  ds.sort((x, y) => x.span.start - y.span.start);
}

/** Bodies re-parsed whole are at most this share of the document's statements; beyond, a full analysis. */
const MAX_SHARE = 0.5;

/**
 * The state of `text`, an edited version of `prev.text`, computed from `prev` by re-analysing
 * the statements around the edit; null when that cannot be done exactly (then analyse `text`
 * in full). On success `prev` is consumed (its model is now `text`'s).
 */
export function analyzeEdit(prev: DocumentState, text: string): DocumentState | null {
  if (!prev.live) return null;
  const b = prev.builder;
  // PCI statements are resolved and simulated document-wide; a parse that gave up (MR1099)
  // skipped the rest of the text.
  if (b.pciResult?.model || prev.syntax.some((d) => d.code === 'MR1099')) return null;
  const edit = textEdit(prev.text, text);
  // The files the document includes are taken as they were read: the caller analyses in full
  // when one of them changed. An edit that may touch an include statement is analysed in full.
  if (b.includes && edit && touchesInclude(text, edit.start, edit.newEnd)) return null;
  if (!edit) {
    prev.live = false;
    prev.tree.reset(text);
    return state(text, prev.tree, b, prev.syntax);
  }
  const O = b.outline;
  const N = O.length;
  const a = edit.start;
  const oldEnd = edit.oldEnd;
  const delta = edit.newEnd - edit.oldEnd;

  // The innermost region body whose braces enclose the edit (-1: the top level).
  const last = upperBound(O.start, N, a) - 1;
  let body = -1;
  for (let x = last; x >= 0; x = O.parent[x]) {
    if (O.open[x] >= 0 && O.open[x] < a && O.close[x] >= 0 && oldEnd <= O.close[x]) {
      body = x;
      break;
    }
  }
  const childrenFrom = body + 1;
  const childrenTo = body >= 0 ? body + O.size[body] : N;
  let depth = 0;
  for (let x = body; x >= 0; x = O.parent[x]) depth++;
  // A body nested deeper than MAX_DEPTH was skipped whole (MR1015), its statements never read.
  if (depth > MAX_DEPTH) return null;

  // The first statement to read again: the last one starting before the edit (an edit right
  // after a statement, or even on the next line, may extend it), else the body's first one.
  let first = -1;
  if (last >= childrenFrom) {
    let k = childOf(O, last, body);
    // An edit of the statement's first token may unmake its keyword, and then the statement
    // before it reads on (skipped garbage runs across lines up to a statement keyword): read
    // that one again too. The token ends at the latest at the next blank.
    let firstEnd = O.start[k];
    while (firstEnd < prev.text.length && !isBlank(prev.text.charCodeAt(firstEnd))) firstEnd++;
    if (a <= firstEnd) k = k > childrenFrom ? childOf(O, k - 1, body) : -1;
    first = k;
  }
  const from = first < 0 ? (body >= 0 ? O.open[body] + 1 : 0) : startOfPrevious(O, first, body, childrenFrom);
  const fromIdx = first < 0 ? childrenFrom : first;
  // The first statement after the edit: where the new parse must come back in step.
  let sync = fromIdx;
  while (sync < childrenTo && O.start[sync] <= oldEnd) sync += O.size[sync];
  if (sync - fromIdx > MAX_SHARE * N + 16) return null;
  // The old text read again is [S, oldStop); the new parse must stop at stopAt.
  const S = fromIdx < sync ? O.start[fromIdx] : a;
  const oldStop = sync < childrenTo ? O.start[sync] : body >= 0 ? O.close[body] : prev.text.length;
  const stopAt = sync < childrenTo || body >= 0 ? oldStop + delta : Infinity;

  // Statements between fromIdx and sync may only be regions (without ids) and skipped tokens.
  for (let i = fromIdx; i < sync; i++) {
    if (O.kind[i] === OutlineKind.Other) return null;
    if (O.region[i] >= 0 && b.regionHandles.has(b.machine.regions[O.region[i]])) return null;
  }

  // Parse and build the new statements with a builder that knows the constants defined before.
  const sub = new Builder(prev.tree);
  // Where a constant was defined in the document's order: an included file's where it was included.
  const inc = b.includes;
  for (const c of b.constants) {
    const at = inc ? inc.placeOf(c.declSpan.start) : c.declSpan.start;
    if (at < S && !sub.constByName.has(c.name)) sub.constByName.set(c.name, c);
  }
  sub.allConstDecls = b.allConstDecls;
  const r = parseRangeInto(text, sub, from, depth, stopAt);
  if (r.gaveUp) return null;
  if (stopAt === Infinity ? r.stopped !== Tok.EOF : r.stoppedAt !== stopAt) return null;
  if (sync >= childrenTo && body >= 0 && r.stopped !== Tok.RBrace) return null;
  const so = sub.outline;
  for (let i = 0; i < so.length; i++) if (so.kind[i] === OutlineKind.Other) return null;
  if (sub.regionHandles.size > 0) return null;

  // From here on the previous state is being turned into the new one (null now means: analyse
  // in full, the previous state is gone).
  prev.live = false;
  const regions = b.machine.regions;
  // Regions of the statements read again: ids [x, y), a preorder range.
  let x = 0;
  for (let i = 0; i < fromIdx; i++) if (O.region[i] >= 0) x = O.region[i] + 1;
  let y = x;
  for (let i = fromIdx; i < sync; i++) if (O.region[i] >= 0) y = O.region[i] + 1;
  const removed = regions.slice(x, y);
  const k = sub.machine.regions.length;
  const dk = k - (y - x);
  const parent = body >= 0 ? regions[O.region[body]] : null;
  // The order of names (Builder.namesOutOfOrder) changes only in the pairs of neighbours (by id)
  // around the regions read again: those pairs go now, before anything moves, and the new ones
  // come after the splice. Every other pair keeps its order: the document's regions on either
  // side of the edit stay on their side, and included files' (after the text) move alike.
  const outOfOrder = (rs: readonly Region[], declared: number, from: number, to: number) => {
    let n = 0;
    for (let i = Math.max(1, from); i <= to && i < declared; i++) if (rs[i].nameSpan!.start < rs[i - 1].nameSpan!.end) n++;
    return n;
  };
  b.namesOutOfOrder -= outOfOrder(regions, b.declared, x, y);

  // Everything that stays and lies after the edit moves by `delta` (the included files' windows too).
  shiftModel(b, x, y, oldEnd, delta);
  b.includes?.shift(oldEnd, delta, dk);
  // MR2003 points at the definition further down: decided now that it has moved.
  sub.decideUnknownConsts();
  // Diagnostics: the old ones of the statements read again go, the new ones come.
  // A zero-width one right at S is the statement before's: a missing piece at its end, reported
  // where its last token ends, which is where the first statement read again begins.
  const inOld = (d: Diagnostic) => {
    const { start, end } = d.span;
    if (start === S && end === S && S < oldStop) return false;
    return (start >= S && start < oldStop) || (start === oldStop && end === oldStop);
  };
  const syntax = replaceDiagnostics(prev.syntax, inOld, r.diagnostics, oldEnd, delta);
  if (!syntax) return null;
  const local = replaceDiagnostics(b.local, inOld, sub.diagnostics, oldEnd, delta);
  if (!local) return null;
  b.constantRefs = spliceByStart(b.constantRefs, S, oldStop, sub.constantRefs, oldEnd, delta);

  // Regions and symbols: splice, then renumber from x.
  const gone = new Set<Region>(removed);
  b.machine.regions = splice(regions, x, y - x, sub.machine.regions);
  b.declared += sub.declared - (y - x);
  // The new regions (ids [x, x+k)) and their two seams. None of the regions read again has an id.
  b.namesOutOfOrder += outOfOrder(b.machine.regions, b.declared, x, x + k);
  if (dk !== 0) b.withId = b.withId.map((i) => (i >= y ? i + dk : i));
  const rs = b.machine.regions;
  for (let i = x, to = dk !== 0 ? rs.length : x + k; i < to; i++) (rs[i] as { id: number }).id = i;
  // The parent's subregion list (or the top level): QEMU order, priority descending and the
  // later statement first among equals (R-ORD-1), as adding them one by one gives.
  if (parent) {
    const kids = parent.children.filter((c) => !gone.has(c));
    for (const c of sub.topLevel) {
      c.container = parent;
      kids.push(c);
    }
    kids.sort((p, q) => q.priority - p.priority || q.id - p.id);
    parent.children = kids;
  } else {
    const top = b.topLevel.filter((c) => !gone.has(c));
    top.push(...sub.topLevel);
    top.sort((p, q) => p.id - q.id);
    b.topLevel = top;
  }
  if (b.byName) {
    for (const g of removed) tableRemove(b.byName, g);
    // A table of some names only (Builder.byNameKeys) gains the others when they are referenced.
    for (const n of sub.machine.regions) if (!b.byNameKeys || b.byNameKeys.has(n.name)) tableInsert(b.byName, n);
  }
  if (b.topByName) {
    for (const g of removed) if (!g.container) tableRemove(b.topByName, g);
    for (const n of sub.topLevel) if (!parent) tableInsert(b.topByName, n);
  }
  // Aliases awaiting resolution, in creation order.
  const keptAliases = gone.size === 0 ? b.aliases : b.aliases.filter((p) => !gone.has(p.region));
  let at = 0;
  while (at < keptAliases.length && keptAliases[at].region.id < x) at++;
  b.aliases = splice(keptAliases, at, 0, sub.aliases);

  spliceOutline(O, fromIdx, sync, so, body, x, y, k, oldEnd, delta);

  // The document-wide phases, again.
  for (const p of b.aliases) if (!p.sizeGiven) p.region.size = 0n;
  b.regionRefs = [];
  b.diagnostics = [];
  b.resolveAll();
  b.breakCycles();
  b.finishAliases();
  b.local = local;
  b.global = b.diagnostics;
  prev.tree.reset(text);
  return state(text, prev.tree, b, syntax);
}

// ---- helpers -----------------------------------------------------------------------------

/** First index below `n` whose value is > v (values ascending). */
function upperBound(xs: Int32Array, n: number, v: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The ancestor-or-self of entry `i` whose parent is `body`. */
function childOf(O: Outline, i: number, body: number): number {
  while (O.parent[i] !== body) i = O.parent[i];
  return i;
}

/** Where scanning must start to read statement `first` again: the end of the token before it. */
function startOfPrevious(O: Outline, first: number, body: number, childrenFrom: number): number {
  if (first > childrenFrom) return O.end[childOf(O, first - 1, body)];
  return body >= 0 ? O.open[body] + 1 : 0;
}

/** `items` with `count` elements at `at` replaced by `add`: in place, or a new array for large changes. */
function splice<T>(items: T[], at: number, count: number, add: readonly T[]): T[] {
  if (count === add.length) {
    for (let i = 0; i < count; i++) items[at + i] = add[i];
    return items;
  }
  if (add.length <= 4096) {
    items.splice(at, count, ...add);
    return items;
  }
  return items.slice(0, at).concat(add, items.slice(at + count));
}

const moved = (v: number, oldEnd: number, delta: number) => (v >= oldEnd ? v + delta : v);

function shiftSpan(s: Span | undefined | null, oldEnd: number, delta: number): void {
  if (!s) return;
  const m = s as { start: number; end: number };
  if (m.start >= oldEnd) m.start += delta;
  if (m.end >= oldEnd) m.end += delta;
}

function shiftNode(n: { start: number; end: number }, oldEnd: number, delta: number): void {
  shiftSpan(n, oldEnd, delta);
}

function shiftRef(ref: RefNode | null, oldEnd: number, delta: number): void {
  if (!ref) return;
  shiftNode(ref as unknown as { start: number; end: number }, oldEnd, delta);
  for (const s of ref.segments) shiftNode(s as unknown as { start: number; end: number }, oldEnd, delta);
}

function shiftDiagnostic(d: Diagnostic, oldEnd: number, delta: number): void {
  shiftSpan(d.span, oldEnd, delta);
  for (const r of d.related ?? []) if (!r.file) shiftSpan(r.span, oldEnd, delta);
  for (const e of d.fix?.edits ?? []) shiftSpan(e.span, oldEnd, delta);
}

/**
 * `old` (sorted by start) without the diagnostics `inOld` selects, the rest shifted, with `add`
 * merged in; null when an added one starts where a kept one does (a whole parse would have
 * reported only one of them there).
 */
function replaceDiagnostics(
  old: readonly Diagnostic[], inOld: (d: Diagnostic) => boolean, add: readonly Diagnostic[], oldEnd: number, delta: number,
): Diagnostic[] | null {
  const kept = old.filter((d) => !inOld(d));
  for (const d of kept) shiftDiagnostic(d, oldEnd, delta);
  if (add.length === 0) return kept;
  const starts = new Set(kept.map((d) => d.span.start));
  for (const d of add) if (starts.has(d.span.start)) return null;
  const out = kept.concat(add);
  sortByStart(out);
  return out;
}

/** Constant references outside [from, to) (shifted), with `add` in their place. */
function spliceByStart<T extends { span: Span }>(old: readonly T[], from: number, to: number, add: readonly T[], oldEnd: number, delta: number): T[] {
  const out: T[] = [];
  let i = 0;
  while (i < old.length && old[i].span.start < from) out.push(old[i++]);
  for (const v of add) out.push(v);
  while (i < old.length && old[i].span.start < to) i++;
  for (; i < old.length; i++) {
    shiftSpan(old[i].span, oldEnd, delta);
    out.push(old[i]);
  }
  return out;
}

/** Moves every span the builder keeps (outside the replaced regions [x, y)) past the edit. */
function shiftModel(b: Builder, x: number, y: number, oldEnd: number, delta: number): void {
  if (delta === 0) return;
  const rs = b.machine.regions;
  for (let i = 0; i < rs.length; i++) {
    if (i >= x && i < y) continue;
    const r = rs[i];
    // The symbol's declSpan and nameSpan are read from the region.
    shiftRegionSpans(r, oldEnd, delta);
  }
  // Regions with an `id` are never among those read again.
  for (const h of b.regionHandles.values()) shiftSpan(h.span, oldEnd, delta);
  for (const s of b.idSpans.values()) shiftSpan(s, oldEnd, delta);
  for (const s of b.machine.spaces) shiftSpan(s.span, oldEnd, delta);
  for (const s of b.spaces) {
    shiftSpan(s.declSpan, oldEnd, delta);
    shiftSpan(s.nameSpan, oldEnd, delta);
  }
  for (const p of b.pendingSpaces) shiftRef(p.node.root, oldEnd, delta);
  for (const p of b.aliases) {
    if (p.region.id >= x && p.region.id < y) continue;
    shiftSpan(p.offsetSpan, oldEnd, delta);
    shiftSpan(p.sizeSpan, oldEnd, delta);
    shiftSpan(p.targetAttrSpan, oldEnd, delta);
    shiftRef(p.target, oldEnd, delta);
  }
  for (const c of b.constants) {
    shiftSpan(c.declSpan, oldEnd, delta);
    shiftSpan(c.nameSpan, oldEnd, delta);
  }
  for (const c of b.allConstDecls.values()) {
    shiftNode(c as unknown as { start: number; end: number }, oldEnd, delta);
    shiftNode(c.name as unknown as NameNode & { start: number; end: number }, oldEnd, delta);
  }
}

/** The outline with entries [from, to) replaced by the sub-builder's, positions and ids moved. */
function spliceOutline(
  O: Outline, from: number, to: number, so: Outline, body: number, x: number, y: number, k: number, oldEnd: number, delta: number,
): void {
  const n = so.length;
  const dn = n - (to - from);
  const dk = k - (y - x);
  for (let i = 0; i < O.length; i++) {
    if (i >= from && i < to) continue;
    if (delta !== 0) {
      O.start[i] = moved(O.start[i], oldEnd, delta);
      O.end[i] = moved(O.end[i], oldEnd, delta);
      if (O.open[i] >= 0) O.open[i] = moved(O.open[i], oldEnd, delta);
      if (O.close[i] >= 0) O.close[i] = moved(O.close[i], oldEnd, delta);
    }
    if (i >= to) {
      if (O.parent[i] >= to) O.parent[i] += dn;
      if (O.region[i] >= 0) O.region[i] += dk;
    }
  }
  for (let p = body; p >= 0; p = O.parent[p]) O.size[p] += dn;
  O.replace(from, to, so, body, x);
}

/** Adds `r` to a name table, keeping each shared name's list in creation (id) order. */
function tableInsert(t: NameTable, r: Region): void {
  const l = t.get(r.name);
  if (l === undefined) t.set(r.name, r);
  else if (Array.isArray(l)) {
    let i = l.length;
    while (i > 0 && l[i - 1].id > r.id) i--;
    l.splice(i, 0, r);
  } else t.set(r.name, l.id < r.id ? [l, r] : [r, l]);
}

function tableRemove(t: NameTable, r: Region): void {
  const l = t.get(r.name);
  if (l === r) t.delete(r.name);
  else if (Array.isArray(l)) {
    const i = l.indexOf(r);
    if (i >= 0) l.splice(i, 1);
    if (l.length === 1) t.set(r.name, l[0]);
  }
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

/** Whether an `include` keyword could overlap the edited text `[start, end)`. */
function touchesInclude(text: string, start: number, end: number): boolean {
  return text.slice(Math.max(0, start - 7), end + 7).includes('include');
}
