// Folding ranges: every `{ … }` body and every run of two or more full-line comments. The
// bodies come from the builder's statement outline when the analysis has one (no syntax tree:
// a 100k-region file would be parsed again after every edit), else from the tree.
import { OutlineKind } from '../model/build.js';
import type { StatementNode } from '../syntax/ast.js';
import { type Analysis, hasIncludeStatements, statementOutline } from './analysis.js';
import type { IdeFold } from './types.js';

export function foldingRanges(a: Analysis): IdeFold[] {
  const out: IdeFold[] = [];
  const o = hasIncludeStatements(a) ? undefined : statementOutline(a);
  if (o) {
    // The fold ends at the closing brace, or at the statement's end when the brace is missing.
    for (let x = 0; x < o.length; x++) {
      if (o.kind[x] !== OutlineKind.Region || o.open[x] < 0) continue;
      out.push({ span: { start: o.open[x], end: o.close[x] >= 0 ? o.close[x] + 1 : o.end[x] }, kind: 'block' });
    }
  } else {
    const walk = (stmts: readonly StatementNode[]): void => {
      for (const st of stmts) {
        if (st.kind === 'Region' && st.body) {
          out.push({ span: { start: st.body.open.start, end: (st.body.close ?? st.body.span).end }, kind: 'block' });
          walk(st.body.statements);
        }
      }
    };
    walk(a.file.statements);
  }
  // Comment runs, found in the text: the tree does not keep comments.
  const lineRe = /^[ \t]*#.*$/gm;
  let run: { start: number; end: number; lines: number } | null = null;
  for (let m = lineRe.exec(a.text); m; m = lineRe.exec(a.text)) {
    const adjacent = run && /^\r?\n$|^\r$/.test(a.text.slice(run.end, m.index));
    if (run && adjacent) {
      run.end = m.index + m[0].length;
      run.lines++;
    } else {
      if (run && run.lines > 1) out.push({ span: { start: run.start, end: run.end }, kind: 'comment' });
      run = { start: m.index, end: m.index + m[0].length, lines: 1 };
    }
  }
  if (run && run.lines > 1) out.push({ span: { start: run.start, end: run.end }, kind: 'comment' });
  return out.sort((x, y) => x.span.start - y.span.start);
}
