// Selection ranges ("expand selection"): from the cursor outwards, each range containing the
// one before it: the word, the expression or attribute it is part of, the statement's header
// pieces, the statement, the inside of the enclosing body, the body with its braces, the
// enclosing statement, and so on up to the whole document.
//
// Documents with a statement outline (model/outline.ts: no PCI statements) take the statements
// and bodies from it and parse only the header of the innermost statement, so that a 100k-region
// file is not parsed into a syntax tree for one request; others walk the tree. Both give the
// same ranges (tested). The nodes under the cursor come from syntaxAt.ts.
import type { Span } from '../base/span.js';
import { OutlineKind } from '../model/outline.js';
import type { Analysis } from './analysis.js';
import { type SyntaxNode, innermostStatement, nodePath, outlineOf, parseHeader } from './syntaxAt.js';

/** Is `node` a body (a `{ … }` block)? Blocks have the start of their closing brace. */
function closeOf(node: SyntaxNode): number | undefined {
  const c = (node as { closeStart?: unknown }).closeStart;
  return typeof c === 'number' ? c : undefined;
}

/**
 * The spans of `nodePath` moved by `shift`, outermost first. A body adds its inside (between
 * the braces) after itself.
 */
function nodeChain(root: SyntaxNode, offset: number, shift: number): Span[] {
  const out: Span[] = [];
  for (const node of nodePath(root, offset)) {
    out.push({ start: node.start + shift, end: node.end + shift });
    const close = closeOf(node);
    if (close !== undefined) out.push({ start: node.start + 1 + shift, end: (close >= 0 ? close : node.end) + shift });
  }
  return out;
}

/** The outermost-first spans of the statements and bodies around `offset`, from the outline. */
function outlineChain(a: Analysis, offset: number): Span[] | null {
  const o = outlineOf(a);
  if (!o) return null;
  const chain: number[] = [];
  for (let x = innermostStatement(o, offset); x >= 0; x = o.parent[x]) chain.push(x);
  chain.reverse();
  const out: Span[] = [{ start: 0, end: a.text.length }];
  for (let k = 0; k < chain.length; k++) {
    const x = chain[k];
    out.push({ start: o.start[x], end: o.end[x] });
    const open = o.open[x];
    if (k + 1 < chain.length || (open >= 0 && offset >= open)) {
      // Inside the body (the next statement is in it, or the offset is between the braces).
      const close = o.close[x];
      out.push({ start: open, end: close >= 0 ? close + 1 : o.end[x] });
      out.push({ start: open + 1, end: close >= 0 ? close : o.end[x] });
      continue;
    }
    // The innermost statement, offset in its header: the header's own pieces, parsed alone
    // (skipped tokens are one piece: alone, they might read as something else).
    if (o.kind[x] === OutlineKind.Error) continue;
    // The first two are the slice's file and statement: the statement is `x` itself.
    out.push(...nodeChain(parseHeader(a, o, x), offset - o.start[x], o.start[x]).slice(2));
  }
  return out;
}

/**
 * The selection ranges at `offset`, innermost first: each strictly contains the one before,
 * the last is the whole document. `from`: 'tree' reads them from the syntax tree even when
 * the statement outline could give them (the two agree; for tests).
 */
export function selectionRanges(a: Analysis, offset: number, from: 'outline' | 'tree' = 'outline'): Span[] {
  const at = Math.max(0, Math.min(offset, a.text.length));
  const outer = (from === 'outline' ? outlineChain(a, at) : null) ?? nodeChain(a.file, at, 0);
  const whole: Span = { start: 0, end: a.text.length };
  const out: Span[] = [];
  for (let i = outer.length - 1; i >= -1; i--) {
    const s = i >= 0 ? outer[i] : whole;
    const prev = out[out.length - 1];
    // Zero-width pieces are no selection; the document always is, even an empty one.
    if (s.start > at || s.end < at || (s.end <= s.start && i >= 0)) continue;
    if (prev && (s.start > prev.start || s.end < prev.end || (s.start === prev.start && s.end === prev.end))) continue;
    out.push(s);
  }
  return out;
}
