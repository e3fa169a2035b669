// LSP positions at the edge (lsp/convert.ts): every offset survives offset → position →
// offset with LF, CRLF and lone CR line ends and astral characters (an offset inside a CRLF
// becomes the end of its line); positions past the end
// of a line, past the last line, negative or fractional never land on another line.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Converter } from '../../src/lsp/convert.js';

describe('Converter', () => {
  it('offset(position(o)) = o for every offset of random texts with mixed line ends', () => {
    const text = fc.array(fc.constantFrom('a', 'é', '𝐀', ' ', '\n', '\r\n', '\r', '\t', '"', '#'), { maxLength: 60 }).map((x) => x.join(''));
    fc.assert(fc.property(text, (t) => {
      const c = new Converter('file:///x.mrd', t);
      for (let o = 0; o <= t.length; o++) {
        // Between the \r and \n of a CRLF is no LSP position (it is the end of the line).
        const inCrlf = t[o - 1] === '\r' && t[o] === '\n';
        expect(c.offset(c.position(o))).toBe(inCrlf ? o - 1 : o);
      }
    }), { numRuns: 300 });
  });

  it('a character past the end of its line means the end of that line (LSP), not the next line', () => {
    const t = 'ab\ncd\r\nef\rgh';
    const c = new Converter('file:///x.mrd', t);
    expect(c.offset({ line: 0, character: 99 })).toBe(2);
    expect(c.offset({ line: 1, character: 99 })).toBe(5);
    expect(c.offset({ line: 2, character: 99 })).toBe(9);
    expect(c.offset({ line: 3, character: 99 })).toBe(12);
    expect(c.offset({ line: 99, character: 0 })).toBe(12);
    expect(c.offset({ line: -1, character: -1 })).toBe(0);
    expect(c.offset({ line: 1, character: -5 })).toBe(3);
  });
});
