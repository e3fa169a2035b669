// The only place where offsets meet LSP positions: ide results (UTF-16 offsets, plain data)
// become LSP ranges, diagnostics, symbols and edits here, through base/span's LineIndex.
import {
  type CompletionItem, CompletionItemKind, type Diagnostic, DiagnosticRelatedInformation,
  DiagnosticSeverity, DiagnosticTag, type DocumentHighlight, DocumentHighlightKind, type DocumentSymbol, type FoldingRange, FoldingRangeKind,
  type InlayHint, InlayHintKind, type Location, type Position, type Range, SymbolKind, type TextEdit,
  type WorkspaceSymbol, type SemanticTokens, type SelectionRange,
} from 'vscode-languageserver/node';
import { LineIndex, type Span } from '../base/span.js';
import { textEdit } from '../base/textEdit.js';
import type { IdeCompletion, IdeDiagnostic, IdeFold, IdeInlayHint, IdeSymbol } from '../ide/types.js';
import type { IdeWorkspaceSymbol } from '../ide/workspaceSymbols.js';
import type { IdeHighlight } from '../ide/navigation.js';
import { type IdeSemanticToken, tokenTypeIndex } from '../ide/semanticTokens.js';

/** Offset ↔ position conversion for one document version. */
export class Converter {
  private readonly lines: LineIndex;
  /** With `previous`, the converter of an earlier version, the line index is updated, not rebuilt. */
  constructor(readonly uri: string, private readonly text: string, previous?: Converter) {
    const edit = previous ? textEdit(previous.text, text) : null;
    this.lines = !previous ? new LineIndex(text)
      : edit ? LineIndex.edited(previous.lines, text, edit.start, edit.oldEnd, edit.newEnd) : previous.lines;
  }

  position(offset: number): Position {
    return this.lines.position(Math.max(0, Math.min(offset, this.text.length)));
  }

  offset(p: Position): number {
    // LSP: a character past the end of its line means the end of that line, never a place
    // on a later line; a line past the last one means the end of the text.
    const n = this.text.length;
    const line = Math.floor(p.line);
    if (line < 0) return 0;
    if (line >= this.lines.lineCount) return n;
    const start = this.lines.offset(line, 0);
    let end = line + 1 < this.lines.lineCount ? this.lines.offset(line + 1, 0) : n;
    if (end > start && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    const character = Math.floor(p.character);
    return character <= 0 ? start : Math.min(start + character, end);
  }

  range(s: Span): Range {
    return { start: this.position(s.start), end: this.position(s.end) };
  }

  location(s: Span): Location {
    return { uri: this.uri, range: this.range(s) };
  }

  diagnostic(d: IdeDiagnostic): Diagnostic {
    const out: Diagnostic = {
      range: this.range(d.span),
      severity: severities[d.severity],
      code: d.code,
      source: 'mrd',
      message: d.message,
    };
    if (d.docs) out.codeDescription = { href: d.docs };
    if (d.unnecessary) out.tags = [DiagnosticTag.Unnecessary];
    if (d.related.length > 0) {
      out.relatedInformation = d.related.map((r) =>
        DiagnosticRelatedInformation.create(
          r.uri ? { uri: r.uri, range: r.range ?? zeroRange } : this.location(r.span), r.message));
    }
    return out;
  }

  symbol(s: IdeSymbol): DocumentSymbol {
    return {
      name: s.name || '(unnamed)',
      detail: s.detail,
      kind: symbolKinds[s.kind],
      range: this.range(s.span),
      selectionRange: this.range(s.selection),
      children: s.children.map((c) => this.symbol(c)),
    };
  }

  /** LSP's relative encoding: per token, line delta, start delta, length, type, modifiers. */
  semanticTokens(tokens: readonly IdeSemanticToken[]): SemanticTokens {
    const data: number[] = [];
    let line = 0;
    let char = 0;
    for (const t of tokens) {
      const p = this.position(t.span.start);
      const e = this.position(t.span.end);
      if (e.line !== p.line) continue; // tokens never span lines; be safe anyway
      data.push(p.line - line, p.line === line ? p.character - char : p.character, e.character - p.character, tokenTypeIndex[t.type], 0);
      line = p.line;
      char = p.character;
    }
    return { data };
  }

  /** A declaration is marked as written (the editor shows it apart), a use as read. */
  highlight(h: IdeHighlight): DocumentHighlight {
    return { range: this.range(h.span), kind: h.declaration ? DocumentHighlightKind.Write : DocumentHighlightKind.Read };
  }

  /** Spans innermost first, each inside the next: the innermost range, its parents linked. */
  selectionRange(spans: readonly Span[]): SelectionRange {
    let out: SelectionRange | undefined;
    for (let i = spans.length - 1; i >= 0; i--) out = { range: this.range(spans[i]), parent: out };
    return out ?? { range: this.range({ start: 0, end: 0 }) };
  }

  workspaceSymbol(s: IdeWorkspaceSymbol): WorkspaceSymbol {
    return { name: s.name || '(unnamed)', kind: symbolKinds[s.kind], containerName: s.container, location: this.location(s.span) };
  }

  fold(f: IdeFold): FoldingRange | null {
    const start = this.position(f.span.start).line;
    // The closing brace's line stays visible, as in VS Code's own folding.
    const end = this.position(f.span.end).line - (f.kind === 'block' ? 1 : 0);
    if (end <= start) return null;
    return { startLine: start, endLine: end, kind: f.kind === 'comment' ? FoldingRangeKind.Comment : undefined };
  }

  edit(span: Span, newText: string): TextEdit {
    return { range: this.range(span), newText };
  }

  completion(c: IdeCompletion, replace: Span): CompletionItem {
    return {
      label: c.label,
      kind: completionKinds[c.kind],
      detail: c.detail,
      documentation: c.documentation ? { kind: 'markdown', value: c.documentation } : undefined,
      sortText: c.sortText,
      textEdit: { range: this.range(replace), newText: c.insertText ?? c.label },
    };
  }

  inlayHint(h: IdeInlayHint): InlayHint {
    return {
      position: this.position(h.offset),
      label: h.label,
      kind: InlayHintKind.Type,
      paddingLeft: true,
      tooltip: h.tooltip,
    };
  }
}

const zeroRange: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

const severities = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
} as const;

const symbolKinds: Record<IdeSymbol['kind'], SymbolKind> = {
  region: SymbolKind.Struct,
  container: SymbolKind.Namespace,
  alias: SymbolKind.Interface,
  space: SymbolKind.Module,
  const: SymbolKind.Constant,
  pci: SymbolKind.Object,
  bar: SymbolKind.Field,
  sequence: SymbolKind.Event,
  label: SymbolKind.Key,
};

const completionKinds: Record<IdeCompletion['kind'], CompletionItemKind> = {
  keyword: CompletionItemKind.Keyword,
  region: CompletionItemKind.Reference,
  const: CompletionItemKind.Constant,
  unit: CompletionItemKind.Unit,
  space: CompletionItemKind.Module,
  device: CompletionItemKind.Class,
  value: CompletionItemKind.Value,
};
