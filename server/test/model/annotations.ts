// Test helper: fixtures annotated with expected diagnostics in the DSL's comment syntax.
//   alias a -> nowhere
//   #          ^^^^^^^ error MR2010: no region named
// Carets mark columns of the nearest code line above (a single `^` also matches a zero-width
// span there); the text after the code, if any, must occur in the message.
import { LineIndex } from '../../src/base/span.js';
import type { Diagnostic } from '../../src/base/diagnostic.js';

const ANNOTATION = /^(\s*#\s*)(\^+)\s+(error|warning|information|hint)\s+(MR\d{4})(?::\s*(.*))?$/;

export interface Expectation {
  start: number;
  length: number;
  severity: string;
  code: string;
  message?: string;
}

export function readAnnotations(text: string): Expectation[] {
  const out: Expectation[] = [];
  const lines = text.split('\n');
  let offset = 0;
  let codeLineStart = 0;
  for (const line of lines) {
    const m = ANNOTATION.exec(line);
    if (m) {
      const col = m[1].length;
      out.push({
        start: codeLineStart + col,
        length: m[2].length,
        severity: m[3],
        code: m[4],
        message: m[5]?.trim() || undefined,
      });
    } else codeLineStart = offset;
    offset += line.length + 1;
  }
  return out;
}

/** Compare as readable lines so a failing test shows a useful diff. */
export function compareDiagnostics(text: string, actual: readonly Diagnostic[]): { expected: string[]; actual: string[] } {
  const li = new LineIndex(text);
  const where = (o: number) => {
    const p = li.position(o);
    return `${p.line + 1}:${p.character + 1}`;
  };
  const exp = readAnnotations(text);
  const expected: string[] = [];
  const got: string[] = [];
  for (const e of exp) expected.push(`${where(e.start)}+${e.length} ${e.severity} ${e.code}${e.message ? ': …' + e.message + '…' : ''}`);
  for (const d of actual) {
    const len = d.span.end - d.span.start;
    const e = exp.find((x) => x.code === d.code && x.start === d.span.start && (x.length === len || (len === 0 && x.length === 1)));
    const shownLen = e ? e.length : len;
    const msg = e?.message !== undefined && d.message.includes(e.message) ? ': …' + e.message + '…' : e?.message !== undefined ? ': ' + d.message : '';
    got.push(`${where(d.span.start)}+${shownLen} ${d.severity} ${d.code}${msg}`);
  }
  return { expected: expected.sort(), actual: got.sort() };
}
