// Folding ranges: every `{ … }` body and every run of two or more full-line comments. The
// bodies come from the builder's statement outline when the analysis has one (no syntax tree:
// a 100k-region file would be parsed again after every edit), else from the tree.
import { OutlineKind } from '../model/build.js';
import type { StatementNode } from '../syntax/ast.js';
import { type Analysis, statementOutline } from './analysis.js';
import { outermost } from './outermost.js';
import type { IdeFold } from './types.js';

/**
 * With `limit` (an editor's `rangeLimit`), at most that many: the outermost first. A level of
 * nesting is kept whole or not at all, as VS Code does with a provider's surplus, so a long file
 * still folds from top to bottom, not just its first part.
 */
export function foldingRanges(a: Analysis, limit = Infinity): IdeFold[] {
  const out: IdeFold[] = [];
  const o = statementOutline(a);
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
  const text = a.text;
  let run: { start: number; end: number; lines: number } | null = null;
  for (let h = text.indexOf('#'); h >= 0; h = text.indexOf('#', h + 1)) {
    // A full-line comment: only blanks before it on its line.
    let s = h;
    while (s > 0 && (text.charCodeAt(s - 1) === 32 || text.charCodeAt(s - 1) === 9)) s--;
    if (s > 0 && text.charCodeAt(s - 1) !== 10 && text.charCodeAt(s - 1) !== 13) continue;
    let e = h;
    while (e < text.length && text.charCodeAt(e) !== 10 && text.charCodeAt(e) !== 13) e++;
    const adjacent = run && /^\r?\n$|^\r$/.test(text.slice(run.end, s));
    if (run && adjacent) {
      run.end = e;
      run.lines++;
    } else {
      if (run && run.lines > 1) out.push({ span: { start: run.start, end: run.end }, kind: 'comment' });
      run = { start: s, end: e, lines: 1 };
    }
    h = e;
  }
  if (run && run.lines > 1) out.push({ span: { start: run.start, end: run.end }, kind: 'comment' });
  out.sort((x, y) => x.span.start - y.span.start);
  return out.length > limit ? outermostFolds(out, limit) : out;
}

/** At most `limit` folds, in document order, the outermost nesting levels first (outermost.ts). */
function outermostFolds(folds: IdeFold[], limit: number): IdeFold[] {
  const level = new Int32Array(folds.length);
  const ends: number[] = [];
  for (let i = 0; i < folds.length; i++) {
    const f = folds[i].span;
    while (ends.length > 0 && ends[ends.length - 1] <= f.start) ends.pop();
    level[i] = ends.length;
    ends.push(f.end);
  }
  return outermost(level, limit).map((i) => folds[i]);
}
