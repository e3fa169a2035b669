// The order of region names and the list of aliases the builder records while creating regions
// (what the first hover reads instead of every region) must equal a scan of the index and machine.
import { expect } from 'vitest';
import { type SymbolIndex, aliasRegions, recordedOrder, scanDeclarationOrder } from '../../src/model/build.js';
import type { Machine } from '../../src/model/region.js';

/** The builder's record of an index equals what reading every region finds. */
export function checkRecordedOrder(index: SymbolIndex, machine: Machine): void {
  const rec = recordedOrder(index);
  expect(rec).toBeDefined();
  expect({ sorted: rec!.sorted, withId: rec!.withId }).toEqual(scanDeclarationOrder(index));
  const aliases = aliasRegions(index);
  if (machine.regions.length === index.regions.length) {
    expect(aliases?.map((r) => r.id)).toEqual(machine.regions.filter((r) => r.kind === 'alias').map((r) => r.id));
  } else expect(aliases).toBeNull();
}
