// The least analysis is a lower bound only if it reads the whole machine: every region statement
// of the generated descriptions, as many as the generator wrote and as mrd's model holds.
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../server/src/model/analyze.js';
import { generate } from './generate.js';
import { leastAnalysis } from './leastAnalysis.js';

describe('bench/leastAnalysis', () => {
  it.each([1_000, 10_000])('records every region of the generated %i-region machine', (n) => {
    const g = generate(n);
    const least = leastAnalysis(g.mrd);
    expect(least.regions).toBe(g.regions);
    expect(least.regions).toBe(analyzeText(g.mrd).machine.regions.length);
    // system { pci { bus { device { registers } } } }
    expect(least.depth).toBe(4);
  });

  it('counts the statements that are regions and follows their nesting', () => {
    const text = 'ram a size 4K\ncontainer b size 8K {\n  io a size 1K at 0x1000 # a comment { }\n  io c size 1K\n}\naddress-space memory root b\n';
    expect(leastAnalysis(text)).toEqual({ regions: 4, depth: 1 });
  });
});
