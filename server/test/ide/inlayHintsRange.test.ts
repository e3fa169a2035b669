// Inlay hints for a range read only the regions named in it (an editor asks for the visible
// lines at every edit and scroll): found by binary search when the names follow each other,
// by reading every region when they do not (included files). Either way the same regions.
import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { inlayHints } from '../../src/ide/inlayHints.js';
import { declaredRegionsMeeting, recordOrder, recordedOrder } from '../../src/model/build.js';
import type { SymbolIndex } from '../../src/model/build.js';
import { loadCorpus, rng } from '../robustness/harness.js';

/** The regions whose name meets [start, end], by reading all of them. */
function linear(index: SymbolIndex, start: number, end: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < index.decls.count; i++) {
    const n = index.decls.region(i).nameSpan!;
    if (n.end >= start && n.start <= end) out.push(i);
  }
  return out;
}

const machine = (devices: number) =>
  `address-space memory root sys\ncontainer sys size 2^64 {\n${Array.from({ length: devices }, (_, i) =>
    `  container dev${i} size 64K at ${i * 0x10000} {\n    io reg0 size 0x1000 at 0x0\n    io reg1 size 0x1000 at 0x1000 priority 1\n  }\n`).join('')}}\n`;

describe('the regions named in a range', () => {
  it('are those a reading of every region finds, on every corpus text and random ranges', () => {
    const rnd = rng(11);
    const texts = loadCorpus().map((c) => c.text).concat(machine(300));
    let nonEmpty = 0;
    for (const text of texts) {
      const a = analyzeDocument(text);
      const bounds = [[0, text.length], [0, 0], [text.length, text.length]];
      for (let k = 0; k < 20; k++) {
        const s = rnd(text.length + 1);
        bounds.push([s, s + rnd(200)]);
      }
      for (const [s, e] of bounds) {
        const got = declaredRegionsMeeting(a.index, s, e);
        expect(got).toEqual(linear(a.index, s, e));
        if (got.length > 0) nonEmpty++;
      }
    }
    expect(nonEmpty).toBeGreaterThan(100);
  });

  it('are the same when the names do not follow each other (read one by one)', () => {
    const text = machine(20);
    const a = analyzeDocument(text);
    const order = recordedOrder(a.index)!;
    expect(order.sorted).toBe(true);
    const before = inlayHints(a, { start: 300, end: 900 });
    const ids = declaredRegionsMeeting(a.index, 300, 900);
    recordOrder(a.index, { ...order, sorted: false });
    expect(declaredRegionsMeeting(a.index, 300, 900)).toEqual(ids);
    expect(inlayHints(a, { start: 300, end: 900 })).toEqual(before);
    expect(before.length).toBeGreaterThan(3);
  });

  it('are found without reading every region of a large machine', () => {
    const text = machine(3000);
    const a = analyzeDocument(text);
    const at = text.indexOf('container dev1500 ');
    const range = { start: at, end: at + 150 };
    const expected = inlayHints(a, range).map((h) => [text.slice(h.offset - 4, h.offset), h.label]);
    // dev1500 at 1500 * 0x10000; the range's last characters reach the next device's name.
    expect(expected).toEqual([['1500', '@ 0x5dc_0000'], ['reg0', '@ 0x5dc_0000'], ['reg1', '@ 0x5dc_1000'], ['1501', '@ 0x5dd_0000']]);
    const decls = a.index.decls;
    const read = decls.region.bind(decls);
    let reads = 0;
    decls.region = (id: number) => (reads++, read(id));
    inlayHints(a, range);
    expect(reads).toBeLessThan(100); // 9001 regions
  });
});
