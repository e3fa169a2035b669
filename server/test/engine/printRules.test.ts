// Rules of `info mtree` and `info mtree -f` the captures show only in passing, each on a small
// description with the expected text worked out from the rule (qemu-semantics.md §1, §5).
import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { flatViewText, mtreeText } from '../../src/ide/views.js';

const machine = `address-space memory root sys
container sys size 64K {
  ram low size 0x1000
  container hidden size 0x1000 at 0x1000 disabled {
    io child size 0x100 at 0x10
  }
  io wide size 0x2000 at 0xf000
  alias view -> low size 0x800 at 0x4000 {
    io under-alias size 0x10
  }
}
`;

const lines = (text: string) => text.split('\n');

describe('the tree (info mtree)', () => {
  const a = analyzeDocument(machine);

  it("R-OUT-7: a disabled region's line needs -D, its children print anyway, at their true depth", () => {
    const plain = lines(mtreeText(a, false));
    expect(plain).not.toContain('    0000000000001000-0000000000001fff (prio 0, i/o): hidden [disabled]');
    // Depth 2 under the root (6 spaces), absolute address 0x1000 + 0x10.
    expect(plain).toContain('      0000000000001010-000000000000110f (prio 0, i/o): child');
    const withD = lines(mtreeText(a, true));
    const at = withD.indexOf('    0000000000001000-0000000000001fff (prio 0, i/o): hidden [disabled]');
    expect(at).toBeGreaterThan(0);
    expect(withD[at + 1]).toBe('      0000000000001010-000000000000110f (prio 0, i/o): child');
  });

  it("R-MR-7, R-OUT-4: a subregion past its container's end is accepted and printed unclipped", () => {
    expect(a.diagnostics).toEqual([]);
    expect(lines(mtreeText(a, false))).toContain('    000000000000f000-0000000000010fff (prio 0, i/o): wide');
  });

  it("R-MR-8: an alias's own children are printed under it", () => {
    const plain = lines(mtreeText(a, false));
    const at = plain.indexOf('    0000000000004000-00000000000047ff (prio 0, ram): alias view @low 0000000000000000-00000000000007ff');
    expect(at).toBeGreaterThan(0);
    expect(plain[at + 1]).toBe('      0000000000004000-000000000000400f (prio 0, i/o): under-alias');
  });

  it('R-OUT-10: a disabled root is hidden without -D, its children still print', () => {
    const b = analyzeDocument('address-space memory root sys\ncontainer sys size 64K disabled {\n  ram low size 0x1000\n}\n');
    // Each address space's block ends with a blank line, as QEMU prints it.
    expect(mtreeText(b, false)).toBe('address-space: memory\n    0000000000000000-0000000000000fff (prio 0, ram): low\n\n');
    expect(mtreeText(b, true)).toBe('address-space: memory\n  0000000000000000-000000000000ffff (prio 0, i/o): sys [disabled]\n' +
      '    0000000000000000-0000000000000fff (prio 0, ram): low\n\n');
    // R-AS-2, R-AS-3: a disabled root resolves to nothing, and the flat view is the empty one.
    expect(flatViewText(b)).toBe('FlatView #0\n AS "memory", root: sys\n Root memory region: (none)\n  No rendered FlatView\n\n');
  });
});

describe('the flat view (info mtree -f)', () => {
  const a = analyzeDocument(machine);
  const flat = lines(flatViewText(a));

  it('R-FOUT-7, R-FLAT-3, R-FLAT-4: no disabled region or its children; clipped at the container; an alias renders its target only', () => {
    expect(flat.filter((l) => l.startsWith('  '))).toEqual([
      '  0000000000000000-0000000000000fff (prio 0, ram): low',
      // `view` shows `low` from offset 0; `under-alias` never renders.
      '  0000000000004000-00000000000047ff (prio 0, ram): low',
      // `wide` clipped at sys's end, 0xffff.
      '  000000000000f000-000000000000ffff (prio 0, i/o): wide',
    ]);
  });
});
