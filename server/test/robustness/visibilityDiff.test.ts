// Differential test of the visibility check: engine/visibility.ts (a render into pieces, a sweep
// for the visible one, marks per region) against a brute-force walk at every boundary address
// (support/referenceVisibility.ts), on the random trees of the flattening differential.
// The reported sets are compared (which region a hidden leaf is reported under follows the same
// stated rule in both: the outermost hidden alias passed, else the leaf's own hidden container).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { barOverlaps, hiddenRegions } from '../../src/engine/visibility.js';
import { TestMachine } from '../support/machineBuilder.js';
import { randomTree } from '../support/randomTree.js';
import { referenceHidden, referenceOverlaps } from '../support/referenceVisibility.js';

describe('visibility: differential against the brute-force reference', () => {
  it('random trees: the regions reported hidden are the reference\'s', () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0x7fffffff }), (seed) => {
        const t = new TestMachine();
        const root = randomTree(seed, t);
        t.space('memory', root);
        const got = hiddenRegions(t.m).map((h) => h.region.name).sort();
        if (got.length > 0) nonEmpty++;
        expect(got).toEqual(referenceHidden(root));
      }),
      { numRuns: 1500 },
    );
    // The trees must hide something often enough for the comparison to mean anything.
    expect(nonEmpty).toBeGreaterThan(100);
  });
});

describe('BAR overlaps: differential against the brute-force reference', () => {
  it('random trees with random regions taken as BARs: the pairs, their extents, which one is visible and why', () => {
    let nonEmpty = 0;
    let withWhy = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0x7fffffff }), (seed) => {
        const t = new TestMachine();
        const root = randomTree(seed, t);
        t.space('memory', root);
        // Every third region but the root is a BAR.
        const bars = new Set(t.m.regions.filter((r, i) => r !== root && (i + seed) % 3 === 0));
        const got = barOverlaps(t.m, bars);
        const line = (o: (typeof got)[number]) =>
          `${[o.bar.name, o.other.name].sort().join('+')} ${o.start.toString(16)}..${o.end.toString(16)} ${o.visible?.name ?? '-'}`;
        if (got.length > 0) nonEmpty++;
        const want = referenceOverlaps(root, bars);
        expect(got.map(line).sort()).toEqual(want.map((w) => w.replace(/ \(.*\)$/, '')));
        // Where the engine gives a reason, it is where the render paths part.
        for (const o of got) {
          if (!o.why) continue;
          const loser = o.why.winner === o.why.loser ? '' : o.why.loser.name;
          expect(want).toContain(`${line(o)} (${o.why.container.name}: ${o.why.winner.name} > ${loser})`);
          withWhy++;
        }
      }),
      { numRuns: 1500 },
    );
    expect(nonEmpty).toBeGreaterThan(100);
    expect(withWhy).toBeGreaterThan(100);
  });
});
