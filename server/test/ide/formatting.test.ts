import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { applyEdits, formatDocument, formatRange } from '../../src/ide/formatting.js';
import { flatViewText, mtreeText } from '../../src/ide/views.js';

const format = (text: string): string => applyEdits(text, formatDocument(text));
const samples = path.join(__dirname, '../../../samples');

describe('document formatting', () => {
  it('indents two spaces per level, collapses blanks between tokens, keeps comments and blank lines', () => {
    expect(format(`# header   comment
address-space   memory root sys
container sys size 4G {
      ram  lo   size 0x1000     # aligned
\t\tcontainer  inner size 64K at 0x10000{
            # inside
rom "two  spaces" size 4K
    }   \r\n

   }
const X = (1+2)  *  4K
`)).toBe(`# header   comment
address-space memory root sys
container sys size 4G {
  ram lo size 0x1000     # aligned
  container inner size 64K at 0x10000{
    # inside
    rom "two  spaces" size 4K
  }\r\n

}
const X = (1+2) * 4K
`);
  });

  it('leaves a document with syntax errors alone', () => {
    expect(formatDocument('container a size 4K {\n   ram b size\n')).toEqual([]);
    expect(formatDocument('ram   ok size 4K\n')).toHaveLength(1);
  });

  for (const name of fs.readdirSync(samples).filter((f) => f.endsWith('.mrd'))) {
    it(`is idempotent and keeps the flat views and tree of ${name}`, () => {
      const text = fs.readFileSync(path.join(samples, name), 'utf8');
      const once = format(text);
      expect(format(once)).toBe(once);
      const [a, b] = [analyzeDocument(text), analyzeDocument(once)];
      expect(flatViewText(b)).toBe(flatViewText(a));
      expect(mtreeText(b, true)).toBe(mtreeText(a, true));
      expect(b.diagnostics.map((d) => d.code)).toEqual(a.diagnostics.map((d) => d.code));
      // Only blanks change.
      expect(once.replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
    });

    it(`restores ${name} from scrambled blanks without changing what it means`, () => {
      const text = fs.readFileSync(path.join(samples, name), 'utf8');
      let seed = 7;
      const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (let i = 0; i < 5; i++) {
        // Wider runs of blanks and stray indentation; adjacency of tokens is never touched.
        const scrambled = text.replace(/[ \t]+/g, () => ' '.repeat(1 + Math.floor(rnd() * 3)))
          .replace(/\n/g, () => (rnd() < 0.3 ? '\n\t ' : '\n'));
        const out = format(scrambled);
        expect(format(out)).toBe(out);
        const [a, b] = [analyzeDocument(scrambled), analyzeDocument(out)];
        expect(flatViewText(b)).toBe(flatViewText(a));
        expect(mtreeText(b, true)).toBe(mtreeText(a, true));
      }
    });
  }
});

describe('selection formatting', () => {
  const text = 'container  c size 4K {\n      ram  r size 1K\n  io   x size 1K at 1K\n}\nram   z size 4K\n';
  const lineStart = (n: number) => text.split('\n').slice(0, n).join('\n').length + (n > 0 ? 1 : 0);
  const lines = (edits: { span: { start: number } }[]) => edits.map((e) => text.slice(0, e.span.start).split('\n').length - 1);

  it('formats the lines the range touches, indented as in the whole document', () => {
    // From inside line 1 to inside line 2: both lines, line 1 at the depth of the body.
    const edits = formatRange(text, { start: lineStart(1) + 8, end: lineStart(2) + 3 });
    expect(lines(edits)).toEqual([1, 2]);
    expect(edits.map((e) => e.text)).toEqual(['  ram r size 1K', '  io x size 1K at 1K']);
  });

  it('leaves the line a range ends at the start of; an empty range formats its line', () => {
    expect(lines(formatRange(text, { start: lineStart(1), end: lineStart(2) }))).toEqual([1]);
    expect(lines(formatRange(text, { start: lineStart(4) + 3, end: lineStart(4) + 3 }))).toEqual([4]);
    expect(formatRange(text, { start: lineStart(3), end: lineStart(3) + 1 })).toEqual([]); // `}` is formatted already
    expect(formatRange(text, { start: 0, end: text.length })).toEqual(formatDocument(text));
    expect(formatRange('container a size 4K {\n   ram b size\n', { start: 0, end: 5 })).toEqual([]);
  });

  for (const name of fs.readdirSync(samples).filter((f) => f.endsWith('.mrd'))) {
    it(`formatting ${name} scrambled one line at a time, bottom up, ends where formatting it at once does`, () => {
      const scrambled = fs.readFileSync(path.join(samples, name), 'utf8')
        .replace(/[ \t]+/g, (m, at: number) => ' '.repeat(1 + (at % 3))).replace(/\n/g, (m, at: number) => (at % 4 === 0 ? '\n\t ' : '\n'));
      let t = scrambled;
      const starts = [0, ...[...t.matchAll(/\n/g)].map((m) => m.index! + 1)];
      for (const s of starts.reverse()) t = applyEdits(t, formatRange(t, { start: s, end: s }));
      expect(t).toBe(format(scrambled));
      expect(t).not.toBe(scrambled);
    });
  }
});
