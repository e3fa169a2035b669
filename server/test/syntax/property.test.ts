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
  checkNesting(file, text.length);
  analyzeText(text);
}

/** Every node lies inside its parent, and siblings in lists do not go backwards. */
function checkNesting(root: object, length: number): void {
  const stack: [object, number, number][] = [[root, 0, length]];
  while (stack.length > 0) {
    const [node, lo, hi] = stack.pop()!;
    const n = node as { start?: number; end?: number };
    if (typeof n.start === 'number' && typeof n.end === 'number') {
      if (n.start < lo || n.end > hi || n.start > n.end) throw new Error(`span ${n.start}..${n.end} outside ${lo}..${hi}`);
    }
    const pLo = n.start ?? lo;
    const pHi = n.end ?? hi;
    for (const v of Object.values(node)) {
      if (Array.isArray(v)) {
        let prev = pLo;
        for (const x of v) {
          const c = x as { start: number; end: number };
          if (c.start < prev) throw new Error(`list goes backwards at ${c.start}`);
          prev = c.end;
          stack.push([x, pLo, pHi]);
        }
      } else if (v && typeof v === 'object') stack.push([v, pLo, pHi]);
    }
  }
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
