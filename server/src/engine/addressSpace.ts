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
  const byRoot = new Map<Region | null, FlatViewGroup>();
  const out: FlatViewGroup[] = [];
  for (const as of m.spaces) {
    const root = resolveFlatViewRoot(as.root);
    let g = byRoot.get(root);
    if (!g) {
      g = { root, spaces: [], ranges: flattenView(root) };
      byRoot.set(root, g);
      out.push(g);
    }
    g.spaces.push(as);
  }
  return out;
}
