// A deliberately simple reference for flattening, written from the spec, not from the
// engine: at every boundary address, walk the tree in precedence order and take the first
// visible leaf (R-FLAT-2..5), then merge neighbours per R-FLAT-9. Exponential in alias
// fan-out; for small random trees only.
import { type Region, TWO_64, terminates } from '../../src/model/region.js';

export interface RefRange {
  start: bigint;
  size: bigint;
  mr: Region;
  offsetInRegion: bigint;
  readonly: boolean;
  nonvolatile: boolean;
}

interface Hit {
  mr: Region;
  offset: bigint;
  ro: boolean;
  nv: boolean;
}

function lookup(mr: Region, base: bigint, a: bigint, ro: boolean, nv: boolean, depth: number): Hit | null {
  if (depth > 64 || !mr.enabled) return null;
  base += mr.addr;
  ro ||= mr.readonly;
  nv ||= mr.nonvolatile;
  if (a < base || a >= base + mr.size) return null;
  if (mr.kind === 'alias') {
    if (!mr.alias) return null;
    return lookup(mr.alias, base - mr.alias.addr - mr.aliasOffset, a, ro, nv, depth + 1);
  }
  for (const c of mr.children) {
    const h = lookup(c, base, a, ro, nv, depth + 1);
    if (h) return h;
  }
  return terminates(mr) ? { mr, offset: a - base, ro, nv } : null;
}

/** Every window edge in `root`'s render (regions and alias windows), into `out`. */
export function boundaries(mr: Region, base: bigint, out: Set<bigint>, depth: number): void {
  if (depth > 64) return;
  base += mr.addr;
  for (const b of [base, base + mr.size]) if (b >= 0n && b <= TWO_64) out.add(b);
  if (mr.kind === 'alias') {
    if (mr.alias) boundaries(mr.alias, base - mr.alias.addr - mr.aliasOffset, out, depth + 1);
    return;
  }
  for (const c of mr.children) boundaries(c, base, out, depth + 1);
}

export function referenceFlatten(root: Region | null): RefRange[] {
  if (!root) return [];
  const set = new Set<bigint>([0n, TWO_64]);
  boundaries(root, 0n, set, 0);
  const pts = [...set].filter((b) => b >= 0n && b <= TWO_64).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const out: RefRange[] = [];
  for (let i = 0; i + 1 < pts.length; i++) {
    const h = lookup(root, 0n, pts[i], false, false, 0);
    if (!h) continue;
    const r: RefRange = {
      start: pts[i], size: pts[i + 1] - pts[i], mr: h.mr, offsetInRegion: h.offset, readonly: h.ro, nonvolatile: h.nv,
    };
    const p = out[out.length - 1];
    if (
      p && p.start + p.size === r.start && p.mr === r.mr && p.offsetInRegion + p.size === r.offsetInRegion &&
      p.readonly === r.readonly && p.nonvolatile === r.nonvolatile && p.mr.romdMode === r.mr.romdMode
    ) {
      p.size += r.size;
    } else {
      out.push(r);
    }
  }
  return out;
}
