// Packed integer lists of the memory map's wire form: every safe integer round-trips exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PackWriter, pack, unpack } from '../../src/ide/mapPack.js';

describe('packed integer lists', () => {
  it('round-trip the edges: 0, signs, 2^31 and 2^53 − 1', () => {
    const xs = [0, 1, -1, 31, 32, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 53 - 1, -(2 ** 53 - 1)];
    // One character below 16 in magnitude, 11 at 2^53 − 1; no separators.
    expect(pack(xs)).toBe("#%&b$C%bccccc&CCCCCC'DCCCCC'bccccccccc2cccccccccc2");
    expect(Array.from(unpack(pack(xs)))).toEqual(xs);
    expect(pack([])).toBe('');
    expect(unpack('').length).toBe(0);
  });

  it('round-trip any list of safe integers, as text JSON copies without escapes', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.maxSafeInteger(), fc.integer({ min: -40, max: 40 }))), (xs) => {
      const s = pack(xs);
      expect(Array.from(unpack(s))).toEqual(xs.map((x) => (Object.is(x, -0) ? 0 : x)));
      expect(JSON.stringify(s)).toBe(`"${s}"`);
    }));
  });

  it('writers fill their reused buffers as pack does, several at a time and again after done()', () => {
    fc.assert(fc.property(fc.array(fc.maxSafeInteger(), { maxLength: 40_000 }), fc.array(fc.integer()), (xs, ys) => {
      const a = new PackWriter(0, 1);
      const b = new PackWriter(1);
      for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
        if (i < xs.length) a.add(xs[i]);
        if (i < ys.length) b.add(ys[i]);
      }
      expect(a.done()).toBe(pack(xs));
      expect(b.done()).toBe(pack(ys));
      expect(a.done()).toBe('');
    }), { numRuns: 30 });
  });
});
