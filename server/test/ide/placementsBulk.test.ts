// Inlay hints over many regions take every placement from one walk of everything
// (computeAllPlacements) instead of a walk per region: each region's placements must be the
// ones the walk per region gives, on the corpus and on machines with alias chains and fan-out.
import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { computeAllPlacements, placements, type Placement } from '../../src/ide/regionInfo.js';
import { loadCorpus } from '../robustness/harness.js';

const plain = (ps: Placement[]) =>
  ps.map((p) => ({ spaces: p.spaces.map((s) => s.name), path: p.path.map((r) => r.id), base: p.base, start: p.start, end: p.end }));

function check(text: string): void {
  const one = analyzeDocument(text);
  const bulk = analyzeDocument(text);
  computeAllPlacements(bulk);
  for (let i = 0; i < one.machine.regions.length; i++) {
    expect(plain(placements(bulk, bulk.machine.regions[i]))).toEqual(plain(placements(one, one.machine.regions[i])));
  }
}

describe('placements of every region at once', () => {
  it('equal the placements walked per region on every corpus text', () => {
    for (const c of loadCorpus()) check(c.text);
  });

  it('equal them along alias chains, alias fan-out and disabled regions', () => {
    let chain = 'address-space memory root c199\ncontainer c0 size 4K { ram r size 4K }\n';
    for (let i = 1; i < 200; i++) chain += `container c${i} size 4K { alias a${i} -> c${i - 1}${i % 7 === 0 ? ' at 0x800' : ''} }\n`;
    check(chain);
    let fan = 'address-space memory root c0\naddress-space other root c3\n';
    for (let i = 0; i < 12; i++) fan += `container c${i} size 4K {\n  alias x -> c${i + 1}\n  alias y -> c${i + 1} at 0x800${i === 5 ? ' disabled' : ''}\n}\n`;
    check(fan + 'ram c12 size 4K\n');
  });
});
