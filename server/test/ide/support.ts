// Test helpers for the ide layer: fixtures with a `<|>` cursor marker, and `#  ^^^ severity
// CODE: message` annotation lines under the code they annotate (the DSL's own comments).
import { expect } from 'vitest';
import { LineIndex } from '../../src/base/span.js';
import { type Analysis, analyzeDocument } from '../../src/ide/analysis.js';
import { documentDiagnostics, type DiagnosticOptions } from '../../src/ide/diagnostics.js';
import { hover } from '../../src/ide/hover.js';

export const CURSOR = '<|>';

/** Removes the cursor marker; returns the analysis of the rest and the cursor's offset. */
export function fixture(source: string): { a: Analysis; offset: number; text: string } {
  const offset = source.indexOf(CURSOR);
  if (offset < 0) throw new Error('fixture without a <|> cursor');
  const text = source.slice(0, offset) + source.slice(offset + CURSOR.length);
  return { a: analyzeDocument(text), offset, text };
}

/** The hover at the cursor contains every expected fragment (and none of `absent`). */
export function checkHover(source: string, expected: string[], absent: string[] = []): string {
  const { a, offset } = fixture(source);
  const h = hover(a, offset);
  expect(h, 'no hover at the cursor').not.toBeNull();
  for (const e of expected) expect(h!.markdown).toContain(e);
  for (const e of absent) expect(h!.markdown).not.toContain(e);
  return h!.markdown;
}

const annotation = /^\s*#(\s*)(\^+)\s+(error|warning|information|hint)\s+(MR\d{4}):\s*(.*)$/;

/**
 * The document's diagnostics are exactly the annotated ones: each `^^^` marks columns of the
 * nearest code line above (annotation lines themselves are comments, so the text analysed is
 * the text as written).
 */
export function checkDiagnostics(source: string, opts: DiagnosticOptions = {}): void {
  const lines = source.split('\n');
  const expected: string[] = [];
  let codeLine = -1;
  lines.forEach((line, i) => {
    const m = annotation.exec(line);
    if (!m) {
      codeLine = i;
      return;
    }
    const col = line.indexOf('^');
    expected.push(`${codeLine + 1}:${col + 1}-${col + m[2].length + 1} ${m[3]} ${m[4]}: ${m[5]}`);
  });
  const a = analyzeDocument(source);
  const idx = new LineIndex(source);
  const actual = documentDiagnostics(a, opts).map((d) => {
    const s = idx.position(d.span.start);
    const e = idx.position(d.span.end);
    const end = e.line === s.line ? e.character + 1 : s.character + 1;
    return `${s.line + 1}:${s.character + 1}-${end} ${d.severity} ${d.code}: ${d.message}`;
  });
  expect(actual).toEqual(expected);
}
