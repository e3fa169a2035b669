// Diagnostics as plain data: a catalogue code, a severity, a message with the numbers
// in it, the span it points at and related locations. Never thrown; always returned.
import type { Span } from './span.js';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedInfo {
  readonly span: Span;
  readonly message: string;
  /** Another document (an include); undefined = the same document. */
  readonly file?: string;
}

export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly related?: readonly RelatedInfo[];
  /** Another document (an include); undefined = the document being analysed. */
  readonly file?: string;
  /** Mechanical fix, if any: replace `span` by `text`. */
  readonly fix?: { readonly title: string; readonly edits: readonly { span: Span; text: string }[] };
}
