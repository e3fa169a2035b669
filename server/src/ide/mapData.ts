// The memory map's input for one document: a column per flat view (address spaces sharing a
// root share a column), its visible bands exactly as `info mtree -f` merges them, the parts
// of rendered regions that others cover, the initiators' limit lines, and — with a PCI
// sequence — the state after any step. The region graph is left as it was found.
import type { Span } from '../base/span.js';
import { resolveFlatViewRoot } from '../engine/addressSpace.js';
import {
  type FloatPieces, type Piece, type VisibleSegment, bigOfExact, renderPieces, renderPiecesFloat, visibleSegments, visibleSegmentsFloat,
} from '../engine/flatten.js';
import type { SequenceRun } from '../engine/pci/analyze.js';
import {
  type IommuInitiator, type PciDevice, type PciStep, type PciTopology, bdfString, iommuCovers,
} from '../model/pci.js';
import type { AddressSpace, Region } from '../model/region.js';
import type { Analysis } from './analysis.js';
import {
  type BandKind, type ColumnRole, type LineRange, type MapBand, type MapColumn, type MapHidden, type MapInput, type MapLimit,
  type MapRegion, type MapStep, type MapWire, type NumericBands, type WireHints, KIND_CODES, toWire,
} from './mapTypes.js';

/** The PCI side of a document, when it has one: topology and one simulated run per sequence. */
export interface MapPci {
  readonly topology: PciTopology;
  readonly runs: readonly SequenceRun[];
}

export interface MapDataOptions {
  /** Show only the column of this address space. */
  readonly space?: string;
  /** The state after step N of the sequence (0 = start state; default: after the last step). */
  readonly step?: number;
  /** The sequence to follow (by name; default: the last one with steps). */
  readonly sequence?: string;
  /** The PCI side; default: the analysis's own (and then the result is cached with the analysis). */
  readonly pci?: MapPci;
  /** Compute anew even when the analysis has the input cached (benchmarks). */
  readonly fresh?: boolean;
  /** Bigint arithmetic throughout, without the float64 fast path (tests compare the two). */
  readonly exact?: boolean;
}

/**
 * The last few inputs of each analysis (a panel opened again, the step slider moved back): an
 * analysis is immutable, and so is a MapInput. Held only as long as the analysis is.
 */
const cache = new WeakMap<Analysis, Map<string, MapInput>>();
const CACHED = 4;
/** The wire form of a cached input (its line ranges are those of the analysed text). */
const wires = new WeakMap<MapInput, MapWire>();

/**
 * `toWire(mapData(a, opts), range)` (given the regions' container paths), kept with the input: `range` must convert offsets of the
 * analysed text (one converter per document version, as the language server has).
 */
export function mapWire(a: Analysis, opts: MapDataOptions, range: (s: Span) => LineRange): MapWire {
  const m = mapData(a, opts);
  let w = wires.get(m);
  if (!w) wires.set(m, (w = toWire(m, range, hintsOf.get(m))));
  return w;
}

/** Per input, what its builder knows that spares toWire work. */
const hintsOf = new WeakMap<MapInput, WireHints>();
/** Per column made by the fast path, its bands as numbers. */
const numericBands = new WeakMap<MapColumn, NumericBands>();

/** Hidden parts kept per column; beyond it the input is marked truncated. */
const MAX_HIDDEN = 200_000;

export function bandKind(mr: Region, readonly: boolean): BandKind {
  switch (mr.kind) {
    case 'iommu':
      return 'iommu';
    case 'ram':
    case 'ramd':
      return readonly ? 'rom' : 'ram';
    case 'rom':
      return 'rom';
    case 'romd':
      return mr.romdMode ? 'rom' : 'mmio';
    default:
      return 'mmio';
  }
}

function roleOf(spaces: readonly AddressSpace[]): ColumnRole {
  const names = spaces.map((s) => s.name);
  if (names.some((n) => n === 'memory' || n.startsWith('cpu-'))) return 'cpu';
  if (names.some((n) => /^(i\/o|io)$/i.test(n))) return 'io';
  return 'dma';
}

const NO_IDS: readonly number[] = [];

class RegionTable {
  readonly list: MapRegion[] = [];
  /** Per entry, the path of its container (undefined at the top level): `path` is it, `/`, the name. */
  readonly containers: (string | undefined)[] = [];
  /** Table index + 1 by region id, for the machine's regions; a map for any other. */
  private readonly byId: Int32Array;
  private readonly other = new Map<Region, number>();
  /** Paths of containers, so that each region's path costs one concatenation. */
  private readonly paths = new Map<Region, string>();
  /** Alias chains as index lists: render paths share their `via` arrays. */
  private readonly chains = new Map<readonly Region[], readonly number[]>();

  constructor(private readonly regions: readonly Region[]) {
    this.byId = new Int32Array(regions.length);
  }

  id(r: Region): number {
    const own = this.regions[r.id] === r;
    let i = own ? this.byId[r.id] - 1 : (this.other.get(r) ?? -1);
    if (i < 0) {
      i = this.list.length;
      // One object shape for every entry (`span` and `nameSpan` undefined when absent).
      const c = r.container ? this.path(r.container) : undefined;
      this.list.push({
        name: r.name, kind: r.kind, priority: r.priority, path: c !== undefined ? `${c}/${r.name}` : r.name,
        span: r.span, nameSpan: r.nameSpan,
      });
      this.containers.push(c);
      if (own) this.byId[r.id] = i + 1;
      else this.other.set(r, i);
    }
    return i;
  }

  private path(c: Region): string {
    let p = this.paths.get(c);
    if (p === undefined) {
      // Iterative: nesting may be deep.
      const up: Region[] = [];
      for (let x: Region | null = c; x && !this.paths.has(x) && up.length < 100_000; x = x.container) up.push(x);
      for (let k = up.length - 1; k >= 0; k--) {
        const parent = up[k].container;
        this.paths.set(up[k], parent && this.paths.has(parent) ? `${this.paths.get(parent)}/${up[k].name}` : up[k].name);
      }
      p = this.paths.get(c)!;
    }
    return p;
  }

  ids(via: readonly Region[]): readonly number[] {
    if (via.length === 0) return NO_IDS;
    let v = this.chains.get(via);
    if (!v) this.chains.set(via, (v = via.map((r) => this.id(r))));
    return v;
  }

  has(r: Region): number | undefined {
    const i = this.regions[r.id] === r ? this.byId[r.id] - 1 : (this.other.get(r) ?? -1);
    return i >= 0 ? i : undefined;
  }
}

/**
 * True when `q` showing over part of `p` is no news: the same bytes of the same region, or a
 * subregion (or alias) inside `p` along the same render path — a terminating region under
 * its own children (R-FLAT-6).
 */
function expected(p: Piece, q: Piece): boolean {
  if (q.mr === p.mr && q.base === p.base && q.readonly === p.readonly) return true;
  if (q.via.length < p.via.length) return false;
  for (let i = 0; i < p.via.length; i++) if (q.via[i] !== p.via[i]) return false;
  let r: Region | null = q.via[p.via.length] ?? q.mr;
  for (let g = 0; r && g < 100_000; r = r.container, g++) if (r === p.mr) return true;
  return false;
}

/** Index of the first segment whose end is above `addr`. */
function firstEnding(segs: readonly VisibleSegment[], addr: bigint): number {
  let lo = 0;
  let hi = segs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segs[mid].end <= addr) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function buildColumn(
  root: Region | null, spaces: AddressSpace[], t: RegionTable, title?: string, exact?: boolean,
): { column: MapColumn; truncated: boolean } {
  const fp = exact ? null : renderPiecesFloat(root);
  const fast = fp && buildColumnFloat(fp, t);
  if (fast) {
    const nb = fast.bands;
    let made: MapBand[] | undefined;
    // The band objects are made when first read (the wire form needs only the numbers).
    const column = columnOf(spaces, [], fast.hidden, title);
    Object.defineProperty(column, 'bands', { enumerable: true, get: () => (made ??= bandObjects(nb)) });
    if (nb.end.every((e) => e <= Number.MAX_SAFE_INTEGER)) numericBands.set(column, nb);
    return { column, truncated: fast.truncated };
  }
  const { pieces, truncated: deep } = renderPieces(root);
  const segs = visibleSegments(pieces);
  const ids = (via: readonly Region[]) => t.ids(via);

  // Bands: flatview_simplify's can_merge over the visible segments (as flattenView does).
  const bands: MapBand[] = [];
  for (let i = 0; i < segs.length;) {
    const p = segs[i].piece;
    const start = segs[i].start;
    let end = segs[i].end;
    const offset = start - p.base;
    for (i++; i < segs.length; i++) {
      const q = segs[i].piece;
      if (
        segs[i].start !== end || q.mr !== p.mr || segs[i].start - q.base !== offset + (end - start) ||
        q.readonly !== p.readonly || q.nonvolatile !== p.nonvolatile
      ) break;
      end = segs[i].end;
    }
    bands.push({ start, end, region: t.id(p.mr), via: ids(p.via), kind: bandKind(p.mr, p.readonly), readonly: p.readonly, offset });
  }

  // Hidden parts: each piece's range where another piece is visible, split by who is (a walk
  // over the segments inside the piece, skipping its own and the expected ones).
  const hidden: { -readonly [K in keyof MapHidden]: MapHidden[K] }[] = [];
  let truncated = deep;
  for (let pi = 0; pi < pieces.length; pi++) {
    const p = pieces[pi];
    let region = -1;
    for (let k = firstEnding(segs, p.start); k < segs.length && segs[k].start < p.end; k++) {
      const q = segs[k].piece;
      if (q === p || expected(p, q)) continue;
      const start = segs[k].start > p.start ? segs[k].start : p.start;
      const end = segs[k].end < p.end ? segs[k].end : p.end;
      const by = t.id(q.mr);
      if (region < 0) region = t.id(p.mr);
      const last = hidden[hidden.length - 1];
      if (last && last.end === start && last.by === by && last.region === region) {
        last.end = end;
      } else if (hidden.length < MAX_HIDDEN) {
        hidden.push({ start, end, region, via: ids(p.via), kind: bandKind(p.mr, p.readonly), by });
      } else {
        truncated = true;
        break;
      }
    }
  }
  hidden.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  return { column: columnOf(spaces, bands, hidden, title), truncated };
}

function columnOf(spaces: AddressSpace[], bands: MapBand[], hidden: MapHidden[], title?: string): MapColumn {
  const names = spaces.map((s) => s.name);
  const role = title !== undefined ? 'pci' : roleOf(spaces);
  return { title: title ?? names.join(', '), spaces: names, role, bands, hidden };
}

/** a + b for integral doubles; NaN when the rounded sum is not the exact one. */
function addExact(a: number, b: number): number {
  const s = a + b;
  if (s < 2 ** 53 && s > -(2 ** 53)) return s;
  const bb = s - a;
  return (a - (s - bb)) + (b - bb) === 0 ? s : NaN;
}

/** Numeric bands as MapBand objects. */
function bandObjects(nb: NumericBands): MapBand[] {
  const out: MapBand[] = new Array(nb.count);
  for (let i = 0; i < nb.count; i++) {
    out[i] = {
      start: bigOfExact(nb.start[i]), end: bigOfExact(nb.end[i]), region: nb.region[i], via: nb.via[i], kind: KIND_CODES[nb.flags[i] & 3],
      readonly: (nb.flags[i] & 4) !== 0, offset: bigOfExact(nb.offset[i]),
    };
  }
  return out;
}

/** True when float piece `q` showing over part of float piece `p` is no news (as `expected`). */
function expectedAt(f: FloatPieces, p: number, q: number): boolean {
  if (f.mr[q] === f.mr[p] && f.base[q] === f.base[p] && (f.flags[q] & 1) === (f.flags[p] & 1)) return true;
  const pv = f.via[p];
  const qv = f.via[q];
  if (qv.length < pv.length) return false;
  for (let i = 0; i < pv.length; i++) if (qv[i] !== pv[i]) return false;
  let r: Region | null = qv[pv.length] ?? f.mr[q];
  for (let g = 0; r && g < 100_000; r = r.container, g++) if (r === f.mr[p]) return true;
  return false;
}

/**
 * buildColumn's bands and hidden parts from float64 pieces (renderPiecesFloat): the same
 * walk in number arithmetic, every difference checked exact; null when one is not (the
 * caller then takes the bigint path).
 */
function buildColumnFloat(f: FloatPieces, t: RegionTable): { bands: NumericBands; hidden: MapHidden[]; truncated: boolean } | null {
  const s = visibleSegmentsFloat(f);
  const big = bigOfExact;
  const ids = (via: readonly Region[]) => t.ids(via);
  // At most one band per segment.
  const bStart = new Float64Array(s.count);
  const bEnd = new Float64Array(s.count);
  const bRegion = new Int32Array(s.count);
  const bFlags = new Uint8Array(s.count);
  const bOffset = new Float64Array(s.count);
  const bVia: (readonly number[])[] = [];
  let nb = 0;
  for (let i = 0; i < s.count;) {
    const p = s.piece[i];
    const mr = f.mr[p];
    const fl = f.flags[p];
    const start = s.start[i];
    let end = s.end[i];
    const offset = addExact(start, -f.base[p]);
    if (offset !== offset) return null;
    for (i++; i < s.count; i++) {
      const q = s.piece[i];
      if (s.start[i] !== end || f.mr[q] !== mr || f.flags[q] !== fl) break;
      const off = addExact(s.start[i], -f.base[q]);
      const want = addExact(offset, addExact(end, -start));
      if (off !== off || want !== want) return null;
      if (off !== want) break;
      end = s.end[i];
    }
    const ro = (fl & 1) !== 0;
    bStart[nb] = start;
    bEnd[nb] = end;
    bRegion[nb] = t.id(mr);
    bVia.push(ids(f.via[p]));
    bFlags[nb] = KIND_CODES.indexOf(bandKind(mr, ro)) | (ro ? 4 : 0);
    bOffset[nb++] = offset;
  }
  const bands: NumericBands = {
    count: nb, start: bStart.subarray(0, nb), end: bEnd.subarray(0, nb), region: bRegion.subarray(0, nb), flags: bFlags.subarray(0, nb),
    offset: bOffset.subarray(0, nb), via: bVia,
  };

  const hidden: { start: number; end: number; region: number; via: readonly number[]; kind: BandKind; by: number }[] = [];
  let truncated = false;
  for (let p = 0; p < f.count; p++) {
    const pStart = f.start[p];
    const pEnd = f.end[p];
    let region = -1;
    // The first segment ending above the piece's start.
    let lo = 0;
    let hi = s.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s.end[mid] <= pStart) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < s.count && s.start[k] < pEnd; k++) {
      const q = s.piece[k];
      if (q === p || expectedAt(f, p, q)) continue;
      const start = s.start[k] > pStart ? s.start[k] : pStart;
      const end = s.end[k] < pEnd ? s.end[k] : pEnd;
      const by = t.id(f.mr[q]);
      if (region < 0) region = t.id(f.mr[p]);
      const last = hidden[hidden.length - 1];
      if (last && last.end === start && last.by === by && last.region === region) {
        last.end = end;
      } else if (hidden.length < MAX_HIDDEN) {
        hidden.push({ start, end, region, via: ids(f.via[p]), kind: bandKind(f.mr[p], (f.flags[p] & 1) !== 0), by });
      } else {
        truncated = true;
        break;
      }
    }
  }
  hidden.sort((a, b) => a.start - b.start);
  return {
    bands,
    hidden: hidden.map((x) => ({ start: big(x.start), end: big(x.end), region: x.region, via: x.via, kind: x.kind, by: x.by })),
    truncated,
  };
}

/**
 * One column per distinct resolved root, in the creation order of their first space (R-AS-3);
 * with PCI, then one per bus that holds memory BARs of its devices (its own container, unless
 * an address space already shows it): a BAR outside every bridge window is in no address
 * space's flat view, but it is still on its bus.
 */
function buildColumns(
  a: Analysis, t: RegionTable, space?: string, pci?: MapPci, exact?: boolean,
): { columns: MapColumn[]; truncated: boolean } {
  const groups = new Map<Region | null, { title?: string; spaces: AddressSpace[] }>();
  for (const as of a.machine.spaces) {
    const root = resolveFlatViewRoot(as.root);
    const g = groups.get(root);
    if (g) g.spaces.push(as);
    else groups.set(root, { spaces: [as] });
  }
  for (const bus of pci?.topology.buses ?? []) {
    const hasBars = [...bus.devices.values()].some((d) => !d.bridge && d.bars.some((b) => b && b.kind !== 'io'));
    if (!hasBars || groups.has(bus.mem)) continue;
    const n = bus.parent ? bus.parent.bridge?.secondaryBus : bus.rootNumber;
    const by = bus.parent ? bus.parent.name : bus.host.name;
    groups.set(bus.mem, { title: `PCI bus ${n === undefined ? '?' : hex2(n)} memory (${by})`, spaces: [] });
  }
  const columns: MapColumn[] = [];
  let truncated = false;
  for (const [root, g] of groups) {
    if (space !== undefined && !g.spaces.some((s) => s.name === space) && g.title !== space) continue;
    const c = buildColumn(root, g.spaces, t, g.title, exact);
    columns.push(c.column);
    truncated ||= c.truncated;
  }
  return { columns, truncated };
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/** The regions a BAR's mapping shows: the BAR region, its subregions and alias targets. */
function barRegions(devices: readonly PciDevice[]): Set<Region> {
  const seen = new Set<Region>();
  const todo: Region[] = [];
  for (const d of devices) for (const b of d.bars) if (b && !seen.has(b.region)) { seen.add(b.region); todo.push(b.region); }
  while (todo.length > 0) {
    const r = todo.pop()!;
    for (const n of r.alias ? [...r.children, r.alias] : r.children) if (!seen.has(n)) { seen.add(n); todo.push(n); }
  }
  return seen;
}

/** A limit and, for the step markers, the BARs it concerns. */
interface LimitRule {
  limit: MapLimit;
  concerns: (d: PciDevice) => boolean;
}

function limitRules(a: Analysis, columns: MapColumn[], t: RegionTable, pci?: MapPci): LimitRule[] {
  const cols = (...roles: ColumnRole[]) => columns.flatMap((c, i) => (roles.includes(c.role) ? [i] : []));
  const rules: LimitRule[] = [];
  const push = (limit: MapLimit, concerns: (d: PciDevice) => boolean) => {
    if (limit.columns.length > 0) rules.push({ limit, concerns });
  };
  const at = (bits: number) => 1n << BigInt(bits);
  const initiators = pci?.topology.initiators ?? [];
  const cpus = initiators.filter((x) => x.kind === 'cpu');
  for (const c of cpus) {
    push({ label: `CPU ${c.name}: phys-bits ${c.physBits}`, kind: 'cpu', bits: c.physBits, addr: at(c.physBits),
      columns: cols('cpu', 'pci'), source: 'file', ...(c.span ? { span: c.span } : {}) }, () => true);
  }
  if (cpus.length === 0) {
    const bits = a.options.physBits;
    push({ label: `CPU phys-bits ${bits} (setting)`, kind: 'cpu', bits, addr: at(bits), columns: cols('cpu', 'pci'), source: 'setting' },
      () => true);
  }
  const iommus = initiators.filter((x): x is IommuInitiator => x.kind === 'iommu');
  for (const m of iommus) {
    const devices = pci!.topology.devices.filter((d) => iommuCovers(m, d));
    const regions = [...barRegions(devices)].flatMap((r) => t.has(r) ?? []);
    // A covered device's own bus-master space (QEMU names it after the device) is its DMA view:
    // there everything beyond the line is out of reach, not only BARs.
    const own = new Set(devices.flatMap((d) => (d.model ? [d.name, d.model] : [d.name])));
    const dmaViews = columns.flatMap((c, i) => (c.role === 'dma' && c.spaces.some((s) => own.has(s)) ? [i] : []));
    const label = `IOMMU ${m.name}: aw-bits ${m.awBits}`;
    const base = { label, kind: 'iommu' as const, bits: m.awBits, addr: at(m.awBits), source: 'file' as const, ...(m.span ? { span: m.span } : {}) };
    push({ ...base, columns: cols('cpu', 'dma', 'pci').filter((i) => !dmaViews.includes(i)), regions }, (d) => iommuCovers(m, d));
    push({ ...base, columns: dmaViews }, () => false);
  }
  if (iommus.length === 0 && a.machine.regions.some((r) => r.kind === 'iommu')) {
    const bits = a.options.awBits;
    push({ label: `IOMMU aw-bits ${bits} (setting)`, kind: 'iommu', bits, addr: at(bits), columns: cols('dma'), source: 'setting' },
      () => false);
  }
  return rules;
}

const h = (v: number | bigint) => '0x' + v.toString(16);

export function stepText(s: PciStep): string {
  const on = 'dev' in s ? ` on ${bdfString(s.dev.bus, s.dev.slot, s.dev.func)}` : '';
  switch (s.op) {
    case 'write':
      return `write ${h(s.offset)} ${s.len} ${h(s.value)}${on}`;
    case 'read':
      return `read ${h(s.offset)} ${s.len}${s.expect !== undefined ? ` expect ${h(s.expect)}` : ''}${on}`;
    case 'assign':
      return `bar ${s.bar} at ${h(s.addr)}${on}`;
    case 'reset':
      return 'reset';
  }
}

/** For every step: the limits that a BAR it maps (map-add) crosses. */
function stepMarks(run: SequenceRun, topo: PciTopology, rules: LimitRule[]): string[][] {
  const out: string[][] = run.sequence.steps.map(() => []);
  for (const e of run.result.events) {
    if (e.kind !== 'map-add' || e.step < 0 || e.step >= out.length) continue;
    const d = topo.devices[e.device];
    if (!d || d.bars[e.bar]?.kind === 'io') continue;
    const last = e.addr + e.size - 1n;
    for (const r of rules) {
      if (last >= r.limit.addr && r.concerns(d) && !out[e.step].includes(r.limit.label)) out[e.step].push(r.limit.label);
    }
  }
  return out;
}

export function mapData(a: Analysis, opts: MapDataOptions = {}): MapInput {
  if (opts.pci || opts.exact) return buildMapData(a, opts);
  const key = `${opts.space ?? ''}\0${opts.step ?? ''}\0${opts.sequence ?? ''}`;
  let mine = cache.get(a);
  if (!mine) cache.set(a, (mine = new Map()));
  let m = mine.get(key);
  if (m && !opts.fresh) {
    mine.delete(key);
  } else {
    m = buildMapData(a, opts);
    if (mine.size >= CACHED) mine.delete(mine.keys().next().value!);
  }
  mine.set(key, m);
  return m;
}

function buildMapData(a: Analysis, opts: MapDataOptions): MapInput {
  const t = new RegionTable(a.machine.regions);
  const m = buildWith(a, opts, t);
  hintsOf.set(m, { containers: t.containers, bands: m.columns.map((c) => numericBands.get(c)) });
  return m;
}

/** The map input for `opts`, its regions collected in `t`. */
function buildWith(a: Analysis, opts: MapDataOptions, t: RegionTable): MapInput {
  const pci = opts.pci ?? (a.pci ? { topology: a.pci.model.topology, runs: a.pci.runs } : undefined);
  const runs = pci?.runs ?? [];
  // The named sequence, else the last one with steps (the flat views show the end of the last).
  const run = opts.sequence !== undefined
    ? runs.find((r) => r.sequence.name === opts.sequence)
    : runs.filter((r) => r.sequence.steps.length > 0).pop();
  if (!run || !pci) {
    const { columns, truncated } = buildColumns(a, t, opts.space, pci, opts.exact);
    const rules = limitRules(a, columns, t, pci);
    return { columns, regions: t.list, limits: rules.map((r) => r.limit), ...(truncated ? { truncated } : {}) };
  }
  const n = run.sequence.steps.length;
  const current = Math.max(0, Math.min(n, opts.step ?? n));
  let built: { columns: MapColumn[]; truncated: boolean };
  try {
    run.sim.stateAfter(current - 1);
    built = buildColumns(a, t, opts.space, pci, opts.exact);
  } finally {
    // analyzePci leaves the graph at the end of the last run: put it back there.
    runs[runs.length - 1].sim.restoreFinal();
  }
  const rules = limitRules(a, built.columns, t, pci);
  const marks = stepMarks(run, pci.topology, rules);
  const steps: MapStep[] = run.sequence.steps.map((s, i) => ({
    label: s.label ?? '', text: stepText(s), beyond: marks[i], ...(s.span ? { span: s.span as Span } : {}),
  }));
  return {
    columns: built.columns, regions: t.list, limits: rules.map((r) => r.limit),
    sequence: { name: run.sequence.name, steps, current },
    sequences: runs.map((r) => r.sequence.name),
    ...(built.truncated ? { truncated: true } : {}),
  };
}
