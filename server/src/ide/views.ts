// Text views of a document's machine: `info mtree -f` (optionally one address space's flat
// view only) and `info mtree` / `-D`, exactly as the engine prints them.
import { flatViews } from '../engine/addressSpace.js';
import { printFlat, printFlatGroup } from '../engine/flatPrint.js';
import { printMtree } from '../engine/mtreePrint.js';
import type { Analysis } from './analysis.js';

export function spaceNames(a: Analysis): string[] {
  return a.machine.spaces.map((s) => s.name);
}

/** `info mtree -f`; with `space`, only the flat view that address space uses. */
export function flatViewText(a: Analysis, space?: string): string {
  if (space === undefined) return printFlat(a.machine);
  const groups = flatViews(a.machine);
  const i = groups.findIndex((g) => g.spaces.some((s) => s.name === space));
  return i < 0 ? `(no address space named "${space}")\n` : printFlatGroup(groups[i], i);
}

export function mtreeText(a: Analysis, disabled: boolean): string {
  return printMtree(a.machine, { disabled });
}
