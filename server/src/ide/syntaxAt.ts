// The syntax under the cursor, for features that need the nodes at one offset (selection
// ranges, hover on numbers) without parsing a large document into a tree: documents with a
// statement outline (model/outline.ts: no PCI statements) parse the header of the innermost
// statement that holds the offset, alone; others walk the document's tree.
import { type Outline, OutlineKind } from '../model/outline.js';
import { parse } from '../syntax/parser.js';
import { type Analysis, statementOutline } from './analysis.js';

export interface SyntaxNode {
  readonly start: number;
  readonly end: number;
}

function isNode(v: unknown): v is SyntaxNode {
  return typeof v === 'object' && v !== null && typeof (v as SyntaxNode).start === 'number' && typeof (v as SyntaxNode).end === 'number';
}

/**
 * The child of `node` (a field, or an element of a list field) that holds `offset`: one whose
 * span contains it strictly first, else one that ends there; zero-width (missing) pieces never.
 */
function childAt(node: object, offset: number): SyntaxNode | null {
  let touching: SyntaxNode | null = null;
  for (const v of Object.values(node)) {
    const list: readonly unknown[] = Array.isArray(v) ? v : [v];
    for (const c of list) {
      if (!isNode(c) || c.end <= c.start || c.start > offset || c.end < offset) continue;
      if (offset < c.end) return c;
      touching ??= c;
    }
  }
  return touching;
}

/** The nodes from `root` down to the innermost one at `offset`, outermost first. */
export function nodePath(root: SyntaxNode, offset: number): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let node: SyntaxNode | null = root; node; node = childAt(node, offset)) out.push(node);
  return out;
}

/**
 * The statement outline of `a` when it can stand for the tree (no PCI statements: their bodies
 * are of their own kinds).
 */
export function outlineOf(a: Analysis): Outline | undefined {
  return a.pci ? undefined : statementOutline(a);
}

/** The entry of the innermost statement that holds `offset` (touching its end counts), or -1. */
export function innermostStatement(o: Outline, offset: number): number {
  // The last statement starting at or before the offset, then up to one that contains it.
  let lo = 0;
  let hi = o.length - 1;
  let e = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (o.start[mid] <= offset) {
      e = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  while (e >= 0 && o.end[e] < offset) e = o.parent[e];
  return e;
}

/** Statement `x`'s header (up to its body's brace), parsed alone: its file node. */
export function parseHeader(a: Analysis, o: Outline, x: number): SyntaxNode {
  const headerEnd = o.open[x] >= 0 ? o.open[x] : o.end[x];
  return parse(a.text.slice(o.start[x], headerEnd)).file;
}

/**
 * Statements parsed alone for `syntaxAt` are at most this long: a PCI host's statement holds its
 * whole topology, and a hover must not parse a large one.
 */
const MAX_SLICE = 64 * 1024;
/** The last statement parsed for `syntaxAt`, per analysis (hovers move within one statement). */
const lastSlice = new WeakMap<Analysis, { start: number; end: number; file: SyntaxNode }>();

/**
 * The syntax nodes at `offset`, outermost first, and what to add to their offsets to place them
 * in the document. From the statement outline (every document analysed whole has one): the nodes
 * of the innermost statement that holds the offset, its header only for a region with a body,
 * parsed alone, from that statement down; none when the offset is in a body between statements,
 * in skipped tokens, or in a statement longer than MAX_SLICE (a PCI host's). Without an outline:
 * from the document's tree, from the file down.
 */
export function syntaxAt(a: Analysis, offset: number): { path: SyntaxNode[]; shift: number } {
  const at = Math.max(0, Math.min(offset, a.text.length));
  const o = statementOutline(a);
  if (!o) return { path: nodePath(a.file, at), shift: 0 };
  const x = innermostStatement(o, at);
  if (x < 0 || o.kind[x] === OutlineKind.Error || (o.open[x] >= 0 && at >= o.open[x])) return { path: [], shift: 0 };
  const start = o.start[x];
  const end = o.open[x] >= 0 ? o.open[x] : o.end[x];
  if (end - start > MAX_SLICE) return { path: [], shift: 0 };
  const last = lastSlice.get(a);
  let file = last && last.start === start && last.end === end ? last.file : undefined;
  if (!file) {
    file = parse(a.text.slice(start, end)).file;
    lastSlice.set(a, { start, end, file });
  }
  return { path: nodePath(file, at - start).slice(1), shift: start };
}
