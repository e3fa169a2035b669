// Text views of a document's machine: `info mtree -f` (optionally one address space's flat
// view only) and `info mtree` / `-D`, exactly as the engine prints them. The flat views are
// computed once per analysis, when first asked for (an Analysis never changes).
import { type FlatViewGroup, flatViews } from '../engine/addressSpace.js';
import { printFlatGroup } from '../engine/flatPrint.js';
import { printMtree } from '../engine/mtreePrint.js';
import type { Analysis } from './analysis.js';

export function spaceNames(a: Analysis): string[] {
  return a.machine.spaces.map((s) => s.name);
}

const flatCache = new WeakMap<Analysis, readonly FlatViewGroup[]>();

/**
 * `flatViews(a.machine)`, kept with the analysis: the flat-view request and hovers on address
 * spaces ask again for the same version. (Looks at other PCI states restore the shown one.)
 */
export function analysisFlatViews(a: Analysis): readonly FlatViewGroup[] {
  let groups = flatCache.get(a);
  if (!groups) flatCache.set(a, (groups = flatViews(a.machine)));
  return groups;
}

/** `info mtree -f`; with `space`, only the flat view that address space uses. */
export function flatViewText(a: Analysis, space?: string): string {
  const groups = analysisFlatViews(a);
  if (space === undefined) return groups.map((g, i) => printFlatGroup(g, i)).join('');
  const i = groups.findIndex((g) => g.spaces.some((s) => s.name === space));
  return i < 0 ? `(no address space named "${space}")\n` : printFlatGroup(groups[i], i);
}

export function mtreeText(a: Analysis, disabled: boolean): string {
  return printMtree(a.machine, { disabled });
}
