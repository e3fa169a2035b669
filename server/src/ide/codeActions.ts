// Quick fixes: the mechanical fixes diagnostics carry (`Diagnostic.fix`), offered for the
// diagnostics that touch the requested range.
import type { Span } from '../base/span.js';
import type { Analysis } from './analysis.js';

export interface IdeCodeAction {
  readonly title: string;
  /** The diagnostic it fixes (code and span), so the client can link them. */
  readonly code: string;
  readonly span: Span;
  readonly edits: readonly { span: Span; text: string }[];
}

export function quickFixes(a: Analysis, range: Span): IdeCodeAction[] {
  const out: IdeCodeAction[] = [];
  for (const d of a.diagnostics) {
    if (!d.fix || d.file || d.span.end < range.start || d.span.start > range.end) continue;
    out.push({ title: d.fix.title, code: d.code, span: d.span, edits: d.fix.edits });
  }
  return out;
}
