// The region record's own contract: spans kept as numbers (read as copies, moved only by
// assignment or shiftRegionSpans), the kind, flags, priority and name length packed in one
// field (with the values that do not fit kept apart), and the shared empty subregion list of leaves.
import { describe, expect, it } from 'vitest';
import { NO_CHILDREN, type RegionKind, addSubregion, createRegion, newMachine, regionType, shiftRegionSpans } from '../../src/model/region.js';

describe('region spans', () => {
  it('reads copies: changing a span read from a region does not move the region', () => {
    const m = newMachine();
    const r = createRegion(m, { name: 'a', kind: 'ram', span: { start: 10, end: 40 }, nameSpan: { start: 14, end: 15 } });
    expect(r.span).toEqual({ start: 10, end: 40 });
    expect(r.nameSpan).toEqual({ start: 14, end: 15 });
    const s = r.span as { start: number; end: number };
    s.start = 99;
    expect(r.span).toEqual({ start: 10, end: 40 });
    r.span = { start: 11, end: 41 };
    expect(r.span).toEqual({ start: 11, end: 41 });
  });

  it('has none until given one', () => {
    const r = createRegion(newMachine(), { name: 'a', kind: 'io' });
    expect(r.span).toBeUndefined();
    expect(r.nameSpan).toBeUndefined();
    r.nameSpan = { start: 0, end: 1 };
    expect(r.nameSpan).toEqual({ start: 0, end: 1 });
    expect(r.span).toBeUndefined();
  });

  it('shiftRegionSpans moves exactly the ends at or after the edit', () => {
    const r = createRegion(newMachine(), { name: 'a', kind: 'ram', span: { start: 10, end: 40 }, nameSpan: { start: 14, end: 15 } });
    // An edit at 15 that inserts 3 characters: the name's end (15) and the statement's end move.
    shiftRegionSpans(r, 15, 3);
    expect(r.span).toEqual({ start: 10, end: 43 });
    expect(r.nameSpan).toEqual({ start: 14, end: 18 });
    // A deletion of 5 characters before everything moves all four.
    shiftRegionSpans(r, 0, -5);
    expect(r.span).toEqual({ start: 5, end: 38 });
    expect(r.nameSpan).toEqual({ start: 9, end: 13 });
    // An edit after the statement moves nothing.
    shiftRegionSpans(r, 100, 7);
    expect(r.span).toEqual({ start: 5, end: 38 });
  });
});

describe('kind and flags', () => {
  const kinds: RegionKind[] = ['container', 'io', 'ram', 'rom', 'romd', 'ramd', 'iommu', 'alias'];

  it("take QEMU's defaults (a rom is readonly) and the values createRegion is given", () => {
    const m = newMachine();
    for (const kind of kinds) {
      const r = createRegion(m, { name: kind, kind });
      expect([r.kind, r.enabled, r.readonly, r.nonvolatile, r.romdMode]).toEqual([kind, true, kind === 'rom', false, true]);
    }
    const r = createRegion(m, { name: 'r', kind: 'rom', enabled: false, readonly: false, nonvolatile: true, romdMode: false });
    expect([r.kind, r.enabled, r.readonly, r.nonvolatile, r.romdMode]).toEqual(['rom', false, false, true, false]);
  });

  it('are set one at a time: every other flag and the kind stay as they were', () => {
    const m = newMachine();
    const flags = ['enabled', 'readonly', 'nonvolatile', 'romdMode'] as const;
    for (const kind of kinds) {
      for (let bits = 0; bits < 16; bits++) {
        const r = createRegion(m, { name: 'x', kind });
        flags.forEach((f, i) => (r[f] = (bits & (1 << i)) !== 0));
        expect(r.kind).toBe(kind);
        expect(flags.map((f) => r[f])).toEqual(flags.map((_, i) => (bits & (1 << i)) !== 0));
        for (const other of kinds) {
          r.kind = other;
          expect(r.kind).toBe(other);
          expect(flags.map((f) => r[f])).toEqual(flags.map((_, i) => (bits & (1 << i)) !== 0));
        }
      }
    }
  });

  it('decide the region type as before', () => {
    const m = newMachine();
    const romd = createRegion(m, { name: 'd', kind: 'romd' });
    expect(regionType(romd)).toBe('romd');
    romd.romdMode = false;
    expect(regionType(romd)).toBe('i/o');
    const ram = createRegion(m, { name: 'r', kind: 'ram' });
    ram.readonly = true;
    expect(regionType(ram)).toBe('rom');
    ram.readonly = false;
    expect(regionType(ram)).toBe('ram');
  });
});

describe('priority and name span packed with the flags', () => {
  it('keep any priority exactly, in 16 bits or beyond, and the flags beside it', () => {
    const m = newMachine();
    for (const p of [0, 1, -1, 32767, -32768, 32768, -32769, 2 ** 31 - 1, -(2 ** 31), 0.5, -0]) {
      const r = createRegion(m, { name: 'r', kind: 'rom', nameSpan: { start: 3, end: 5 } });
      r.enabled = false;
      r.priority = p;
      expect(Object.is(r.priority, p)).toBe(true);
      expect([r.kind, r.enabled, r.readonly, r.romdMode]).toEqual(['rom', false, true, true]);
      expect(r.nameSpan).toEqual({ start: 3, end: 5 });
      r.priority = 7; // back to a small one, wherever it is kept
      expect(r.priority).toBe(7);
      expect(r.nameSpan).toEqual({ start: 3, end: 5 });
    }
  });

  it('keep a name span of any length, and move it with shiftRegionSpans', () => {
    const m = newMachine();
    for (const len of [1, 255, 256, 100000]) {
      const r = createRegion(m, { name: 'n', kind: 'io', nameSpan: { start: 20, end: 20 + len }, span: { start: 10, end: 30 + len } });
      r.priority = -3;
      expect(r.nameSpan).toEqual({ start: 20, end: 20 + len });
      shiftRegionSpans(r, 20 + len, 300); // inside the name: only its end moves
      expect(r.nameSpan).toEqual({ start: 20, end: 20 + len + 300 });
      shiftRegionSpans(r, 0, -10);
      expect(r.nameSpan).toEqual({ start: 10, end: 10 + len + 300 });
      expect(r.span).toEqual({ start: 0, end: 20 + len + 300 });
      expect(r.priority).toBe(-3);
      r.nameSpan = undefined;
      expect(r.nameSpan).toBeUndefined();
      r.nameSpan = { start: 1, end: 2 };
      expect(r.nameSpan).toEqual({ start: 1, end: 2 });
    }
  });

  it('share the alias target and offset\'s record without disturbing them', () => {
    const m = newMachine();
    const t = createRegion(m, { name: 't', kind: 'ram' });
    const a = createRegion(m, { name: 'a', kind: 'alias', alias: t, aliasOffset: 5n, nameSpan: { start: 0, end: 1 } });
    a.priority = 1 << 20;
    expect([a.alias, a.aliasOffset, a.priority, a.nameSpan]).toEqual([t, 5n, 1 << 20, { start: 0, end: 1 }]);
    const b = createRegion(m, { name: 'b', kind: 'alias' });
    b.priority = -(1 << 20);
    expect([b.alias, b.aliasOffset, b.priority]).toEqual([null, 0n, -(1 << 20)]);
    b.alias = t;
    b.aliasOffset = 9n;
    expect([b.alias, b.aliasOffset, b.priority]).toEqual([t, 9n, -(1 << 20)]);
  });
});

describe('alias target and offset', () => {
  it('start as none and 0, and are set independently of each other', () => {
    const m = newMachine();
    const t = createRegion(m, { name: 't', kind: 'ram', size: 0x1000n });
    const a = createRegion(m, { name: 'a', kind: 'alias' });
    expect([a.alias, a.aliasOffset]).toEqual([null, 0n]);
    a.aliasOffset = 0x10n; // before the target is known (the builder's order)
    expect([a.alias, a.aliasOffset]).toEqual([null, 0x10n]);
    a.alias = t;
    expect([a.alias, a.aliasOffset]).toEqual([t, 0x10n]);
    a.alias = null; // a loop broken
    expect([a.alias, a.aliasOffset]).toEqual([null, 0x10n]);
    const b = createRegion(m, { name: 'b', kind: 'alias', alias: t, aliasOffset: 1n << 64n });
    expect([b.alias, b.aliasOffset]).toEqual([t, 1n << 64n]);
    b.aliasOffset = 0n;
    expect([b.alias, b.aliasOffset]).toEqual([t, 0n]);
    // Regions do not share them.
    expect([t.alias, t.aliasOffset]).toEqual([null, 0n]);
    const c = createRegion(m, { name: 'c', kind: 'container' });
    c.alias = null;
    c.aliasOffset = 0n;
    expect([c.alias, c.aliasOffset]).toEqual([null, 0n]);
  });
});

describe('subregion lists', () => {
  it('leaves share the empty list; a region gets its own when a subregion is added', () => {
    const m = newMachine();
    const a = createRegion(m, { name: 'a', kind: 'container' });
    const b = createRegion(m, { name: 'b', kind: 'container' });
    const x = createRegion(m, { name: 'x', kind: 'ram', size: 0x1000n });
    expect(a.children).toBe(NO_CHILDREN);
    expect(b.children).toBe(NO_CHILDREN);
    addSubregion(a, 0x2000n, x, 1);
    expect(a.children).toEqual([x]);
    expect(a.children).not.toBe(NO_CHILDREN);
    expect(b.children).toEqual([]);
    expect(NO_CHILDREN).toEqual([]);
    expect(x.container).toBe(a);
    expect(x.addr).toBe(0x2000n);
    expect(() => (NO_CHILDREN as unknown[]).push(x)).toThrow(TypeError);
  });
});
