// Document and selection formatting: indentation of two spaces per open brace, runs of blanks
// between tokens collapsed to one space, trailing blanks removed. Comments, blank lines, line
// ends and the adjacency of tokens are kept, so the token stream (and the meaning) never
// changes. A document with syntax errors is left alone: its braces may not say what the user
// meant.
import type { Diagnostic } from '../base/diagnostic.js';
import type { Span } from '../base/span.js';
import { parse } from '../syntax/parser.js';
import { scan, Tok } from '../syntax/scanner.js';

export interface IdeTextEdit {
  readonly span: Span;
  readonly text: string;
}

const INDENT = '  ';

/** Edits (one per changed line) that format `text`; none if it has syntax errors. */
export function formatDocument(text: string): IdeTextEdit[] {
  if (parse(text).diagnostics.some((d) => d.severity === 'error')) return [];
  const diags: Diagnostic[] = [];
  const t = scan(text, diags);
  const edits: IdeTextEdit[] = [];
  let depth = 0;
  let k = 0; // next token
  // A byte-order mark stays where it is, outside line 0's content.
  let lineStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (lineStart <= text.length) {
    let lineEnd = lineStart;
    while (lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
    // This line's tokens; strings end at their line, so no token crosses a line end.
    const first = k;
    while (k < t.count && t.kind[k] !== Tok.EOF && t.start[k] < lineEnd) k++;
    let out = '';
    if (k > first) {
      const lead = t.kind[first] === Tok.RBrace ? Math.max(0, depth - 1) : depth;
      out = INDENT.repeat(lead);
      for (let i = first; i < k; i++) {
        if (i > first) out += t.start[i] > t.end[i - 1] ? ' ' : '';
        out += text.slice(t.start[i], t.end[i]);
        if (t.kind[i] === Tok.LBrace) depth++;
        else if (t.kind[i] === Tok.RBrace) depth = Math.max(0, depth - 1);
      }
      // A trailing comment keeps its distance (aligned comments stay aligned).
      const rest = text.slice(t.end[k - 1], lineEnd);
      const hash = rest.indexOf('#');
      if (hash >= 0) out += rest.slice(0, hash) + rest.slice(hash).trimEnd();
    } else {
      const body = text.slice(lineStart, lineEnd).trim();
      out = body === '' ? '' : INDENT.repeat(depth) + body;
    }
    if (out !== text.slice(lineStart, lineEnd)) edits.push({ span: { start: lineStart, end: lineEnd }, text: out });
    if (lineEnd >= text.length) break;
    lineStart = lineEnd + (text[lineEnd] === '\r' && text[lineEnd + 1] === '\n' ? 2 : 1);
  }
  return edits;
}

/**
 * Format selection: the edits of `formatDocument` on the lines `range` touches. Each line is
 * formatted as in the whole document (its indentation counts the braces before it), so
 * formatting a file piece by piece ends where formatting it at once does. A range that ends
 * at the start of a line leaves that line alone; an empty one formats its line.
 */
export function formatRange(text: string, range: Span): IdeTextEdit[] {
  return formatDocument(text).filter((e) =>
    e.span.end >= range.start && (e.span.start < range.end || (range.end === range.start && e.span.start <= range.start)));
}

/** `text` with non-overlapping edits applied. */
export function applyEdits(text: string, edits: readonly IdeTextEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of [...edits].sort((x, y) => x.span.start - y.span.start)) {
    out += text.slice(at, e.span.start) + e.text;
    at = e.span.end;
  }
  return out + text.slice(at);
}
