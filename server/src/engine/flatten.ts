// QEMU's flattening (spec §3): render_memory_region in precedence order, then
// flatview_simplify. The render order gives every terminating piece a rank (first
// rendered = lowest rank); the visible owner of an address is the lowest-ranked piece
// covering it (R-FLAT-5), computed by a sweep with a heap: O(P log P), no recursion.
import { type Region, TWO_64, terminates } from '../model/region.js';

export interface FlatRange {
  /** First address. */
  readonly start: bigint;
  /** Size in bytes (1 .. 2^64). */
  readonly size: bigint;
  /** The leaf region rendered here (never an alias or pure container). */
  readonly mr: Region;
  /** Offset of `start` inside `mr` (R-FLAT-8). */
  readonly offsetInRegion: bigint;
  readonly readonly: boolean;
  readonly nonvolatile: boolean;
  readonly romdMode: boolean;
}

/** One terminating region rendered into one clip window (a candidate piece). */
export interface Piece {
  start: bigint;
  end: bigint; // exclusive, ≤ 2^64
  mr: Region;
  /** Absolute address of `mr`'s byte 0 along this render path. */
  base: bigint;
  readonly: boolean;
  nonvolatile: boolean;
  /** The aliases passed through on the way to `mr`, outermost first. */
  via: readonly Region[];
}

/** Limit on render nesting (containers + alias hops) so a cyclic graph cannot hang us. */
const MAX_DEPTH = 100_000;
/**
 * Limit on regions entered in one render. Acyclic graphs stay far below it (each alias
 * re-renders its target once); a cycle of aliases would otherwise grow exponentially.
 */
const MAX_WORK = 20_000_000;

interface Frame {
  mr: Region;
  base: bigint;
  lo: bigint;
  hi: bigint;
  ro: boolean;
  nv: boolean;
  via: ViaNode | null;
  next: number;
}

/**
 * The aliases passed on a render path, as a list that shares its prefix with the parent's:
 * copying an array per alias hop would be quadratic in the length of an alias chain.
 */
interface ViaNode {
  readonly alias: Region;
  readonly up: ViaNode | null;
  readonly depth: number;
  /** The path as an array, made once for all pieces below this hop. */
  arr?: readonly Region[];
}

const NO_VIA: readonly Region[] = [];

function viaArray(n: ViaNode | null): readonly Region[] {
  if (!n) return NO_VIA;
  if (!n.arr) {
    const a = new Array<Region>(n.depth);
    for (let x: ViaNode | null = n; x; x = x.up) a[x.depth - 1] = x.alias;
    n.arr = a;
  }
  return n.arr;
}

/**
 * render_memory_region (R-FLAT-2) for the whole tree under `root`: returns the candidate
 * pieces in render order (index = rank). `truncated` is set when MAX_DEPTH was hit.
 */
export function renderPieces(root: Region | null): { pieces: Piece[]; truncated: boolean } {
  const pieces: Piece[] = [];
  let truncated = false;
  if (!root) return { pieces, truncated };
  const stack: Frame[] = [];

  // Steps 1–4 for `mr` entered with the parent's base/clip: returns a frame to push, or null.
  const enter = (
    mr: Region, base: bigint, lo: bigint, hi: bigint, ro: boolean, nv: boolean, via: ViaNode | null,
  ): Frame | null => {
    for (let hops = 0; ; hops++) {
      if (!mr.enabled) return null;
      if (mr.addr !== 0n) base += mr.addr;
      ro ||= mr.readonly;
      nv ||= mr.nonvolatile;
      const rlo = base;
      const rhi = base + mr.size;
      if (rlo > lo) lo = rlo;
      if (rhi < hi) hi = rhi;
      if (lo >= hi) return null;
      if (mr.kind !== 'alias') return { mr, base, lo, hi, ro, nv, via, next: 0 };
      const target = mr.alias;
      if (!target || hops > MAX_DEPTH) {
        if (target) truncated = true;
        return null;
      }
      base -= target.addr + mr.aliasOffset;
      // The target's own addr is added back on the next turn (step 2), so the
      // target's byte `aliasOffset` lands at the alias's start.
      via = { alias: mr, up: via, depth: via ? via.depth + 1 : 1 };
      mr = target;
    }
  };

  const first = enter(root, 0n, 0n, TWO_64, false, false, null);
  if (first) stack.push(first);
  let work = 0;
  while (stack.length > 0) {
    if (++work > MAX_WORK) {
      truncated = true;
      break;
    }
    const f = stack[stack.length - 1];
    const kids = f.mr.children;
    if (f.next < kids.length) {
      const child = kids[f.next++];
      if (stack.length >= MAX_DEPTH) {
        truncated = true;
        continue;
      }
      const cf = enter(child, f.base, f.lo, f.hi, f.ro, f.nv, f.via);
      if (!cf) continue;
      if (cf.mr.children.length === 0) {
        // A leaf: nothing to visit, so render it at once without a stack frame.
        if (terminates(cf.mr)) {
          pieces.push({ start: cf.lo, end: cf.hi, mr: cf.mr, base: cf.base, readonly: cf.ro, nonvolatile: cf.nv, via: viaArray(cf.via) });
        }
        continue;
      }
      stack.push(cf);
      continue;
    }
    stack.pop();
    // Step 6/7: a terminating region fills what its subregions left (R-FLAT-6).
    if (terminates(f.mr)) {
      pieces.push({ start: f.lo, end: f.hi, mr: f.mr, base: f.base, readonly: f.ro, nonvolatile: f.nv, via: viaArray(f.via) });
    }
  }
  return { pieces, truncated };
}

/** Min-heap of piece ranks. */
class RankHeap {
  private a: number[] = [];
  get size(): number {
    return this.a.length;
  }
  peek(): number {
    return this.a[0];
  }
  push(v: number): void {
    const a = this.a;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p] <= v) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = v;
  }
  pop(): void {
    const a = this.a;
    const last = a.pop()!;
    if (a.length === 0) return;
    let i = 0;
    const n = a.length;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && a[c + 1] < a[c]) c++;
      if (a[c] >= last) break;
      a[i] = a[c];
      i = c;
    }
    a[i] = last;
  }
}

export interface VisibleSegment {
  start: bigint;
  end: bigint;
  piece: Piece;
}

/** The visible piece at every address (R-FLAT-5), as maximal per-piece segments in address order. */
export function visibleSegments(pieces: readonly Piece[]): VisibleSegment[] {
  const n = pieces.length;
  const out: VisibleSegment[] = [];
  if (n === 0) return out;
  // Events: e < n is the start of piece e, e ≥ n the end of piece e − n. They are sorted by
  // a float64 key first (Number() of a bigint is monotone, so this only leaves ties among
  // huge addresses to the exact bigint comparison).
  const m = 2 * n;
  const pos: bigint[] = new Array(m);
  const key = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const p = pieces[i];
    pos[i] = p.start;
    pos[n + i] = p.end;
    key[i] = Number(p.start);
    key[n + i] = Number(p.end);
  }
  const ev = new Uint32Array(m);
  for (let i = 0; i < m; i++) ev[i] = i;
  ev.sort((x, y) => {
    const d = key[x] - key[y];
    if (d !== 0) return d;
    const a = pos[x];
    const b = pos[y];
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const ended = new Uint8Array(n);
  const heap = new RankHeap();
  let k = 0;
  let prev: VisibleSegment | undefined;
  while (k < m) {
    const at = pos[ev[k]];
    const atKey = key[ev[k]];
    while (k < m && key[ev[k]] === atKey && pos[ev[k]] === at) {
      const e = ev[k++];
      if (e < n) heap.push(e);
      else ended[e - n] = 1;
    }
    while (heap.size > 0 && ended[heap.peek()]) heap.pop();
    if (heap.size === 0 || k >= m) continue;
    const next = pos[ev[k]];
    const p = pieces[heap.peek()];
    if (prev && prev.piece === p && prev.end === at) prev.end = next;
    else {
      prev = { start: at, end: next, piece: p };
      out.push(prev);
    }
  }
  return out;
}

/** generate_memory_topology (R-FLAT-1) with flatview_simplify (R-FLAT-9): the flat view of `root`. */
export function flattenView(root: Region | null): FlatRange[] {
  const segs = visibleSegments(renderPieces(root).pieces);
  const out: FlatRange[] = [];
  let i = 0;
  while (i < segs.length) {
    const p = segs[i].piece;
    const start = segs[i].start;
    let end = segs[i].end;
    const offset = start - p.base;
    // can_merge: adjacent, same region, contiguous offsets, equal romd/readonly/nonvolatile
    // (dirty_log_mask is a per-region constant, R-FLAT-10).
    for (i++; i < segs.length; i++) {
      const q = segs[i].piece;
      if (
        segs[i].start !== end || q.mr !== p.mr || segs[i].start - q.base !== offset + (end - start) ||
        q.readonly !== p.readonly || q.nonvolatile !== p.nonvolatile
      ) break;
      end = segs[i].end;
    }
    out.push({
      start, size: end - start, mr: p.mr, offsetInRegion: offset, readonly: p.readonly, nonvolatile: p.nonvolatile,
      romdMode: p.mr.romdMode,
    });
  }
  return out;
}
