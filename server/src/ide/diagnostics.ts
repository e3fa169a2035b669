// Diagnostics as the editor shows them: the analysis's diagnostics with user severity
// overrides applied ('off' drops them), sorted by position, each linked to its explanation.
import type { Severity } from '../base/diagnostic.js';
import type { Analysis } from './analysis.js';
import type { IdeDiagnostic } from './types.js';

export interface DiagnosticOptions {
  /** Per-code overrides (`MR3001` → `warning` / `off`). */
  readonly severity?: Readonly<Record<string, Severity | 'off'>>;
  /** URL of docs/language.md; each code links to `#<code in lower case>`. */
  readonly docsUrl?: string;
}

export function documentDiagnostics(a: Analysis, opts: DiagnosticOptions = {}): IdeDiagnostic[] {
  const out: IdeDiagnostic[] = [];
  for (const d of a.diagnostics) {
    // Diagnostics of another document (an include) are reported where it is included.
    if (d.file) continue;
    const override = opts.severity?.[d.code];
    if (override === 'off') continue;
    out.push({
      code: d.code,
      severity: override ?? d.severity,
      message: d.message,
      span: d.span,
      related: (d.related ?? []).filter((r) => !r.file).map((r) => ({ span: r.span, message: r.message })),
      docs: opts.docsUrl ? `${opts.docsUrl}#${d.code.toLowerCase()}` : undefined,
    });
  }
  return out.sort((x, y) => x.span.start - y.span.start || x.span.end - y.span.end);
}
