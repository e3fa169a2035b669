// Where a region ends up: every placement of it in every address space (one per render path,
// through containers and aliases, clipped like QEMU's render_memory_region), with the parts
// of each window that are visible in the flat view and the parts other regions hide.
import { renderPieces, visibleSegments, type VisibleSegment } from '../engine/flatten.js';
import { aliasRegions } from '../model/build.js';
import { type AddressSpace, type Region, TWO_64 } from '../model/region.js';
import type { Analysis } from './analysis.js';

export interface Placement {
  /** The address spaces whose root this path starts from (several may share a root). */
  readonly spaces: readonly AddressSpace[];
  /** The regions entered from the address-space root down to the region, both included. */
  readonly path: readonly Region[];
  /** Absolute address of the region's byte 0 along this path. */
  readonly base: bigint;
  /** The clipped window `[start, end)` the region covers along this path. */
  readonly start: bigint;
  readonly end: bigint;
}

export interface Part {
  readonly start: bigint;
  readonly end: bigint;
  /** For a hidden part: the leaf region that is visible there instead. */
  readonly by?: Region;
}

/** Limit on visited render frames per root, so hovers stay fast on huge machines. */
const MAX_FRAMES = 1_000_000;
const MAX_PLACEMENTS = 64;

interface Frame {
  mr: Region;
  base: bigint;
  lo: bigint;
  hi: bigint;
  path: PathNode;
}

/**
 * A render path as a list sharing its prefix with the parent's; the array form is made only
 * for the placements a request looks at. Copying the path per step would be quadratic in
 * the depth (a chain of 20,000 aliases would need gigabytes).
 */
interface PathNode {
  readonly mr: Region;
  readonly up: PathNode | null;
  readonly depth: number;
}

function placement(spaces: readonly AddressSpace[], node: PathNode, base: bigint, start: bigint, end: bigint): Placement {
  let path: Region[] | undefined;
  return {
    spaces, base, start, end,
    get path(): readonly Region[] {
      if (!path) {
        path = new Array<Region>(node.depth);
        for (let x: PathNode | null = node; x; x = x.up) path[x.depth - 1] = x.mr;
      }
      return path;
    },
  };
}

/** Alias hops followed in one step, as in flatten.ts (the builder has broken alias loops). */
const MAX_HOPS = 100_000;

/** Address spaces grouped by their declared root region. */
function roots(a: Analysis): Map<Region, AddressSpace[]> {
  const m = new Map<Region, AddressSpace[]>();
  for (const s of a.machine.spaces) {
    if (!s.root) continue;
    const list = m.get(s.root);
    if (list) list.push(s);
    else m.set(s.root, [s]);
  }
  return m;
}

/** Aliases by target region, in creation order, per analysis. */
const aliasCache = new WeakMap<Analysis, Map<Region, Region[]>>();

function aliasIndex(a: Analysis): Map<Region, Region[]> {
  let m = aliasCache.get(a);
  if (!m) {
    m = new Map();
    // The builder's list of aliases when it has one (every region came from a statement): on a
    // large machine they are few, and reading every region was most of the first hover.
    for (const x of aliasRegions(a.index) ?? a.machine.regions) {
      if (x.kind !== 'alias' || !x.alias) continue;
      const list = m.get(x.alias);
      if (list) list.push(x);
      else m.set(x.alias, [x]);
    }
    aliasCache.set(a, m);
  }
  return m;
}

const placementCache = new WeakMap<Analysis, Map<Region, Placement[]>>();

/** Every placement of `target`, walking each root the way the renderer does. */
export function placements(a: Analysis, target: Region): Placement[] {
  let all = placementCache.get(a);
  if (!all) placementCache.set(a, (all = new Map()));
  let ps = all.get(target);
  if (!ps) all.set(target, (ps = walkTo(a, target)));
  return ps;
}

/**
 * Computes the placements of every region in one walk of everything, for a request about many
 * regions (inlay hints over a whole document: a walk per region is quadratic along alias
 * chains). Each region's list is the one `placements` gives. Not done when that walk would be
 * cut short by MAX_FRAMES: the per-region walks, entering fewer frames, reach further.
 */
export function computeAllPlacements(a: Analysis): void {
  let all = placementCache.get(a);
  if (!all) placementCache.set(a, (all = new Map()));
  if (all.size === a.machine.regions.length) return;
  const walked = walkAll(a);
  if (!walked) return;
  for (const r of a.machine.regions) if (!all.has(r)) all.set(r, walked.get(r) ?? []);
}

/** One render-order walk of every root, recording each region's placements (capped); null if cut short. */
function walkAll(a: Analysis): Map<Region, Placement[]> | null {
  const out = new Map<Region, Placement[]>();
  const record = (mr: Region, p: Placement): void => {
    const list = out.get(mr);
    if (!list) out.set(mr, [p]);
    else if (list.length < MAX_PLACEMENTS) list.push(p);
  };
  for (const [root, spaces] of roots(a)) {
    const stack: Frame[] = [];
    // As in walkTo, without the pruning.
    const enter = (mr: Region, base: bigint, lo: bigint, hi: bigint, up: PathNode | null): void => {
      for (let hops = 0; hops < MAX_HOPS; hops++) {
        if (!mr.enabled) return;
        base += mr.addr;
        lo = base > lo ? base : lo;
        hi = base + mr.size < hi ? base + mr.size : hi;
        if (lo >= hi) return;
        const path: PathNode = { mr, up, depth: up ? up.depth + 1 : 1 };
        up = path;
        record(mr, placement(spaces, path, base, lo, hi));
        if (mr.kind !== 'alias') {
          stack.push({ mr, base, lo, hi, path });
          return;
        }
        if (!mr.alias) return;
        base -= mr.alias.addr + mr.aliasOffset;
        mr = mr.alias;
      }
    };
    enter(root, 0n, 0n, TWO_64, null);
    let frames = 0;
    for (; stack.length > 0 && frames < MAX_FRAMES; frames++) {
      const f = stack.pop()!;
      for (let i = f.mr.children.length - 1; i >= 0; i--) enter(f.mr.children[i], f.base, f.lo, f.hi, f.path);
    }
    if (stack.length > 0) return null;
  }
  return out;
}

/**
 * The regions whose rendering can reach `target`: its containers (unless an alias: an alias's
 * own subregions are not rendered) and the aliases of any of them, up to the roots.
 */
function leadingTo(a: Analysis, target: Region): Set<Region> {
  const byTarget = aliasIndex(a);
  const set = new Set<Region>([target]);
  const todo = [target];
  while (todo.length > 0 && set.size < MAX_FRAMES) {
    const x = todo.pop()!;
    const c = x.container;
    if (c && c.kind !== 'alias' && !set.has(c)) {
      set.add(c);
      todo.push(c);
    }
    for (const al of byTarget.get(x) ?? []) {
      if (!set.has(al)) {
        set.add(al);
        todo.push(al);
      }
    }
  }
  return set;
}

/**
 * The render-order walk of every root (as render_memory_region visits regions), entering only
 * regions that lead to `target`: its placements come out in the order, and with the cap, of a
 * walk of everything, for the cost of the paths to it. (A walk of everything per analysis took
 * most of a second at 100k regions, after every edit.)
 */
function walkTo(a: Analysis, target: Region): Placement[] {
  const reach = leadingTo(a, target);
  const out: Placement[] = [];
  for (const [root, spaces] of roots(a)) {
    if (!reach.has(root)) continue;
    const stack: Frame[] = [];
    // Enter `mr` inside a parent window; alias hops are followed here, recording the
    // target on every hop, as render_memory_region does.
    const enter = (mr: Region, base: bigint, lo: bigint, hi: bigint, up: PathNode | null): void => {
      for (let hops = 0; hops < MAX_HOPS; hops++) {
        if (!mr.enabled) return;
        base += mr.addr;
        lo = base > lo ? base : lo;
        hi = base + mr.size < hi ? base + mr.size : hi;
        if (lo >= hi) return;
        const path: PathNode = { mr, up, depth: up ? up.depth + 1 : 1 };
        up = path;
        if (mr === target && out.length < MAX_PLACEMENTS) out.push(placement(spaces, path, base, lo, hi));
        if (mr.kind !== 'alias') {
          stack.push({ mr, base, lo, hi, path });
          return;
        }
        if (!mr.alias) return;
        base -= mr.alias.addr + mr.aliasOffset;
        mr = mr.alias;
      }
    };
    enter(root, 0n, 0n, TWO_64, null);
    for (let frames = 0; stack.length > 0 && frames < MAX_FRAMES; frames++) {
      const f = stack.pop()!;
      // Children in reverse so that the stack visits them in list order.
      const kids = f.mr.children;
      for (let i = kids.length - 1; i >= 0; i--) if (reach.has(kids[i])) enter(kids[i], f.base, f.lo, f.hi, f.path);
    }
  }
  return out;
}

/** The visible pieces of `root`'s view within [start, end): a render clipped to that window. */
function segmentsIn(root: Region, start: bigint, end: bigint): VisibleSegment[] {
  return visibleSegments(renderPieces(root, { lo: start, hi: end }).pieces);
}

/** The regions whose pieces count as the region's own: itself, its subregions, alias targets. */
function subtree(r: Region): Set<Region> {
  const seen = new Set<Region>([r]);
  const todo = [r];
  while (todo.length > 0 && seen.size < MAX_FRAMES) {
    const x = todo.pop()!;
    for (const next of x.alias ? [...x.children, x.alias] : x.children) {
      if (!seen.has(next)) {
        seen.add(next);
        todo.push(next);
      }
    }
  }
  return seen;
}

/** Splits a placement's window into the parts visible in the flat view and the hidden ones. */
export function visibility(a: Analysis, region: Region, p: Placement): { visible: Part[]; hidden: Part[] } {
  const visible: Part[] = [];
  const hidden: Part[] = [];
  const own = subtree(region);
  const push = (list: Part[], part: Part): void => {
    const last = list[list.length - 1];
    if (last && last.end === part.start && last.by === part.by) list[list.length - 1] = { ...last, end: part.end };
    else list.push(part);
  };
  for (const s of segmentsIn(p.path[0], p.start, p.end)) {
    if (s.end <= p.start || s.start >= p.end) continue;
    const part = { start: s.start > p.start ? s.start : p.start, end: s.end < p.end ? s.end : p.end };
    // The region itself must be reached along this very path (same base), not another one.
    const mine = own.has(s.piece.mr) && (s.piece.mr !== region || s.piece.base === p.base);
    if (mine) push(visible, part);
    else push(hidden, { ...part, by: s.piece.mr });
  }
  return { visible, hidden };
}

/** The aliases whose target is `r`. */
export function aliasesOf(a: Analysis, r: Region): Region[] {
  return (aliasIndex(a).get(r) ?? []).slice();
}
