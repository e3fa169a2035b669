// Differential test of the visibility check: engine/visibility.ts (a render into pieces, a sweep
// for the visible one, marks per region) against a brute-force walk at every boundary address
// (support/referenceVisibility.ts), on the random trees of the flattening differential.
// The reported sets are compared (which region a hidden leaf is reported under follows the same
// stated rule in both: the outermost hidden alias passed, else the leaf's own hidden container).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hiddenRegions } from '../../src/engine/visibility.js';
import { TestMachine } from '../support/machineBuilder.js';
import { randomTree } from '../support/randomTree.js';
import { referenceHidden } from '../support/referenceVisibility.js';

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
