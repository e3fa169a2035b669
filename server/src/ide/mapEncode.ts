// The server's side of the memory map's wire form (mapTypes.ts): a MapInput packed into columns
// of integers (mapPack.ts), exact — every address decodes to the bigint it encodes. With the
// input builder's hints the bands, hidden parts and regions are written straight from its
// numbers and Region objects, without the bigint objects or any list of the values.
import type { Span } from '../base/span.js';
import { PackWriter } from './mapPack.js';
import {
  BAND_STRIDE, type BandKind, type LineRange, type Located, type MapInput, type MapWire, NO_VIA, type WireAddr,
  type WireColumn, type WireRegions,
} from './mapTypes.js';

/**
 * A column's bands as numbers, all below 2^53, as the input builder had them: the wire form
 * is made from these without reading (or making) the band objects.
 */
export interface NumericBands {
  readonly count: number;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly region: Int32Array;
  /** Kind code | 4 read-only (the wire's flags). */
  readonly flags: Uint8Array;
  readonly offset: Float64Array;
  readonly via: readonly (readonly number[])[];
}

/** A column's hidden parts as numbers, every end below 2^53, in the input's order (by start). */
export interface NumericHidden {
  readonly count: number;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly region: Int32Array;
  readonly by: Int32Array;
  /** Kind code. */
  readonly kind: Uint8Array;
  readonly via: readonly (readonly number[])[];
}

/** What the wire needs of a region (a model Region has it all; `path` only without `containers`). */
export interface RegionSource {
  readonly name: string;
  readonly kind: string;
  readonly priority: number;
  readonly path?: string;
  readonly span?: Span;
  readonly nameSpan?: Span;
}

/** What the input builder knows that spares toWire work; every part optional. */
export interface WireHints {
  /**
   * Per region, the path of its container (the very string its `path` was made from,
   * undefined at the top level), so that paths need not be taken apart again.
   */
  readonly containers?: readonly (string | undefined)[];
  /** The regions themselves, in the input's order (with `containers`): no MapRegion is read. */
  readonly regions?: readonly RegionSource[];
  /** Per column, its bands as numbers (when all are below 2^53). */
  readonly bands?: readonly (NumericBands | undefined)[];
  /** Per column, its hidden parts as numbers (when all are below 2^53). */
  readonly hidden?: readonly (NumericHidden | undefined)[];
}

const hx = (v: bigint): string => '0x' + v.toString(16);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const SAFE = Number.MAX_SAFE_INTEGER;
const KIND_CODE: Record<BandKind, number> = { ram: 0, rom: 1, mmio: 2, iommu: 3 };

/** Replaces `span`/`nameSpan` by line ranges (`range` converts an offset span). */
function locate<T extends { span?: Span; nameSpan?: Span }>(x: T, range: (s: Span) => LineRange): Located<T> {
  const { span, nameSpan, ...rest } = x;
  return { ...rest, ...(span ? { decl: range(span) } : {}), ...(nameSpan ? { nameRange: range(nameSpan) } : {}) };
}

/** The wire form; `range` converts an offset span to a line range. */
export function toWire(m: MapInput, range: (s: Span) => LineRange, hints: WireHints = {}): MapWire {
  const big: string[] = [];
  const bigIds = new Map<bigint, number>();
  const enc = (v: bigint): WireAddr => {
    if (v <= MAX_SAFE && v >= 0n) return Number(v);
    let k = bigIds.get(v);
    if (k === undefined) bigIds.set(v, (k = big.push(hx(v)) - 1));
    return -1 - k;
  };
  // Alias chains: the input shares one array per render path, so identity finds most repeats.
  const vias: (readonly number[])[] = [NO_VIA];
  const viaIds = new Map<readonly number[], number>([[NO_VIA, 0]]);
  const byKey = new Map<string, number>([['', 0]]);
  const via = (v: readonly number[]): number => {
    if (v.length === 0) return 0;
    let id = viaIds.get(v);
    if (id === undefined) {
      const key = v.join(',');
      id = byKey.get(key);
      if (id === undefined) byKey.set(key, (id = vias.push(v) - 1));
      viaIds.set(v, id);
    }
    return id;
  };
  const most = m.columns.reduce((n, c, ci) => Math.max(n, hints.bands?.[ci]?.count ?? 0), 0);
  const w = new PackWriter(0, most * BAND_STRIDE);
  const columns = m.columns.map((c, ci): WireColumn => {
    const nb = hints.bands?.[ci];
    // Number arithmetic while addresses stay below 2^53 (where it is exact): no bigint is
    // allocated per band in the usual case, and the values go straight into the packed text.
    if (nb) {
      let prevN = 0;
      let region = 0;
      for (let i = 0; i < nb.count; i++) {
        const start = nb.start[i];
        w.add(start - prevN);
        w.add(nb.end[i] - start);
        prevN = nb.end[i];
        w.add(nb.region[i] - region);
        region = nb.region[i];
        w.add(nb.flags[i]);
        const offset = nb.offset[i];
        w.add(offset <= SAFE ? offset : enc(BigInt(offset)));
        w.add(via(nb.via[i]));
      }
    } else {
      let prev = 0n;
      let prevN = 0;
      let region = 0;
      for (const b of c.bands) {
        if (b.end <= MAX_SAFE && b.start >= prev) {
          const start = Number(b.start);
          const end = Number(b.end);
          w.add(start - prevN);
          w.add(end - start);
          prevN = end;
        } else {
          w.add(enc(b.start - prev));
          w.add(enc(b.end - b.start));
          prevN = Number(b.end);
        }
        w.add(b.region - region);
        region = b.region;
        w.add(KIND_CODE[b.kind] | (b.readonly ? 4 : 0));
        w.add(b.offset === 0n ? 0 : enc(b.offset));
        w.add(via(b.via));
        prev = b.end;
      }
    }
    const bands = w.done();
    const nh = hints.hidden?.[ci];
    if (nh) {
      let prevN = 0;
      for (let i = 0; i < nh.count; i++) {
        const start = nh.start[i];
        w.add(start - prevN);
        w.add(nh.end[i] - start);
        prevN = start;
        w.add(nh.region[i]);
        w.add(nh.kind[i]);
        w.add(nh.by[i]);
        w.add(via(nh.via[i]));
      }
    } else {
      let prev = 0n;
      let prevN = 0;
      for (const h of c.hidden) {
        if (h.end <= MAX_SAFE && h.start >= prev) {
          const start = Number(h.start);
          w.add(start - prevN);
          w.add(Number(h.end) - start);
          prevN = start;
        } else {
          w.add(enc(h.start - prev));
          w.add(enc(h.end - h.start));
          prevN = Number(h.start);
        }
        w.add(h.region);
        w.add(KIND_CODE[h.kind]);
        w.add(h.by);
        w.add(via(h.via));
        prev = h.start;
      }
    }
    return { title: c.title, spaces: c.spaces, role: c.role, bands, hidden: w.done() };
  });
  const containers = hints.regions ? hints.containers : undefined;
  return {
    columns,
    regions: regionsToWire(containers && hints.regions ? hints.regions : m.regions, range, hints.containers),
    big,
    vias,
    limits: m.limits.map((l) => ({ ...locate(l, range), addr: hx(l.addr) })),
    ...(m.sequence ? { sequence: { ...m.sequence, steps: m.sequence.steps.map((x) => locate(x, range)) } } : {}),
    ...(m.sequences ? { sequences: m.sequences } : {}),
    ...(m.truncated ? { truncated: true } : {}),
  };
}

function regionsToWire(
  list: readonly RegionSource[], range: (s: Span) => LineRange, containers?: readonly (string | undefined)[],
): WireRegions {
  const n = list.length;
  let names = '';
  // One writer per list, filled in the same pass over the regions.
  const nameLengths = new PackWriter(1, n);
  const kind = new PackWriter(2, n);
  const priority = new PackWriter(3, n);
  const path = new PackWriter(4, n);
  const loc = new PackWriter(5, 6 * n);
  const kinds: string[] = [];
  const kindIds = new Map<string, number>();
  const paths: string[] = [];
  const pathIds = new Map<string, number>();
  let line = 0;
  for (let i = 0; i < n; i++) {
    const r = list[i];
    const name = r.name;
    names += name;
    nameLengths.add(name.length);
    let kc = kindIds.get(r.kind);
    if (kc === undefined) kindIds.set(r.kind, (kc = kinds.push(r.kind) - 1));
    kind.add(kc);
    priority.add(r.priority);
    // `path` ends in `/name` unless the region is at the top level (else it goes whole, coded -2 − index).
    const c = containers?.[i];
    if (c) {
      // `path` is `${c}/${name}`: c itself is the prefix (one shared string, hashed once).
      let p = pathIds.get(c);
      if (p === undefined) pathIds.set(c, (p = paths.push(c) - 1));
      path.add(p);
    } else if (containers && c === undefined) {
      path.add(-1);
    } else {
      const rp = r.path ?? name;
      const cut = rp.length - name.length - 1;
      const whole = !(cut > 0 && rp.endsWith(name) && rp[cut] === '/');
      if (whole && rp === name) path.add(-1);
      else {
        const prefix = whole ? rp : rp.slice(0, cut);
        let p = pathIds.get(prefix);
        if (p === undefined) pathIds.set(prefix, (p = paths.push(prefix) - 1));
        path.add(whole ? -2 - p : p);
      }
    }
    // Each span read once (a model region makes a fresh Span per read).
    const span = r.span;
    if (!span) {
      loc.add(0);
      continue;
    }
    const nameSpan = r.nameSpan;
    const d = range(span);
    const nr = nameSpan ? range(nameSpan) : undefined;
    if (nr && nr[0] === d[0] && nr[2] === nr[0] && nr[3] - nr[1] === name.length) {
      // The usual case: the name as written, on the declaration's first line.
      loc.add(3);
    } else loc.add(nr ? 2 : 1);
    loc.add(d[0] - line);
    loc.add(d[1]);
    loc.add(d[2] - d[0]);
    loc.add(d[3]);
    line = d[0];
    if (!nr) continue;
    if (nr[0] === d[0] && nr[2] === nr[0] && nr[3] - nr[1] === name.length) {
      loc.add(nr[1]);
      continue;
    }
    loc.add(nr[0] - d[0]);
    loc.add(nr[1]);
    loc.add(nr[2] - nr[0]);
    loc.add(nr[3]);
  }
  return {
    count: n, names, nameLengths: nameLengths.done(), kind: kind.done(), kinds, priority: priority.done(), path: path.done(), paths,
    loc: loc.done(),
  };
}
