// Regions that are mapped and never visible (MR3010): the renderer reaches them in some address
// space (enabled all the way, a non-empty window), yet in every flat view other regions are
// visible wherever they would be (R-FLAT-5: first rendered wins). A region counts as visible if
// any piece rendered from it, from a subregion of it, or through it as an alias shows somewhere
// in any flat view: a region hidden in one place but seen through an alias elsewhere is not
// reported. Of a hidden subtree only its outermost hidden region is reported.
import { type AddressSpace, type Machine, type Region } from '../model/region.js';
import { flatViewRoots } from './addressSpace.js';
import {
  bigOfExact, type Piece, renderPieces, renderPiecesFloat, visibleSegments, visibleSegmentsFloat,
} from './flatten.js';

export interface HiddenRegion {
  /** The outermost region of a subtree none of whose rendered pieces is visible. */
  readonly region: Region;
  /** The address spaces it is rendered in (creation order). */
  readonly spaces: readonly AddressSpace[];
  /** Its extent in the first flat view it is rendered in: `[start, end)`, from its first piece to its last. */
  readonly start: bigint;
  readonly end: bigint;
  /**
   * What is visible over its pieces instead, in address order, without repeats: the outermost
   * alias a visible piece was reached through, or its leaf region. At most MAX_BY.
   */
  readonly by: readonly Region[];
  /** How many distinct regions are visible over it in all (`by` may list fewer). */
  readonly byCount: number;
}

const MAX_BY = 3;

/**
 * One flat view's render, with float64 columns or bigint pieces (whichever flatten.ts gave).
 * Positions are numbers in the first case and bigints in the second; they are only compared
 * with each other, and turned into bigints (`big`) for what is reported.
 */
interface View {
  readonly spaces: AddressSpace[];
  readonly count: number;
  readonly mr: readonly Region[];
  readonly via: readonly (readonly Region[])[];
  readonly start: ArrayLike<number | bigint>;
  readonly end: ArrayLike<number | bigint>;
  /** Visible segments in address order: `[segStart, segEnd)` shows piece `segPiece`. */
  readonly segCount: number;
  readonly segPiece: ArrayLike<number>;
  readonly segStart: ArrayLike<number | bigint>;
  readonly segEnd: ArrayLike<number | bigint>;
}

function big(v: number | bigint): bigint {
  return typeof v === 'bigint' ? v : bigOfExact(v);
}

function viewOf(root: Region, spaces: AddressSpace[]): View | null {
  const fp = renderPiecesFloat(root, true);
  if (fp) {
    const segs = visibleSegmentsFloat(fp);
    return {
      spaces, count: fp.count, mr: fp.mr, via: fp.via, start: fp.start, end: fp.end,
      segCount: segs.count, segPiece: segs.piece, segStart: segs.start, segEnd: segs.end,
    };
  }
  const r = renderPieces(root);
  // A render cut short (an alias graph past the work limit) cannot tell hidden from not reached.
  if (r.truncated) return null;
  const pieces: Piece[] = r.pieces;
  const segs = visibleSegments(pieces);
  const index = new Map<Piece, number>(pieces.map((p, i) => [p, i]));
  return {
    spaces, count: pieces.length, mr: pieces.map((p) => p.mr), via: pieces.map((p) => p.via),
    start: pieces.map((p) => p.start), end: pieces.map((p) => p.end),
    segCount: segs.length, segPiece: segs.map((x) => index.get(x.piece)!), segStart: segs.map((x) => x.start), segEnd: segs.map((x) => x.end),
  };
}

/** The first visible segment of `v` that ends after `at` (segments are in address order). */
function firstSegmentAfter(v: View, at: number | bigint): number {
  let a = 0;
  let b = v.segCount;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (v.segEnd[mid] <= at) a = mid + 1;
    else b = mid;
  }
  return a;
}

/** The flat views of the machine, one per distinct resolved root (as engine/addressSpace.ts groups them). */
function views(m: Machine): View[] | null {
  const out: View[] = [];
  for (const [root, spaces] of flatViewRoots(m)) {
    if (!root) continue;
    const v = viewOf(root, spaces);
    if (!v) return null;
    out.push(v);
  }
  return out;
}

/** The regions of `m` that are rendered but never visible (outermost of each hidden subtree), in id order. */
export function hiddenRegions(m: Machine): HiddenRegion[] {
  const vs = views(m);
  if (!vs) return [];
  const n = m.regions.length;
  // Per region id: 1 rendered, 2 visible (a subregion's or an alias's piece counts for its containers).
  const seen = new Uint8Array(n);
  const mark = (r: Region, bit: number): void => {
    for (let x: Region | null = r; x && (seen[x.id] & bit) === 0; x = x.container) seen[x.id] |= bit;
  };
  for (const v of vs) {
    for (let i = 0; i < v.count; i++) {
      mark(v.mr[i], 1);
      for (const a of v.via[i]) mark(a, 1);
    }
    for (let k = 0; k < v.segCount; k++) {
      const i = v.segPiece[k];
      mark(v.mr[i], 2);
      for (const a of v.via[i]) mark(a, 2);
    }
  }
  // Most machines hide nothing: then the pieces need not be read again.
  if (!seen.includes(1)) return [];
  const hidden = (r: Region | null): boolean => r !== null && seen[r.id] === 1;
  const reported = (r: Region): boolean => hidden(r) && !hidden(r.container);
  // The reported region a piece belongs to: an alias it passed (outermost first: the mapping that
  // is hidden, rather than a target that is only mapped through it), its leaf, or their containers.
  const ownerOf = (v: View, i: number): Region | null => {
    for (const a of v.via[i]) for (let x: Region | null = a; x; x = x.container) if (reported(x)) return x;
    for (let x: Region | null = v.mr[i]; x; x = x.container) if (reported(x)) return x;
    return null;
  };
  interface Found {
    region: Region; view: View; start: number | bigint; end: number | bigint; by: Region[]; byCount: number; bySet: Set<Region>;
  }
  const found = new Map<Region, Found>();
  for (const v of vs) {
    for (let i = 0; i < v.count; i++) {
      const owner = ownerOf(v, i);
      if (!owner) continue;
      const lo = v.start[i];
      const hi = v.end[i];
      let f = found.get(owner);
      if (!f) found.set(owner, (f = { region: owner, view: v, start: lo, end: hi, by: [], byCount: 0, bySet: new Set() }));
      else if (f.view === v) {
        // Its extent in the first view it is rendered in.
        if (lo < f.start) f.start = lo;
        if (hi > f.end) f.end = hi;
      }
      // The visible segments over this piece: the first ending after its start, on while they start before its end.
      for (let k = firstSegmentAfter(v, lo); k < v.segCount && v.segStart[k] < hi; k++) {
        const p = v.segPiece[k];
        const via = v.via[p];
        const who = via.length > 0 ? via[0] : v.mr[p];
        if (f.bySet.has(who)) continue;
        f.bySet.add(who);
        f.byCount++;
        if (f.by.length < MAX_BY) f.by.push(who);
      }
    }
  }
  return [...found.values()]
    .sort((x, y) => x.region.id - y.region.id)
    .map((f) => ({ region: f.region, spaces: f.view.spaces, start: big(f.start), end: big(f.end), by: f.by, byCount: f.byCount }));
}

/** Two mapped regions of which at least one is a BAR, rendered over each other (MR3011). */
export interface BarOverlap {
  /** The BAR region (for two BARs: the one less visible where they overlap). */
  readonly bar: Region;
  /** The other party: another BAR region, or memory (its outermost alias, or the leaf). */
  readonly other: Region;
  readonly spaces: readonly AddressSpace[];
  /** Where the two overlap, `[start, end)` (from the first overlap to the last, in the first view). */
  readonly start: bigint;
  readonly end: bigint;
  /** Which of the two is visible at `start` (null: a third region is). */
  readonly visible: Region | null;
  /**
   * Why: the container where their paths part, and the subregions of it they are reached
   * through (the winner's first): different priorities, or the same one and list order.
   */
  readonly why: { readonly container: Region; readonly winner: Region; readonly loser: Region } | null;
}

const MEMORY = new Set(['ram', 'rom', 'romd', 'ramd']);
/** Pairs reported at most (a pathological machine of nested overlaps would be quadratic). */
const MAX_OVERLAPS = 1000;

/**
 * Overlaps in the flat views between BARs, and between a BAR and memory (RAM, ROM, ROM
 * devices), in the state the machine holds. `bars`: the regions PCI devices registered.
 */
export function barOverlaps(m: Machine, bars: ReadonlySet<Region>): BarOverlap[] {
  if (bars.size === 0) return [];
  const vs = views(m);
  if (!vs) return [];
  const barOf = (r: Region): Region | null => {
    for (let x: Region | null = r; x; x = x.container) if (bars.has(x)) return x;
    return null;
  };
  /** `direct`: every overlapping piece's owner lies on its render path (see `onPath`), so `whyOf` holds. */
  interface Pair { bar: Region; other: Region; view: View; start: number | bigint; end: number | bigint; direct: boolean }
  const pairs = new Map<string, Pair>();
  const owners = new Map<View, (Region | null)[]>();
  for (const v of vs) {
    // The pieces that belong to a BAR or are memory, with their owner: the first BAR among the
    // aliases passed (outermost first) and the leaf, with their containers; else memory.
    const owner: (Region | null)[] = new Array(v.count).fill(null);
    owners.set(v, owner);
    const isBar = new Uint8Array(v.count);
    // 1: the owner is a container (or itself) of what the render placed first on the piece's path
    // (its outermost alias, or the leaf reached without one): the owner's containers are the path.
    const onPath = new Uint8Array(v.count);
    const cands: number[] = [];
    for (let i = 0; i < v.count; i++) {
      const via = v.via[i];
      let b: Region | null = null;
      for (const a of via) if ((b = barOf(a))) break;
      b ??= barOf(v.mr[i]);
      const outermost = via.length > 0 ? via[0] : v.mr[i];
      if (b) {
        owner[i] = b;
        isBar[i] = 1;
        onPath[i] = barOf(outermost) === b ? 1 : 0;
      } else if (MEMORY.has(v.mr[i].kind)) {
        owner[i] = outermost;
        onPath[i] = 1;
      } else continue;
      cands.push(i);
    }
    if (!cands.some((i) => isBar[i] === 1)) continue;
    cands.sort((x, y) => (v.start[x] < v.start[y] ? -1 : v.start[x] > v.start[y] ? 1 : 0));
    let active: number[] = [];
    for (const c of cands) {
      active = active.filter((a) => v.end[a] > v.start[c]);
      for (const a of active) {
        if (owner[a] === owner[c] || (isBar[a] === 0 && isBar[c] === 0)) continue;
        const lo = v.start[c];
        const hi = v.end[a] < v.end[c] ? v.end[a] : v.end[c];
        const [bar, other] = isBar[a] === 1 && isBar[c] === 0 ? [owner[a]!, owner[c]!] : isBar[c] === 1 && isBar[a] === 0
          ? [owner[c]!, owner[a]!] : owner[a]!.id < owner[c]!.id ? [owner[a]!, owner[c]!] : [owner[c]!, owner[a]!];
        const key = `${bar.id}:${other.id}`;
        const direct = onPath[a] === 1 && onPath[c] === 1;
        const p = pairs.get(key);
        if (!p) {
          if (pairs.size < MAX_OVERLAPS) pairs.set(key, { bar, other, view: v, start: lo, end: hi, direct });
        } else if (p.view === v) {
          if (lo < p.start) p.start = lo;
          if (hi > p.end) p.end = hi;
          p.direct &&= direct;
        }
      }
      active.push(c);
    }
  }
  const out: BarOverlap[] = [];
  for (const p of pairs.values()) {
    const v = p.view;
    // The visible piece at the overlap's start, and whose it is.
    const a = firstSegmentAfter(v, p.start);
    let visible: Region | null = null;
    if (a < v.segCount && v.segStart[a] <= p.start) {
      const i = v.segPiece[a];
      // Whose the visible piece is, by the same rule as the candidates'.
      const who = owners.get(v)![i];
      if (who === p.bar || who === p.other) visible = who;
    }
    // Two BARs: name the one that is hidden there as `bar`.
    let bar = p.bar;
    let other = p.other;
    if (bars.has(other) && visible === bar) [bar, other] = [other, bar];
    // Why, from where their containers meet: only when those containers are the render paths.
    const why = p.direct ? whyOf(bar, other, visible) : null;
    out.push({ bar, other, spaces: v.spaces, start: big(p.start), end: big(p.end), visible, why });
  }
  return out.sort((x, y) => x.bar.id - y.bar.id || x.other.id - y.other.id);
}

/** Where the container chains of `x` and `y` meet, and the subregions of it each is reached through. */
function whyOf(x: Region, y: Region, visible: Region | null): BarOverlap['why'] {
  if (visible !== x && visible !== y) return null;
  const up = new Map<Region, Region>();
  for (let c: Region = x; c.container; c = c.container) up.set(c.container, c);
  for (let c: Region = y; c.container; c = c.container) {
    const viaX = up.get(c.container);
    if (viaX === undefined) continue;
    if (viaX === c) return null;
    const [winner, loser] = visible === x ? [viaX, c] : [c, viaX];
    return { container: c.container, winner, loser };
  }
  return null;
}
