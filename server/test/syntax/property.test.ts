// Property tests: parse (and build) never throw and respect their invariants on random
// strings and on random token sequences close to the grammar.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/syntax/parser.js';
import { analyzeText } from '../../src/model/analyze.js';

const tokens = [
  'const', 'include', 'address-space', 'root', 'none', 'container', 'io', 'mmio', 'ram', 'rom', 'romd',
  'ramd', 'iommu', 'alias', 'id', 'size', 'at', 'priority', 'prio', 'disabled', 'enabled', 'readonly',
  'nonvolatile', 'off', 'on', 'offset', '{', '}', '(', ')', '=', '->', '/', '+', '-', '*', '^', '<<', '|',
  'a', 'b', 'pc.ram', 'X', '"q s"', '"open', '0', '1', '4K', '0x10', '2^64', '0b2', '12ab', '#c\n', '\n',
  '\r\n', '\r', '\t', '&', 'é', '😀', '\uFEFF', '\\',
];

function checkInvariants(text: string): void {
  const { file, diagnostics } = parse(text);
  expect(file.span).toEqual({ start: 0, end: text.length });
  const starts = diagnostics.map((d) => d.span.start);
  expect(new Set(starts).size).toBe(starts.length); // never twice at one offset
  for (const d of diagnostics) {
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    expect(d.span.end).toBeLessThanOrEqual(text.length);
    expect(d.span.start).toBeLessThanOrEqual(d.span.end);
  }
  let prev = 0;
  for (const s of file.statements) {
    expect(s.span.start).toBeGreaterThanOrEqual(prev);
    expect(s.span.end).toBeGreaterThanOrEqual(s.span.start);
    prev = s.span.end;
  }
  analyzeText(text);
}

describe('parse never fails', () => {
  it('on random strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), checkInvariants), { numRuns: 300 });
  });
  it('on random token sequences', () => {
    const seq = fc.array(fc.constantFrom(...tokens), { maxLength: 60 }).map((t) => t.join(' '));
    fc.assert(fc.property(seq, checkInvariants), { numRuns: 300 });
  });
  it('on random token sequences without separators', () => {
    const seq = fc.array(fc.constantFrom(...tokens), { maxLength: 60 }).map((t) => t.join(''));
    fc.assert(fc.property(seq, checkInvariants), { numRuns: 300 });
  });
});
