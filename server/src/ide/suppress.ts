// In-file suppression: `# mrd-ignore MR4001 MR2010` (or a bare `# mrd-ignore` for every code)
// drops diagnostics starting on its own line, or on the next line when the comment stands alone.
// Applied once where a document's diagnostics are assembled, so the editor and `mrd check` agree.
import type { Diagnostic } from '../base/diagnostic.js';

const MARKER = 'mrd-ignore';
const directive = /^#\s*mrd-ignore\b([^#]*)/;

/** Codes suppressed per 0-based line: a set of codes, or 'all'. */
export type Suppressions = ReadonlyMap<number, ReadonlySet<string> | 'all'>;

/** The comment's start on one line, skipping `#` inside double-quoted strings; -1 if none. */
function commentStart(line: string): number {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 35 /* # */) return i;
  }
  return -1;
}

export function suppressions(text: string): Suppressions {
  const out = new Map<number, Set<string> | 'all'>();
  if (!text.includes(MARKER)) return out;
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((line, i) => {
    if (!line.includes(MARKER)) return;
    const at = commentStart(line);
    if (at < 0) return;
    const m = directive.exec(line.slice(at));
    if (!m) return;
    // A comment alone on its line covers the next line; a trailing one covers its own.
    const target = line.slice(0, at).trim() === '' ? i + 1 : i;
    const codes = m[1].split(/[\s,]+/).filter((w) => w !== '').map((w) => w.toUpperCase());
    const prev = out.get(target);
    if (codes.length === 0 || prev === 'all') out.set(target, 'all');
    else out.set(target, new Set([...(prev ?? []), ...codes]));
  });
  return out;
}

/** The diagnostics of this document minus the suppressed ones (an include's keep their own rules). */
export function applySuppressions(text: string, diagnostics: readonly Diagnostic[]): readonly Diagnostic[] {
  // Nothing to drop: the text (megabytes, after every edit) need not be searched for directives.
  if (diagnostics.length === 0) return diagnostics;
  const sup = suppressions(text);
  if (sup.size === 0) return diagnostics;
  // Line starts, for the line of each diagnostic's start offset.
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10) continue;
    if (c === 10 || c === 13) starts.push(i + 1);
  }
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return diagnostics.filter((d) => {
    if (d.file) return true;
    const s = sup.get(lineOf(d.span.start));
    return !(s === 'all' || s?.has(d.code));
  });
}
