// The memory map's input for one document: a column per flat view (address spaces sharing a
// root share a column), its visible bands exactly as `info mtree -f` merges them, the parts
// of rendered regions that others cover, the initiators' limit lines, and — with a PCI
// sequence — the state after any step. The region graph is left as it was found.
import type { Span } from '../base/span.js';
import { resolveFlatViewRoot } from '../engine/addressSpace.js';
import type { SequenceRun } from '../engine/pci/analyze.js';
import {
  type IommuInitiator, type PciDevice, type PciStep, type PciTopology, bdfString, iommuCovers,
} from '../model/pci.js';
import type { AddressSpace, Region } from '../model/region.js';
import type { Analysis } from './analysis.js';
import { RegionTable, buildColumn, numericBands, numericHidden } from './mapColumn.js';
import { type WireHints, toWire } from './mapEncode.js';
import type { ColumnRole, LineRange, MapColumn, MapInput, MapLimit, MapRegion, MapStep, MapWire } from './mapTypes.js';

export { bandKind } from './mapColumn.js';

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
  hintsOf.set(m, {
    containers: t.containers, regions: t.regions, bands: m.columns.map((c) => numericBands.get(c)),
    hidden: m.columns.map((c) => numericHidden.get(c)),
  });
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
    return withRegions({ columns, limits: rules.map((r) => r.limit), ...(truncated ? { truncated } : {}) }, t);
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
  return withRegions({
    columns: built.columns, limits: rules.map((r) => r.limit),
    sequence: { name: run.sequence.name, steps, current },
    sequences: runs.map((r) => r.sequence.name),
    ...(built.truncated ? { truncated: true } : {}),
  }, t);
}

/** `m` with its `regions`, made from the table when first read (the wire form reads the table). */
function withRegions(m: Omit<MapInput, 'regions'>, t: RegionTable): MapInput {
  let list: MapRegion[] | undefined;
  return Object.defineProperty(m, 'regions', { enumerable: true, get: () => (list ??= t.list) }) as MapInput;
}
