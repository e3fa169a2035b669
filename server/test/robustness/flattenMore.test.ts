// More of the flattening differential (server/test/engine/flatten.test.ts has the base one):
// random trees that also vary nonvolatile, romd mode and readonly containers, give aliases
// their own (ignored) subregions, take alias offsets and windows near 2^64, build aliases of
// aliases of containers whose terminating children lie past the alias window, and tie
// priorities more often. Compared with the brute-force reference.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flattenView } from '../../src/engine/flatten.js';
import { type Region, TWO_64, addSubregion } from '../../src/model/region.js';
import { TestMachine } from '../support/machineBuilder.js';
import { randomTree } from '../support/randomTree.js';
import { referenceFlatten } from '../support/referenceFlatten.js';

const norm = (r: { start: bigint; size: bigint; mr: Region; offsetInRegion: bigint; readonly: boolean; nonvolatile: boolean }) =>
  `${r.start.toString(16)}+${r.size.toString(16)} ${r.mr.name} @${r.offsetInRegion.toString(16)}${r.readonly ? ' ro' : ''}${r.nonvolatile ? ' nv' : ''}`;

describe('flatten: wider differential against the brute-force reference', () => {
  it('random trees with nv, romd mode, readonly containers, aliases of aliases, windows near 2^64', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0x7fffffff }), (seed) => {
        const root = randomTree(seed);
        expect(flattenView(root).map(norm)).toEqual(referenceFlatten(root).map(norm));
      }),
      { numRuns: 1500 },
    );
  });

  it('alias of an alias of a container whose terminating child lies past the alias window', () => {
    const t = new TestMachine();
    const sys = t.region({ kind: 'container', name: 'sys', size: TWO_64 });
    const box = t.region({ kind: 'container', name: 'box', size: 0x10000n });
    t.add(box, 0x0n, { kind: 'ram', name: 'inside', size: 0x1000n });
    t.add(box, 0x8000n, { kind: 'io', name: 'past', size: 0x1000n });
    const inner = t.alias('inner', box, 0n, 0x4000n);
    addSubregion(sys, 0x10_0000n, t.alias('outer', inner, 0x800n, 0x8000n, { nonvolatile: true }), 0);
    const got = flattenView(sys).map(norm);
    expect(got).toEqual(referenceFlatten(sys).map(norm));
    // `past` is beyond inner's 16K window: only inside's bytes 0x800.. show, nonvolatile.
    expect(got).toEqual(['100000+800 inside @800 nv']);
  });
});
