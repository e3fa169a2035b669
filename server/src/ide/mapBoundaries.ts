// The memory map's boundaries for the layout (mapLayout.ts): every band, hidden part and limit
// address merged into the axis's ascending unique stops, the stop indices of each band and
// part, and which stretches are occupied; on bigints, or on the view's exact float64 columns.
import { bigOf } from '../base/bigint.js';
import { lazyList } from './mapLazy.js';
import { mergeUnique, stopIndex } from './mapScale.js';
import type { MapInput } from './mapTypes.js';

const byAddr = (x: bigint, y: bigint) => (x < y ? -1 : x > y ? 1 : 0);

/** What the axis needs from the input, whatever the scale's heights: stops, indices, occupancy. */
export interface Prepared {
  stops: bigint[];
  /** The same stops as doubles, when the input has float columns (every value exact). */
  stopsF?: Float64Array;
  onAxis: boolean[];
  mainIdx: Int32Array[];
  hiddenIdx: Int32Array[];
  occupied: Uint8Array;
  total: number;
}

/** Per input, the prepared boundaries for linear (limits beyond the content dropped) and the others. */
const prepCache = new WeakMap<MapInput, { linear?: Prepared; other?: Prepared }>();

/**
 * The boundaries of `input`'s bands, hidden parts and limits as the axis's stops, each band's
 * and hidden part's stop indices, and which stretches show anything; cached per input.
 */
export function prepare(input: MapInput, linear: boolean): Prepared {
  let entry = prepCache.get(input);
  if (!entry) prepCache.set(input, (entry = {}));
  const hit = linear ? entry.linear : entry.other;
  if (hit) return hit;
  const cols = input.columns;
  const flat = cols.every((c) => c.flat) ? prepareFlat(input, linear) : undefined;
  if (flat) {
    if (linear) entry.linear = flat;
    else entry.other = flat;
    return flat;
  }

  // 1. Boundaries: a column's bands are sorted and disjoint, so its boundaries ascend
  //    (written once where one band ends and the next begins); hidden parts are sorted by
  //    start only, their ends need a sort.
  const lists: bigint[][] = [[0n]];
  let contentEnd = 0n;
  for (const c of cols) {
    const b: bigint[] = new Array(c.bands.length * 2);
    let n = 0;
    for (const band of c.bands) {
      if (n === 0 || b[n - 1] !== band.start) b[n++] = band.start;
      b[n++] = band.end;
    }
    b.length = n;
    lists.push(b);
    if (b.length > 0 && b[b.length - 1] > contentEnd) contentEnd = b[b.length - 1];
    if (c.hidden.length > 0) {
      lists.push(c.hidden.map((h) => h.start));
      const ends = c.hidden.map((h) => h.end).sort(byAddr);
      lists.push(ends);
      if (ends[ends.length - 1] > contentEnd) contentEnd = ends[ends.length - 1];
    }
  }
  // Limit lines are boundaries too, except on the linear scale beyond the content, where
  // one line at 2^46 would squeeze everything below 4 GiB into a pixel.
  const onAxis = input.limits.map((l) => !linear || l.addr <= contentEnd || contentEnd === 0n);
  lists.push(input.limits.filter((_, i) => onAxis[i]).map((l) => l.addr).sort(byAddr));
  const stops = mergeUnique(lists);

  // 2. Stop indices of every band boundary (a pointer walk per column, binary search for
  //    hidden parts), and the occupancy of each stretch over all columns (difference array).
  const diff = new Int32Array(stops.length + 1);
  const mainIdx: Int32Array[] = [];
  const hiddenIdx: Int32Array[] = [];
  let total = 0;
  for (const c of cols) {
    const idx = new Int32Array(c.bands.length * 2);
    let p = 0;
    for (let i = 0; i < c.bands.length; i++) {
      const band = c.bands[i];
      while (p < stops.length - 1 && stops[p] !== band.start) p++;
      let q = p + 1;
      while (q < stops.length - 1 && stops[q] !== band.end) q++;
      idx[2 * i] = p;
      idx[2 * i + 1] = q;
      diff[p]++;
      diff[q]--;
      p = q;
    }
    mainIdx.push(idx);
    const hidx = new Int32Array(c.hidden.length * 2);
    for (let i = 0; i < c.hidden.length; i++) {
      const p0 = stopIndex(stops, c.hidden[i].start);
      const q0 = stopIndex(stops, c.hidden[i].end);
      hidx[2 * i] = p0;
      hidx[2 * i + 1] = q0;
      diff[p0]++;
      diff[q0]--;
    }
    hiddenIdx.push(hidx);
    total += c.bands.length + c.hidden.length;
  }
  const occupied = new Uint8Array(Math.max(0, stops.length - 1));
  for (let i = 0, run = 0; i < occupied.length; i++) {
    run += diff[i];
    occupied[i] = run > 0 ? 1 : 0;
  }
  const out: Prepared = { stops, onAxis, mainIdx, hiddenIdx, occupied, total };
  if (linear) entry.linear = out;
  else entry.other = out;
  return out;
}

/**
 * `prepare` on the columns' float64 form (a view's decoded wire form): the same merges and
 * walks on doubles, without a bigint per boundary until the stops. Exact: every value is below
 * 2^53, limits are powers of two.
 */
function prepareFlat(input: MapInput, linear: boolean): Prepared {
  const cols = input.columns.map((c) => c.flat!);
  // Ascending runs merged pairwise (as mergeUnique does with bigints): a column's band
  // boundaries and its hidden starts ascend already; only hidden ends need a sort.
  const lists: Float64Array[] = [Float64Array.of(0)];
  let contentEnd = 0;
  for (const c of cols) {
    const b = new Float64Array(c.bandStart.length * 2);
    let n = 0;
    for (let i = 0; i < c.bandStart.length; i++) {
      if (n === 0 || b[n - 1] !== c.bandStart[i]) b[n++] = c.bandStart[i];
      b[n++] = c.bandEnd[i];
    }
    lists.push(b.subarray(0, n));
    if (n > 0 && b[n - 1] > contentEnd) contentEnd = b[n - 1];
    if (c.hiddenStart.length > 0) {
      lists.push(c.hiddenStart);
      const ends = c.hiddenEnd.slice().sort();
      lists.push(ends);
      if (ends[ends.length - 1] > contentEnd) contentEnd = ends[ends.length - 1];
    }
  }
  const onAxis = input.limits.map((l) => !linear || l.addr <= BigInt(contentEnd) || contentEnd === 0);
  lists.push(Float64Array.from(input.limits.filter((_, i) => onAxis[i]).map((l) => Number(l.addr))).sort());
  const stopsF = mergeFloat(lists);
  const m = stopsF.length;
  // The bigint stops are made when read: the view reads the few it labels.
  const stops = lazyList(m, (i) => bigOf(stopsF[i]));

  const diff = new Int32Array(m + 1);
  const mainIdx: Int32Array[] = [];
  const hiddenIdx: Int32Array[] = [];
  let total = 0;
  for (const c of cols) {
    // Bands ascend and are disjoint: one pointer walk.
    const idx = new Int32Array(c.bandStart.length * 2);
    let p = 0;
    for (let i = 0; i < c.bandStart.length; i++) {
      while (p < m - 1 && stopsF[p] !== c.bandStart[i]) p++;
      let q = p + 1;
      while (q < m - 1 && stopsF[q] !== c.bandEnd[i]) q++;
      idx[2 * i] = p;
      idx[2 * i + 1] = q;
      diff[p]++;
      diff[q]--;
      p = q;
    }
    mainIdx.push(idx);
    const hidx = new Int32Array(c.hiddenStart.length * 2);
    for (let i = 0; i < c.hiddenStart.length; i++) {
      const p0 = floatIndex(stopsF, c.hiddenStart[i]);
      const q0 = floatIndex(stopsF, c.hiddenEnd[i]);
      hidx[2 * i] = p0;
      hidx[2 * i + 1] = q0;
      diff[p0]++;
      diff[q0]--;
    }
    hiddenIdx.push(hidx);
    total += c.bandStart.length + c.hiddenStart.length;
  }
  const occupied = new Uint8Array(Math.max(0, m - 1));
  for (let i = 0, run = 0; i < occupied.length; i++) {
    run += diff[i];
    occupied[i] = run > 0 ? 1 : 0;
  }
  return { stops, stopsF, onAxis, mainIdx, hiddenIdx, occupied, total };
}

/** Ascending runs of doubles merged into one without duplicates (shortest two first). */
function mergeFloat(lists: Float64Array[]): Float64Array {
  const work = lists.filter((l) => l.length > 0).sort((a, b) => a.length - b.length);
  if (work.length === 0) return new Float64Array(0);
  if (work.length === 1) work.push(new Float64Array(0));
  while (work.length > 1) {
    const a = work.shift()!;
    const b = work.shift()!;
    const out = new Float64Array(a.length + b.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < a.length && j < b.length) {
      const v = a[i] <= b[j] ? a[i++] : b[j++];
      if (k === 0 || out[k - 1] !== v) out[k++] = v;
    }
    for (; i < a.length; i++) if (k === 0 || out[k - 1] !== a[i]) out[k++] = a[i];
    for (; j < b.length; j++) if (k === 0 || out[k - 1] !== b[j]) out[k++] = b[j];
    const merged = out.subarray(0, k);
    let at = 0;
    while (at < work.length && work[at].length < merged.length) at++;
    work.splice(at, 0, merged);
  }
  return work[0];
}

/** Index of the stop equal to `v` (binary search; `v` is a stop). */
function floatIndex(stops: Float64Array, v: number): number {
  let lo = 0;
  let hi = stops.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (stops[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
