// Plain result types of the ide facade: offsets (UTF-16) and strings only, no LSP types, so
// the same answers serve the language server, the CLI and the tests.
import type { Severity } from '../base/diagnostic.js';
import type { Span } from '../base/span.js';

export interface IdeRelated {
  readonly span: Span;
  readonly message: string;
  /** Another document; with `range` already in line/character form when known. */
  readonly uri?: string;
  /** A file the document includes (a path; `range` is in that file). */
  readonly file?: string;
  readonly range?: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface IdeDiagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly related: readonly IdeRelated[];
  /** Link to the code's explanation in docs/language.md. */
  readonly docs?: string;
  /** Render faded (dead declarations). */
  readonly unnecessary?: boolean;
}

export interface IdeHover {
  /** The word the hover is about. */
  readonly span: Span;
  readonly markdown: string;
}

export type IdeSymbolKind = 'region' | 'container' | 'alias' | 'space' | 'const' | 'pci' | 'bar' | 'sequence' | 'label';

export interface IdeSymbol {
  readonly name: string;
  readonly detail?: string;
  readonly kind: IdeSymbolKind;
  /** The whole declaration. */
  readonly span: Span;
  /** The name inside it. */
  readonly selection: Span;
  readonly children: readonly IdeSymbol[];
}

export interface IdeFold {
  readonly span: Span;
  readonly kind: 'block' | 'comment';
}

export type IdeCompletionKind = 'keyword' | 'region' | 'const' | 'unit' | 'space' | 'device' | 'value';

export interface IdeCompletion {
  readonly label: string;
  readonly kind: IdeCompletionKind;
  readonly detail?: string;
  readonly documentation?: string;
  readonly insertText?: string;
  readonly sortText?: string;
}

export interface IdeCompletionList {
  /** The text the items replace (the partial word before the cursor). */
  readonly replace: Span;
  readonly items: readonly IdeCompletion[];
}

export interface IdeInlayHint {
  readonly offset: number;
  readonly label: string;
  readonly tooltip?: string;
}

/** A rename: the edits, or the reason it cannot be done. */
export type IdeRename =
  | { readonly ok: true; readonly edits: readonly { span: Span; text: string }[] }
  | { readonly ok: false; readonly reason: string };
