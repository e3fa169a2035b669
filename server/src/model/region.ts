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
  /** Where the region is declared, if it came from a document. */
  span?: Span;
  /** The span of the region's name, for hover/rename. */
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

export function createRegion(
  m: Machine,
  init: Partial<Omit<Region, 'id' | 'children' | 'container'>> & { name: string; kind: RegionKind },
): Region {
  const r: Region = {
    id: m.regions.length,
    name: init.name,
    kind: init.kind,
    size: init.size ?? 0n,
    addr: 0n,
    priority: 0,
    enabled: init.enabled ?? true,
    readonly: init.readonly ?? init.kind === 'rom',
    nonvolatile: init.nonvolatile ?? false,
    romdMode: init.romdMode ?? true,
    alias: init.alias ?? null,
    aliasOffset: init.aliasOffset ?? 0n,
    children: [],
    container: null,
    span: init.span,
    nameSpan: init.nameSpan,
  };
  m.regions.push(r);
  return r;
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
  const list = parent.children;
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
