// Diagnostics as the editor shows them: the analysis's diagnostics with user severity
// overrides applied ('off' drops them), sorted by position, each linked to its explanation.
import type { Diagnostic, Severity } from '../base/diagnostic.js';
import type { Analysis } from './analysis.js';
import type { IdeDiagnostic } from './types.js';

export interface DiagnosticOptions {
  /** Per-code overrides (`MR3001` → `warning` / `off`). */
  readonly severity?: Readonly<Record<string, Severity | 'off'>>;
  /** The link to a code's explanation (docs/language.md), if there is one. */
  readonly docs?: (code: string) => string | undefined;
}

/** `more`: diagnostics of the document computed apart from its analysis (ide/visibility.ts). */
export function documentDiagnostics(a: Analysis, opts: DiagnosticOptions = {}, more: readonly Diagnostic[] = []): IdeDiagnostic[] {
  const out: IdeDiagnostic[] = [];
  for (const d of more.length === 0 ? a.diagnostics : a.diagnostics.concat(more)) {
    // Diagnostics of another document (an include) are reported where it is included.
    if (d.file) continue;
    const override = opts.severity?.[d.code];
    if (override === 'off') continue;
    out.push({
      code: d.code,
      severity: override ?? d.severity,
      message: d.message,
      span: d.span,
      related: (d.related ?? []).flatMap((r) => {
        if (!r.file) return [{ span: r.span, message: r.message }];
        // A location in an included file: its line and character there.
        const i = a.includes ? a.includes.files.findIndex((f) => f.path === r.file) : -1;
        if (i < 0) return [];
        const range = { start: a.includes!.position(i, r.span.start), end: a.includes!.position(i, r.span.end) };
        return [{ span: r.span, message: r.message, file: r.file, range }];
      }),
      docs: opts.docs?.(d.code),
    });
  }
  return out.sort((x, y) => x.span.start - y.span.start || x.span.end - y.span.end);
}

/**
 * Links from codes to their sections in a markdown reference whose headings start with the
 * code (`#### MR2010 — error`): `<url>#L<line>`, the fragment editors open at that line.
 */
export function docsLinks(markdown: string, url: string): (code: string) => string | undefined {
  const lines = new Map<string, number>();
  markdown.split(/\r?\n/).forEach((line, i) => {
    const m = /^#{1,6}\s+(MR\d{4})\b/.exec(line);
    if (m && !lines.has(m[1])) lines.set(m[1], i + 1);
  });
  return (code) => {
    const line = lines.get(code);
    return line === undefined ? undefined : `${url}#L${line}`;
  };
}
