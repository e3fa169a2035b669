// The memory map's vertical axis: sorted boundary addresses and their y coordinates in one of
// three scales. `compressed` gives every occupied stretch a height that grows with the log of
// its size and collapses every empty stretch into a fixed-height break mark, so a 4 KiB
// register and a 2^64 container are both readable; `linear` and `log` map addresses directly.
// Pure and allocation-light: it runs on 100k-region machines at every redraw of the view.

export type ScaleKind = 'compressed' | 'linear' | 'log';

export interface ScaleOptions {
  /** Height of a break mark (compressed). */
  readonly gapHeight: number;
  /** Height of a 1-byte occupied stretch (compressed). */
  readonly minBand: number;
  /** Extra height per doubling of an occupied stretch's size (compressed). */
  readonly perOctave: number;
  /** Total height of the linear and log scales. */
  readonly height: number;
}

export const defaultScaleOptions: ScaleOptions = { gapHeight: 22, minBand: 14, perOctave: 1.25, height: 4000 };

/** An empty stretch collapsed into a break mark (compressed scale only). */
export interface AxisBreak {
  readonly start: bigint;
  readonly end: bigint;
  readonly y0: number;
  readonly y1: number;
  /** `1.5 GiB`: the size of the gap. */
  readonly size: string;
}

export interface Axis {
  readonly kind: ScaleKind;
  /** Boundary addresses, ascending, unique: the places where something starts or ends. */
  readonly stops: readonly bigint[];
  /** y of each stop. */
  readonly ys: Float64Array;
  readonly breaks: readonly AxisBreak[];
  readonly height: number;
  /** Hex digits of the axis labels (a multiple of 4, 4..16). */
  readonly digits: number;
}

/** A break whose addresses and size text are made when read (a view draws a few of thousands). */
class Break implements AxisBreak {
  private text?: string;
  constructor(private readonly stops: readonly bigint[], private readonly i: number, readonly y0: number, readonly y1: number) {}
  get start(): bigint {
    return this.stops[this.i];
  }
  get end(): bigint {
    return this.stops[this.i + 1];
  }
  get size(): string {
    return (this.text ??= shortSize(this.end - this.start));
  }
}

/** Merges ascending lists (duplicates allowed) into one ascending list without duplicates. */
export function mergeUnique(lists: readonly (readonly bigint[])[]): bigint[] {
  // Shortest two first, so that the one long list (a big column) is copied once.
  const work = lists.filter((l) => l.length > 0).sort((a, b) => a.length - b.length);
  if (work.length === 0) return [];
  if (work.length === 1) return merge2(work[0], []);
  while (work.length > 1) {
    const merged = merge2(work.shift()!, work.shift()!);
    let k = 0;
    while (k < work.length && work[k].length < merged.length) k++;
    work.splice(k, 0, merged);
  }
  return work[0] as bigint[];
}

/** Ascending merge of two ascending lists, dropping duplicates. */
function merge2(a: readonly bigint[], b: readonly bigint[]): bigint[] {
  const out: bigint[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const v = a[i] <= b[j] ? a[i++] : b[j++];
    if (k === 0 || out[k - 1] !== v) out[k++] = v;
  }
  for (; i < a.length; i++) if (k === 0 || out[k - 1] !== a[i]) out[k++] = a[i];
  for (; j < b.length; j++) if (k === 0 || out[k - 1] !== b[j]) out[k++] = b[j];
  out.length = k;
  return out;
}

/** Index of `addr` in the ascending `stops`, or of the last stop below it (-1 if none). */
export function stopIndex(stops: readonly bigint[], addr: bigint): number {
  let lo = 0;
  let hi = stops.length - 1;
  if (hi < 0 || addr < stops[0]) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (stops[mid] <= addr) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The axis over `stops` (ascending, unique, starting at 0). `occupied[i]` says whether the
 * stretch [stops[i], stops[i+1]) shows anything in any column. `f`, when given, holds the same
 * stops as exact doubles.
 */
export function buildAxis(
  stops: readonly bigint[], occupied: Uint8Array, kind: ScaleKind, o: ScaleOptions = defaultScaleOptions, f?: Float64Array,
): Axis {
  const n = stops.length;
  const ys = new Float64Array(n);
  const breaks: AxisBreak[] = [];
  const top = n > 0 ? stops[n - 1] : 0n;
  if (kind === 'compressed') {
    let y = 0;
    for (let i = 0; i + 1 < n; i++) {
      ys[i] = y;
      if (occupied[i]) {
        // `f`: the same stops as exact doubles (their difference is then the rounded size too).
        y += o.minBand + o.perOctave * Math.log2(f ? f[i + 1] - f[i] : Number(stops[i + 1] - stops[i]));
      } else {
        breaks.push(new Break(stops, i, y, y + o.gapHeight));
        y += o.gapHeight;
      }
    }
    if (n > 0) ys[n - 1] = y;
    return { kind, stops, ys, breaks, height: y, digits: labelDigits(top) };
  }
  const span = Number(top);
  const logTop = Math.log2(span + 1);
  for (let i = 0; i < n; i++) {
    const v = f ? f[i] : Number(stops[i]);
    ys[i] = span === 0 ? 0 : kind === 'linear' ? (o.height * v) / span : (o.height * Math.log2(v + 1)) / logTop;
  }
  return { kind, stops, ys, breaks, height: n > 1 ? o.height : 0, digits: labelDigits(top) };
}

/** y of any address on the axis (interpolated inside a stretch); null beyond its ends. */
export function yAt(axis: Axis, addr: bigint): number | null {
  const { stops, ys } = axis;
  const i = stopIndex(stops, addr);
  if (i < 0 || (i === stops.length - 1 && addr !== stops[i])) return null;
  if (addr === stops[i]) return ys[i];
  const frac = Number(addr - stops[i]) / Number(stops[i + 1] - stops[i]);
  if (axis.kind === 'log') {
    const a = Number(stops[i]);
    const b = Number(stops[i + 1]);
    const t = (Math.log2(Number(addr) + 1) - Math.log2(a + 1)) / (Math.log2(b + 1) - Math.log2(a + 1));
    return ys[i] + (ys[i + 1] - ys[i]) * (Number.isFinite(t) ? t : frac);
  }
  return ys[i] + (ys[i + 1] - ys[i]) * frac;
}

/** The address at height y (inverse of yAt, rounded down); for zooming to a spot. */
export function addrAt(axis: Axis, y: number): bigint {
  const { stops, ys } = axis;
  if (stops.length === 0 || y <= ys[0]) return stops[0] ?? 0n;
  let lo = 0;
  let hi = ys.length - 1;
  if (y >= ys[hi]) return stops[hi];
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ys[mid] <= y) lo = mid;
    else hi = mid - 1;
  }
  const frac = (y - ys[lo]) / (ys[lo + 1] - ys[lo] || 1);
  const span = stops[lo + 1] - stops[lo];
  // Scale in 2^20 steps to stay exact with bigints.
  return stops[lo] + (span * BigInt(Math.floor(frac * 1048576))) / 1048576n;
}

function labelDigits(top: bigint): number {
  const last = top > 0n ? top - 1n : 0n;
  const d = Math.ceil(last.toString(16).length / 4) * 4;
  return Math.min(16, Math.max(4, d));
}

/** Exact hex with `_` every four digits, zero-padded to `digits`: `0x0000_0000_fee0_0000`. */
export function formatAddr(addr: bigint, digits = 16): string {
  const h = addr.toString(16).padStart(digits, '0');
  let out = '';
  for (let i = h.length; i > 0; i -= 4) out = h.slice(Math.max(0, i - 4), i) + (out ? '_' + out : '');
  return '0x' + out;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** A size in the largest binary unit, exact when whole (`4 KiB`, `16 EiB`), else one decimal (`~1.5 GiB`). */
export function shortSize(size: bigint): string {
  let u = 0;
  let v = size;
  while (u < UNITS.length - 1 && v >= 1024n && v % 1024n === 0n) {
    v /= 1024n;
    u++;
  }
  if (v < 1024n) return `${v} ${UNITS[u]}`;
  let x = Number(size);
  u = 0;
  while (x >= 1024 && u < UNITS.length - 1) {
    x /= 1024;
    u++;
  }
  return `~${x.toFixed(1)} ${UNITS[u]}`;
}
