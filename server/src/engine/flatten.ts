// QEMU's flattening (spec §3): render_memory_region in precedence order, then
// flatview_simplify. The render order gives every terminating piece a rank (first
// rendered = lowest rank); the visible owner of an address is the lowest-ranked piece
// covering it (R-FLAT-5), computed by a sweep with a heap: O(P log P), no recursion.
import { bigOf } from '../base/bigint.js';
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
 * pieces in render order (index = rank). `truncated` is set when MAX_DEPTH was hit. With a
 * `window`, rendering starts clipped to it (as QEMU clips to the root): the pieces are those of
 * the whole render cut to the window, in the same order, and subtrees outside it are skipped.
 */
export function renderPieces(root: Region | null, window?: { lo: bigint; hi: bigint }): { pieces: Piece[]; truncated: boolean } {
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

  const first = enter(root, 0n, window ? window.lo : 0n, window ? window.hi : TWO_64, false, false, null);
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
  return (root && flattenFloat(root)) || flattenViewExact(root);
}

/** `flattenView` computed with bigints throughout (the fallback of the float64 path; exported for tests). */
export function flattenViewExact(root: Region | null): FlatRange[] {
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

// ---- The float64 path ----------------------------------------------------------------------
// The same render, sweep and merge as above on float64 values, with typed arrays instead of a
// Piece and a segment object per piece: allocation-free until the output. Every value is an
// integer and every sum is checked to be exact (below 2^53, or TwoSum's error term is 0), so
// the results are the exact ones; the first inexact sum, or a render that hits a limit, gives
// up and the bigint path above computes the view instead. Addresses near 2^64 are mostly exact
// too (`2^64 + 0x8000_0000` needs 33 significant bits).

const SAFE = 2 ** 53;

/** a + b for integral doubles; NaN when the rounded sum is not the exact one (or NaN came in). */
function addExact(a: number, b: number): number {
  const s = a + b;
  if (s < SAFE && s > -SAFE) return s;
  const bb = s - a;
  const err = (a - (s - bb)) + (b - bb);
  return err === 0 ? s : NaN;
}

/** A bigint as a double, NaN when that is not exact. */
function toF(x: bigint): number {
  const n = Number(x);
  return (n < SAFE && n > -SAFE) || BigInt(n) === x ? n : NaN;
}

/** An exact integral double as a bigint, shared for safe integers. */
function toBig(n: number): bigint {
  return n < SAFE && n > -SAFE ? bigOf(n) : BigInt(n);
}

const RO = 1;
const NV = 2;

/** The flat view of `root` in float64 arithmetic, or null when that would not be exact. */
function flattenFloat(root: Region): FlatRange[] | null {
  const p = renderPiecesFloat(root, false);
  if (!p) return null;
  const segs = visibleSegmentsFloat(p);
  const out: FlatRange[] = [];
  let i = 0;
  while (i < segs.count) {
    const k = segs.piece[i];
    const start = segs.start[i];
    let end = segs.end[i];
    const offset = addExact(start, -p.base[k]);
    if (offset !== offset) return null;
    // can_merge, as in flattenViewExact (the flags hold readonly and nonvolatile).
    for (i++; i < segs.count; i++) {
      const q = segs.piece[i];
      if (segs.start[i] !== end || p.mr[q] !== p.mr[k] || p.flags[q] !== p.flags[k]) break;
      const off = addExact(segs.start[i], -p.base[q]);
      const want = addExact(offset, addExact(end, -start));
      if (off !== off || want !== want) return null;
      if (off !== want) break;
      end = segs.end[i];
    }
    const size = addExact(end, -start);
    if (size !== size) return null;
    const f = p.flags[k];
    const mr = p.mr[k];
    out.push({
      start: toBig(start), size: toBig(size), mr, offsetInRegion: toBig(offset),
      readonly: (f & RO) !== 0, nonvolatile: (f & NV) !== 0, romdMode: mr.romdMode,
    });
  }
  return out;
}

/**
 * Indices 0..m-1 ordered by `key` (non-negative doubles): an LSD radix sort on the IEEE bit
 * patterns, whose order is the numeric one for non-negative values, 16 bits per pass; passes
 * in which every key has the same digit are skipped.
 */
/** 0 on little-endian machines (word 2i is the low half of double i), 1 on big-endian ones. */
const HIGH_WORD_FIRST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;

function sortByKey(key: Float64Array): Uint32Array {
  const m = key.length;
  const words = new Uint32Array(key.buffer, key.byteOffset, 2 * m);
  let src = new Uint32Array(m);
  let dst = new Uint32Array(m);
  for (let i = 0; i < m; i++) src[i] = i;
  const count = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const half = (pass >> 1) ^ HIGH_WORD_FIRST;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < m; i++) count[(words[2 * i + half] >>> shift) & 0xffff]++;
    if (count[(words[half] >>> shift) & 0xffff] === m) continue;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < m; i++) {
      const e = src[i];
      dst[count[(words[2 * e + half] >>> shift) & 0xffff]++] = e;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}

// ---- Pieces and segments in float64 ---------------------------------------------------------
// renderPieces and visibleSegments on float64 values, for flattenFloat and for callers that need
// the pieces themselves (the memory map's hidden parts): the same pieces in the same order, with
// every sum checked exact; null whenever the bigint functions must decide instead (an
// inexact sum, or a render that hits a limit and would be marked truncated).

/** renderPieces's result as columns: piece i is [start[i], end[i]) of mr[i], etc. */
export interface FloatPieces {
  readonly count: number;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly base: Float64Array;
  /** 1 read-only | 2 nonvolatile. */
  readonly flags: Uint8Array;
  readonly mr: readonly Region[];
  readonly via: readonly (readonly Region[])[];
}

/**
 * `renderPieces(root)` in float64, or null when that would not be exact (or would be truncated).
 * Without `withVia` the alias chains are left empty (the flat view does not need them).
 */
export function renderPiecesFloat(root: Region | null, withVia = true): FloatPieces | null {
  let cap = 1024;
  let pStart = new Float64Array(cap);
  let pEnd = new Float64Array(cap);
  let pBase = new Float64Array(cap);
  let pFl = new Uint8Array(cap);
  const pMr: Region[] = [];
  const pVia: (readonly Region[])[] = [];
  let n = 0;
  const done = (): FloatPieces => ({
    count: n, start: pStart.subarray(0, n), end: pEnd.subarray(0, n), base: pBase.subarray(0, n), flags: pFl.subarray(0, n),
    mr: pMr, via: pVia,
  });
  if (!root) return done();
  const sMr: Region[] = [];
  const sBase: number[] = [];
  const sLo: number[] = [];
  const sHi: number[] = [];
  const sFl: number[] = [];
  const sVia: (ViaNode | null)[] = [];
  const sNext: number[] = [];
  let giveUp = false;
  let eMr = root;
  let eBase = 0;
  let eLo = 0;
  let eHi = 0;
  let eFl = 0;
  let eVia: ViaNode | null = null;

  // Steps 1–4 as in renderPieces: false when nothing is rendered (or on giving up).
  const enter = (mr: Region, base: number, lo: number, hi: number, fl: number, via: ViaNode | null): boolean => {
    for (let hops = 0; ; hops++) {
      if (!mr.enabled) return false;
      if (mr.addr !== 0n) base = addExact(base, toF(mr.addr));
      if (mr.readonly) fl |= RO;
      if (mr.nonvolatile) fl |= NV;
      const rhi = addExact(base, toF(mr.size));
      if (rhi !== rhi) {
        giveUp = true;
        return false;
      }
      if (base > lo) lo = base;
      if (rhi < hi) hi = rhi;
      if (lo >= hi) return false;
      if (mr.kind !== 'alias') {
        eMr = mr;
        eBase = base;
        eLo = lo;
        eHi = hi;
        eFl = fl;
        eVia = via;
        return true;
      }
      const target = mr.alias;
      if (!target) return false;
      if (hops > MAX_DEPTH) {
        giveUp = true;
        return false;
      }
      base = addExact(base, -addExact(toF(target.addr), toF(mr.aliasOffset)));
      if (withVia) via = { alias: mr, up: via, depth: via ? via.depth + 1 : 1 };
      mr = target;
    }
  };
  const piece = (mr: Region, lo: number, hi: number, base: number, fl: number, via: ViaNode | null): void => {
    if (n === cap) {
      cap *= 2;
      const s2 = new Float64Array(cap); s2.set(pStart); pStart = s2;
      const e2 = new Float64Array(cap); e2.set(pEnd); pEnd = e2;
      const b2 = new Float64Array(cap); b2.set(pBase); pBase = b2;
      const f2 = new Uint8Array(cap); f2.set(pFl); pFl = f2;
    }
    pStart[n] = lo;
    pEnd[n] = hi;
    pBase[n] = base;
    pFl[n] = fl;
    pMr.push(mr);
    pVia.push(viaArray(via));
    n++;
  };

  if (enter(root, 0, 0, 2 ** 64, 0, null)) {
    sMr.push(eMr); sBase.push(eBase); sLo.push(eLo); sHi.push(eHi); sFl.push(eFl); sVia.push(eVia); sNext.push(0);
  }
  let work = 0;
  while (sMr.length > 0 && !giveUp) {
    if (++work > MAX_WORK) return null;
    const top = sMr.length - 1;
    const mr = sMr[top];
    const kids = mr.children;
    const next = sNext[top];
    if (next < kids.length) {
      sNext[top] = next + 1;
      if (sMr.length >= MAX_DEPTH) return null;
      if (!enter(kids[next], sBase[top], sLo[top], sHi[top], sFl[top], sVia[top])) continue;
      if (eMr.children.length === 0) {
        if (terminates(eMr)) piece(eMr, eLo, eHi, eBase, eFl, eVia);
        continue;
      }
      sMr.push(eMr); sBase.push(eBase); sLo.push(eLo); sHi.push(eHi); sFl.push(eFl); sVia.push(eVia); sNext.push(0);
      continue;
    }
    if (terminates(mr)) piece(mr, sLo[top], sHi[top], sBase[top], sFl[top], sVia[top]);
    sMr.pop(); sBase.pop(); sLo.pop(); sHi.pop(); sFl.pop(); sVia.pop(); sNext.pop();
  }
  return giveUp ? null : done();
}

/** visibleSegments's result as columns: segment i is [start[i], end[i]) of piece[i]. */
export interface FloatSegments {
  readonly count: number;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly piece: Int32Array;
}

/** `visibleSegments` of float pieces (the same segments; every value is exact). */
export function visibleSegmentsFloat(p: FloatPieces): FloatSegments {
  const n = p.count;
  const m = 2 * n;
  const start = new Float64Array(m);
  const end = new Float64Array(m);
  const piece = new Int32Array(m);
  let count = 0;
  if (n === 0) return { count, start, end, piece };
  const key = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    key[i] = p.start[i] + 0; // + 0 turns -0 into 0 for the bitwise sort
    key[n + i] = p.end[i] + 0;
  }
  const ev = sortByKey(key);
  const ended = new Uint8Array(n);
  const heap = new Int32Array(n);
  let hn = 0;
  let k = 0;
  while (k < m) {
    const at = key[ev[k]];
    while (k < m && key[ev[k]] === at) {
      const e = ev[k++];
      if (e < n) {
        let i = hn++;
        while (i > 0) {
          const q = (i - 1) >> 1;
          if (heap[q] <= e) break;
          heap[i] = heap[q];
          i = q;
        }
        heap[i] = e;
      } else ended[e - n] = 1;
    }
    while (hn > 0 && ended[heap[0]]) {
      const last = heap[--hn];
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= hn) break;
        if (c + 1 < hn && heap[c + 1] < heap[c]) c++;
        if (heap[c] >= last) break;
        heap[i] = heap[c];
        i = c;
      }
      heap[i] = last;
    }
    if (hn === 0 || k >= m) continue;
    const next = key[ev[k]];
    const top = heap[0];
    if (count > 0 && piece[count - 1] === top && end[count - 1] === at) end[count - 1] = next;
    else {
      start[count] = at;
      end[count] = next;
      piece[count++] = top;
    }
  }
  return { count, start: start.subarray(0, count), end: end.subarray(0, count), piece: piece.subarray(0, count) };
}

/** An exact integral double as a bigint (for callers of the float64 functions above). */
export const bigOfExact = toBig;
