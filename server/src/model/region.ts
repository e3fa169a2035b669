// The region graph, QEMU's MemoryRegion model (spec §1): kinds, flags, an alias target,
// and each container's subregion list kept in QEMU list order (R-ORD-1). Sizes and
// addresses are bigint; a size may be 2^64. Built by model/build.ts or by the importer.
import type { Span } from '../base/span.js';

export const TWO_64 = 1n << 64n;
export const MAX_U64 = TWO_64 - 1n;

/**
 * container: memory_region_init (pure container, does not terminate)
 * io:        memory_region_init_io (MMIO/PIO with ops, terminates)
 * ram / rom: memory_region_init_ram / _rom (rom = ram + readonly)
 * romd:      memory_region_init_rom_device (romdMode decides `romd` vs `i/o`)
 * ramd:      memory_region_init_ram_device_ptr
 * iommu:     memory_region_init_iommu (terminates, prints `i/o`)
 * alias:     memory_region_init_alias
 */
export type RegionKind = 'container' | 'io' | 'ram' | 'rom' | 'romd' | 'ramd' | 'iommu' | 'alias';

export interface Region {
  /** Dense index, unique within one Machine (creation order). */
  readonly id: number;
  name: string;
  kind: RegionKind;
  /** 0 .. 2^64 inclusive. */
  size: bigint;
  /** Offset inside the container (0 .. 2^64-1). */
  addr: bigint;
  /** Signed 32-bit. */
  priority: number;
  enabled: boolean;
  /** memory_region_set_readonly; for `rom` always true. */
  readonly: boolean;
  nonvolatile: boolean;
  /** Only meaningful for `romd`; QEMU's default is true. */
  romdMode: boolean;
  alias: Region | null;
  aliasOffset: bigint;
  /** Subregions in QEMU list order: priority descending, newest first among equals. */
  children: Region[];
  container: Region | null;
  /**
   * Where the region is declared, if it came from a document. Read: a fresh object each time
   * (regions from createRegion keep numbers); to move it, assign or use shiftRegionSpans.
   */
  span?: Span;
  /** The span of the region's name, for hover/rename (read and moved as `span`). */
  nameSpan?: Span;
}

export interface AddressSpace {
  name: string;
  /** Root region; null = no root. */
  root: Region | null;
  span?: Span;
}

export interface Machine {
  /** All regions in creation order (index = id). */
  regions: Region[];
  /** Address spaces in creation order (R-AS-1, R-DUMP-1). */
  spaces: AddressSpace[];
}

export function newMachine(): Machine {
  return { regions: [], spaces: [] };
}

/**
 * The subregion list of every region that has none: one shared, frozen array (a 100k-region
 * machine is mostly leaves). Lists grow through addSubregion / ownChildren, which give the
 * region an array of its own first.
 */
export const NO_CHILDREN = Object.freeze([]) as unknown as Region[];

/** The region's own, growable subregion list (replaces the shared empty one). */
export function ownChildren(r: Region): Region[] {
  if (r.children === NO_CHILDREN) r.children = [];
  return r.children;
}

/**
 * What a MemRegion keeps apart from its fields (see `link`): the alias target and offset, and,
 * when they do not fit in `bits` (WIDE), the priority and the end of the name span.
 */
interface RegionLink {
  target: Region | null;
  offset: bigint;
  priority: number;
  nameEnd: number;
}

/** Region kinds by their index in a MemRegion's `bits`. */
const KINDS: readonly RegionKind[] = ['container', 'io', 'ram', 'rom', 'romd', 'ramd', 'iommu', 'alias'];
const KIND_MASK = 7;
const ENABLED = 8;
const READONLY = 16;
const NONVOLATILE = 32;
const ROMD_MODE = 64;
/** The priority and name end are in `link`, not in `bits`. */
const WIDE = 128;
/** `bits` 8..15: the name span's length; 16..31: the priority (signed). */
const NAME_SHIFT = 8;
const NAME_MAX = 255;
const PRIO_SHIFT = 16;
const PRIO_MIN = -(1 << 15);
const PRIO_MAX = (1 << 15) - 1;

function kindIndex(kind: RegionKind): number {
  switch (kind) {
    case 'container': return 0;
    case 'io': return 1;
    case 'ram': return 2;
    case 'rom': return 3;
    case 'romd': return 4;
    case 'ramd': return 5;
    case 'iommu': return 6;
    default: return 7;
  }
}

/**
 * A region as created by createRegion. Its spans are kept as four numbers and read as fresh
 * `Span` objects (two objects less per region: a large machine is allocation-bound); assign a
 * span to move it, or call `shiftSpans`. The kind, the four flags, the priority and the length
 * of the name span share one small integer (`bits`, read and written through accessors), and
 * the alias target and offset are one field (null for most regions): a field is 8 bytes per
 * region. A priority beyond 16 bits or a name span longer than 255 moves both to `link` (WIDE).
 */
class MemRegion implements Region {
  // `declare`: fields are assigned in the constructor, in one order (one hidden class), not
  // defined first as class fields.
  declare readonly id: number;
  declare name: string;
  declare size: bigint;
  declare addr: bigint;
  /** The alias target and offset (and WIDE values), in an object of their own: most regions need none. */
  declare private link: RegionLink | null;
  declare children: Region[];
  declare container: Region | null;
  /** Kind index (KINDS) | ENABLED | READONLY | NONVOLATILE | ROMD_MODE | WIDE, name length, priority. */
  declare private bits: number;
  declare private s0: number;
  declare private s1: number;
  /** The name span's start (-1: none); its end is `n0` + the length in `bits`, or in `link` when WIDE. */
  declare private n0: number;

  /** A region with QEMU's defaults; `n0`/`n1`: its name span (-1: none). */
  constructor(id: number, name: string, kind: RegionKind, n0: number, n1: number) {
    this.id = id;
    this.name = name;
    this.size = 0n;
    this.addr = 0n;
    this.link = null;
    this.children = NO_CHILDREN;
    this.container = null;
    this.bits = kindIndex(kind) | ENABLED | ROMD_MODE | (kind === 'rom' ? READONLY : 0);
    this.s0 = -1;
    this.s1 = -1;
    this.n0 = n0;
    this.setNameEnd(n1);
  }

  get priority(): number {
    return (this.bits & WIDE) === 0 ? this.bits >> PRIO_SHIFT : this.link!.priority;
  }
  set priority(p: number) {
    if ((this.bits & WIDE) === 0 && p >= PRIO_MIN && p <= PRIO_MAX && (p | 0) === p && (p !== 0 || 1 / p > 0)) {
      this.bits = (this.bits & ((1 << PRIO_SHIFT) - 1)) | (p << PRIO_SHIFT);
    } else this.widen().priority = p;
  }

  /** The end of the name span (-1: none). */
  private nameEnd(): number {
    if ((this.bits & WIDE) !== 0) return this.link!.nameEnd;
    return this.n0 < 0 ? -1 : this.n0 + ((this.bits >> NAME_SHIFT) & NAME_MAX);
  }
  /** Sets the end of the name span (after `n0`, which it is relative to unless WIDE). */
  private setNameEnd(e: number): void {
    if ((this.bits & WIDE) === 0) {
      const len = this.n0 < 0 ? (e < 0 ? 0 : -1) : e - this.n0;
      if (len >= 0 && len <= NAME_MAX && (len | 0) === len) {
        this.bits = (this.bits & ~(NAME_MAX << NAME_SHIFT)) | (len << NAME_SHIFT);
        return;
      }
    }
    this.widen().nameEnd = e;
  }
  /** Moves the priority and the name end to `link` (once); returns it. */
  private widen(): RegionLink {
    if ((this.bits & WIDE) !== 0) return this.link!;
    const priority = this.bits >> PRIO_SHIFT;
    const nameEnd = this.nameEnd();
    const l = (this.link ??= { target: null, offset: 0n, priority: 0, nameEnd: -1 });
    l.priority = priority;
    l.nameEnd = nameEnd;
    this.bits = (this.bits & (WIDE - 1)) | WIDE;
    return l;
  }

  get alias(): Region | null {
    return this.link === null ? null : this.link.target;
  }
  set alias(t: Region | null) {
    if (this.link !== null) this.link.target = t;
    else if (t !== null) this.link = { target: t, offset: 0n, priority: 0, nameEnd: -1 };
  }
  get aliasOffset(): bigint {
    return this.link === null ? 0n : this.link.offset;
  }
  set aliasOffset(o: bigint) {
    if (this.link !== null) this.link.offset = o;
    else if (o !== 0n) this.link = { target: null, offset: o, priority: 0, nameEnd: -1 };
  }

  get kind(): RegionKind {
    return KINDS[this.bits & KIND_MASK];
  }
  set kind(k: RegionKind) {
    this.bits = (this.bits & ~KIND_MASK) | kindIndex(k);
  }
  get enabled(): boolean {
    return (this.bits & ENABLED) !== 0;
  }
  set enabled(v: boolean) {
    this.bits = v ? this.bits | ENABLED : this.bits & ~ENABLED;
  }
  get readonly(): boolean {
    return (this.bits & READONLY) !== 0;
  }
  set readonly(v: boolean) {
    this.bits = v ? this.bits | READONLY : this.bits & ~READONLY;
  }
  get nonvolatile(): boolean {
    return (this.bits & NONVOLATILE) !== 0;
  }
  set nonvolatile(v: boolean) {
    this.bits = v ? this.bits | NONVOLATILE : this.bits & ~NONVOLATILE;
  }
  get romdMode(): boolean {
    return (this.bits & ROMD_MODE) !== 0;
  }
  set romdMode(v: boolean) {
    this.bits = v ? this.bits | ROMD_MODE : this.bits & ~ROMD_MODE;
  }

  get span(): Span | undefined {
    return this.s0 < 0 ? undefined : { start: this.s0, end: this.s1 };
  }
  set span(s: Span | undefined) {
    this.s0 = s ? s.start : -1;
    this.s1 = s ? s.end : -1;
  }
  get nameSpan(): Span | undefined {
    return this.n0 < 0 ? undefined : { start: this.n0, end: this.nameEnd() };
  }
  set nameSpan(s: Span | undefined) {
    this.n0 = s ? s.start : -1;
    this.setNameEnd(s ? s.end : -1);
  }

  setSpan(start: number, end: number): void {
    this.s0 = start;
    this.s1 = end;
  }

  /** Moves the span ends at or after `from` by `delta` (an edit before them). */
  shiftSpans(from: number, delta: number): void {
    if (this.s0 >= from) this.s0 += delta;
    if (this.s1 >= from) this.s1 += delta;
    const e = this.nameEnd();
    if (this.n0 >= from) this.n0 += delta;
    this.setNameEnd(e >= from ? e + delta : e);
  }
}

export function createRegion(
  m: Machine,
  init: Partial<Omit<Region, 'id' | 'children' | 'container'>> & { name: string; kind: RegionKind },
): Region {
  const nameSpan = init.nameSpan;
  const r = new MemRegion(m.regions.length, init.name, init.kind, nameSpan ? nameSpan.start : -1, nameSpan ? nameSpan.end : -1);
  if (init.size !== undefined) r.size = init.size;
  if (init.enabled !== undefined) r.enabled = init.enabled;
  if (init.readonly !== undefined) r.readonly = init.readonly;
  if (init.nonvolatile !== undefined) r.nonvolatile = init.nonvolatile;
  if (init.romdMode !== undefined) r.romdMode = init.romdMode;
  if (init.alias) r.alias = init.alias;
  if (init.aliasOffset !== undefined) r.aliasOffset = init.aliasOffset;
  if (init.span) r.span = init.span;
  m.regions.push(r);
  return r;
}

/**
 * createRegion for the builder: a region statement's region, QEMU's defaults, its name span as
 * two offsets (no option object or span per region). `id`: the number of regions so far, which
 * is `m.regions.length` unless the builder sized the array ahead (Builder).
 */
export function createNamedRegion(
  m: Machine, name: string, kind: RegionKind, nameStart: number, nameEnd: number, id = m.regions.length,
): Region {
  const r = new MemRegion(id, name, kind, nameStart, nameEnd);
  m.regions[id] = r;
  return r;
}

/** Sets a region's declaration span from two offsets (as assigning `span` does). */
export function setRegionSpan(r: Region, start: number, end: number): void {
  (r as MemRegion).setSpan(start, end);
}

/** Moves a region's spans past an edit: ends at or after `from` move by `delta` (every region is made by createRegion). */
export function shiftRegionSpans(r: Region, from: number, delta: number): void {
  (r as MemRegion).shiftSpans(from, delta);
}

/**
 * memory_region_add_subregion(_overlap): insert before the first sibling whose priority is
 * ≤ the new one's, else at the tail (R-ORD-1). O(log n) search for the common case of
 * appending, O(n) splice otherwise.
 */
export function addSubregion(parent: Region, offset: bigint, sub: Region, priority = 0): void {
  sub.container = parent;
  sub.addr = offset;
  sub.priority = priority;
  const list = ownChildren(parent);
  // Binary search: the list is sorted by priority descending; find the first index
  // whose priority is <= priority.
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].priority > priority) lo = mid + 1;
    else hi = mid;
  }
  if (lo === list.length) list.push(sub);
  else list.splice(lo, 0, sub);
}

/** memory_region_del_subregion (R-ORD-4). */
export function delSubregion(parent: Region, sub: Region): void {
  const i = parent.children.indexOf(sub);
  if (i >= 0) parent.children.splice(i, 1);
  sub.container = null;
}

/** True iff the region renders ranges of its own (R-MR-3 `terminates`). */
export function terminates(r: Region): boolean {
  return r.kind !== 'container' && r.kind !== 'alias';
}

export function isRam(r: Region): boolean {
  return r.kind === 'ram' || r.kind === 'rom' || r.kind === 'ramd';
}

/**
 * memory_region_type (R-MR-4), QEMU 7.2. Aliases take their final target's type. The `nv-`
 * prefix is the printer's business (the tree uses the region's own flag, the flat view the
 * accumulated one).
 */
export function regionType(r: Region): string {
  let t: Region = r;
  for (let guard = 0; t.kind === 'alias' && t.alias && guard < 10_000; guard++) t = t.alias;
  if (t.kind === 'ramd') return 'ramd';
  if (t.kind === 'romd' && t.romdMode) return 'romd';
  if (isRam(t) && t.readonly) return 'rom';
  if (isRam(t)) return 'ram';
  return 'i/o';
}
