// The language server updates its line index after an edit instead of re-reading the text
// (LineIndex.edited, Converter with a previous version): the result must be the index of the
// new text, for LF, CRLF and CR line ends and edits that split or join them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../src/base/span.js';
import { textEdit } from '../../src/base/textEdit.js';
import { Converter } from '../../src/lsp/convert.js';

const piece = fc.constantFrom('a', 'bc', ' ', '\n', '\r', '\r\n', '\n\r', 'x\n', '𝐀', '');
const text = fc.array(piece, { maxLength: 30 }).map((xs) => xs.join(''));

function starts(ix: LineIndex, len: number): number[] {
  const out: number[] = [];
  for (let l = 0; l < ix.lineCount; l++) out.push(ix.offset(l, 0));
  for (let o = 0; o <= len; o++) out.push(ix.position(o).line, ix.position(o).character);
  return out;
}

/** Line starts the plain way: after each LF, CR LF or lone CR. */
function referenceStarts(t: string): number[] {
  const list = [0];
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 13) {
      if (t.charCodeAt(i + 1) === 10) i++;
      list.push(i + 1);
    } else if (c === 10) list.push(i + 1);
  }
  return list;
}

describe('LineIndex', () => {
  it('starts a line after each LF, CR LF and lone CR', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 200 }).map((xs) => xs.join('')), (t) => {
        const ix = new LineIndex(t);
        const got: number[] = [];
        for (let l = 0; l < ix.lineCount; l++) got.push(ix.offset(l, 0));
        expect(got).toEqual(referenceStarts(t));
      }),
      { numRuns: 500 },
    );
  });
});

describe('LineIndex.edited', () => {
  it('equals the index of the edited text', () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), text, (old, i, j, ins) => {
        const a = Math.min(i, j) % (old.length + 1);
        const b = Math.min(old.length, a + (Math.max(i, j) % 4));
        const next = old.slice(0, a) + ins + old.slice(b);
        const e = textEdit(old, next);
        const got = e ? LineIndex.edited(new LineIndex(old), next, e.start, e.oldEnd, e.newEnd) : new LineIndex(old);
        expect(starts(got, next.length)).toEqual(starts(new LineIndex(next), next.length));
      }),
      { numRuns: 3000 },
    );
  });

  it('a converter made from the previous version converts like a fresh one', () => {
    fc.assert(
      fc.property(text, text, (old, next) => {
        const fresh = new Converter('file:///a', next);
        const derived = new Converter('file:///a', next, new Converter('file:///a', old));
        for (let o = 0; o <= next.length; o++) expect(derived.position(o)).toEqual(fresh.position(o));
      }),
      { numRuns: 500 },
    );
  });
});
