// Address spaces and FlatView sharing (spec §4): each AS flattens its *resolved* root
// (memory_region_get_flatview_root, R-AS-2); ASes whose roots resolve to the same region
// share one flat view (R-AS-3).
import type { AddressSpace, Machine, Region } from '../model/region.js';
import { type FlatRange, flattenView } from './flatten.js';

/** memory_region_get_flatview_root (R-AS-2). */
export function resolveFlatViewRoot(root: Region | null): Region | null {
  let mr = root;
  for (let guard = 0; mr && mr.enabled && guard < 1_000_000; guard++) {
    if (mr.kind === 'alias') {
      const t = mr.alias;
      if (t && mr.aliasOffset === 0n && mr.size >= t.size) {
        mr = t;
        continue;
      }
    } else if (mr.kind === 'container') {
      let found = 0;
      let next: Region | null = null;
      for (const child of mr.children) {
        if (!child.enabled) continue;
        if (++found > 1) {
          next = null;
          break;
        }
        if (child.addr === 0n && mr.size >= child.size) next = child;
      }
      if (found === 0) return null;
      if (next) {
        mr = next;
        continue;
      }
    }
    return mr;
  }
  return null;
}

export interface FlatViewGroup {
  /** The resolved root shared by the group (null = the empty view). */
  root: Region | null;
  /** Member address spaces in creation order (R-FOUT-2). */
  spaces: AddressSpace[];
  ranges: FlatRange[];
}

/**
 * All flat views of a machine, one per distinct resolved root, ordered by the creation
 * index of their first address space (QEMU's own order is a pointer-hash order, R-FOUT-1).
 */
export function flatViews(m: Machine): FlatViewGroup[] {
  return [...flatViewRoots(m)].map(([root, spaces]) => ({ root, spaces, ranges: flattenView(root) }));
}

/**
 * The machine's address spaces grouped by resolved root (R-AS-2/3), in the order of each group's
 * first address space; a group's spaces in creation order.
 */
export function flatViewRoots(m: Machine): Map<Region | null, AddressSpace[]> {
  const byRoot = new Map<Region | null, AddressSpace[]>();
  for (const as of m.spaces) {
    const root = resolveFlatViewRoot(as.root);
    const list = byRoot.get(root);
    if (list) list.push(as);
    else byRoot.set(root, [as]);
  }
  return byRoot;
}
