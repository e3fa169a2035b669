// Facts about QEMU 7.2's own device models that no `info mtree` dump records (spec §5.3),
// keyed by the region names QEMU creates. Each entry cites the source that sets it. The
// defaults below the tables are general rules, used for every name the tables do not know.
import type { RegionKind } from '../model/region.js';

export interface Fact {
  /** A region name, or a pattern for names with an instance number or bus name in them. */
  readonly match: string | RegExp;
  /** QEMU 7.2 file and function that creates the region this way. */
  readonly source: string;
}

export interface KindFact extends Fact {
  /** The constructor behind a region the dump prints as `i/o` (R-MR-3, R-DUMP-2). */
  readonly kind: Extract<RegionKind, 'io' | 'container' | 'iommu'>;
}

/**
 * `i/o` regions whose constructor the defaults would get wrong: terminating regions with
 * children (they show through the gaps between them, R-FLAT-6) and pure containers that can
 * print as leaves (an empty bus shows nothing, R-PCI-11).
 */
export const kindFacts: readonly KindFact[] = [
  // Terminating regions with subregions.
  { match: 'io', kind: 'io', source: 'softmmu/physmem.c memory_map_init: memory_region_init_io(system_io, ..., &unassigned_io_ops, ..., "io", 65536) (R-MACH-3)' },
  { match: 'rtc', kind: 'io', source: 'hw/rtc/mc146818rtc.c rtc_realizefn: memory_region_init_io(&s->io, ..., &cmos_ops, ..., "rtc", 2), then adds "rtc-index" into it' },
  { match: 'gpex_mmio_window', kind: 'io', source: 'hw/pci-host/gpex.c gpex_host_realize: memory_region_init_io(&s->io_mmio_window, ..., &unassigned_io_ops, ...) when allow-unmapped-accesses (default on), holds "gpex_mmio"' },
  { match: 'gpex_ioport_window', kind: 'io', source: 'hw/pci-host/gpex.c gpex_host_realize: memory_region_init_io(&s->io_ioport_window, ..., &unassigned_io_ops, ...), holds "gpex_ioport"' },
  { match: /^vtd-[0-9a-f]{2}\.[0-7]-dmar$/, kind: 'iommu', source: 'hw/i386/intel_iommu.c vtd_find_add_as: memory_region_init_iommu(&vtd_dev_as->iommu, ..., TYPE_INTEL_IOMMU_MEMORY_REGION, ...), holds the "vtd-ir" alias' },
  { match: /^tce-iommu-[0-9a-f]+$/, kind: 'iommu', source: 'hw/ppc/spapr_iommu.c spapr_tce_table_realize: memory_region_init_iommu(&tcet->iommu, ..., "tce-iommu-%x", 0)' },
  { match: /^smmuv3-iommu-memory-region-\d+-\d+$/, kind: 'iommu', source: 'hw/arm/smmu-common.c smmu_find_add_as: memory_region_init_iommu(&sdev->iommu, ..., TYPE_SMMUV3_IOMMU_MEMORY_REGION, ...)' },
  // Pure containers that may have no subregions.
  { match: 'system', kind: 'container', source: 'softmmu/physmem.c memory_map_init: memory_region_init(system_memory, NULL, "system", UINT64_MAX)' },
  { match: 'pci', kind: 'container', source: 'hw/i386/pc_piix.c pc_init1 / hw/i386/pc_q35.c pc_q35_init: memory_region_init(pci_memory, NULL, "pci", UINT64_MAX)' },
  { match: 'bus master container', kind: 'container', source: 'hw/pci/pci.c do_pci_register_device: memory_region_init(&pci_dev->bus_master_container_region, ..., "bus master container", UINT64_MAX)' },
  { match: 'pci_bridge_pci', kind: 'container', source: 'hw/pci/pci_bridge.c pci_bridge_initfn: memory_region_init(&br->address_space_mem, ..., "pci_bridge_pci", UINT64_MAX) (R-BR-1)' },
  { match: 'pci_bridge_io', kind: 'container', source: 'hw/pci/pci_bridge.c pci_bridge_initfn: memory_region_init(&br->address_space_io, ..., "pci_bridge_io", 4 * GiB) (R-BR-1)' },
  { match: 'gpex_mmio', kind: 'container', source: 'hw/pci-host/gpex.c gpex_host_realize: memory_region_init(&s->io_mmio, ..., "gpex_mmio", UINT64_MAX)' },
  { match: 'gpex_ioport', kind: 'container', source: 'hw/pci-host/gpex.c gpex_host_realize: memory_region_init(&s->io_ioport, ..., "gpex_ioport", 64 * 1024)' },
  { match: 'pci0-mem', kind: 'container', source: 'hw/pci-host/gt64120.c gt64120_realize: memory_region_init(&s->pci0_mem, ..., "pci0-mem", 4 * GiB)' },
  { match: 'pci_mem', kind: 'container', source: 'hw/pci-host/versatile.c pci_vpb_realize: memory_region_init(&s->pci_mem_space, ..., "pci_mem", 4 * GiB)' },
  { match: 'pci_io', kind: 'container', source: 'hw/pci-host/versatile.c pci_vpb_realize: memory_region_init(&s->pci_io_space, ..., "pci_io", 4 * GiB)' },
  { match: /^pci@[0-9a-f]+\.(mmio|io|iommu-root)$/, kind: 'container', source: 'hw/ppc/spapr_pci.c spapr_phb_realize: memory_region_init(&sphb->memspace, ..., "%s.mmio"), (&sphb->iospace, ..., "%s.io"), (&sphb->iommu_root, ..., "%s.iommu-root")' },
  { match: /^tce-root-[0-9a-f]+$/, kind: 'container', source: 'hw/ppc/spapr_iommu.c spapr_tce_table_realize: memory_region_init(&tcet->root, ..., "tce-root-%x", UINT64_MAX)' },
  { match: 'platform bus', kind: 'container', source: 'hw/core/platform-bus.c platform_bus_realize: memory_region_init(&pbus->mmio, NULL, "platform bus", pbus->mmio_size)' },
  { match: 'e1000e-flash', kind: 'container', source: 'hw/net/e1000e.c e1000e_pci_realize: memory_region_init(&s->flash, ..., "e1000e-flash", E1000E_FLASH_SIZE) ("dummy implementation for the flash BAR")' },
  { match: /^vtd-[0-9a-f]{2}\.[0-7]$/, kind: 'container', source: 'hw/i386/intel_iommu.c vtd_find_add_as: memory_region_init(&vtd_dev_as->root, ..., name, UINT64_MAX)' },
  { match: 'vtd-nodmar', kind: 'container', source: 'hw/i386/intel_iommu.c vtd_realize: memory_region_init(&s->mr_nodmar, ..., "vtd-nodmar", UINT64_MAX)' },
  { match: 'smram', kind: 'container', source: 'hw/pci-host/i440fx.c i440fx_init / hw/pci-host/q35.c mch_realize: memory_region_init(&f->smram / &mch->smram, ..., "smram", 4 * GiB)' },
];

/** Aliases created read-only (R-DUMP-3): invisible in the tree, `rom` in the flat view. */
export const readonlyAliasFacts: readonly Fact[] = [
  { match: 'pam-rom', source: 'hw/pci-host/pam.c init_pam: memory_region_init_alias(&mem->alias[1], ..., "pam-rom", ...); memory_region_set_readonly(&mem->alias[1], true)' },
];

/**
 * Regions sized from guest-programmed registers: a line printing `A-A` is size 0 (closed),
 * never size 1 (R-OUT-4, R-DUMP-5). Open windows are at least 4 KiB (I/O) or 1 MiB (memory).
 */
export const zeroSizeFacts: readonly Fact[] = [
  { match: /^pci_bridge_(io|mem|pref_mem)$/, source: 'hw/pci/pci_bridge.c pci_bridge_init_alias: size = (enabled && limit >= base) ? limit + 1 - base : 0 (R-BR-3)' },
  { match: /^pci_bridge_vga_(mem|io_lo|io_hi)$/, source: 'hw/pci/pci_bridge.c pci_bridge_region_init: VGA window aliases, absent or sized by BRIDGE_CONTROL (R-BR-5)' },
  { match: 'tseg-blackhole', source: 'hw/pci-host/q35.c mch_update_smram: memory_region_set_size(mch->tseg_blackhole, tseg_size), tseg_size = 0 unless ESMRAMC.T_EN' },
  { match: 'tseg-window', source: 'hw/pci-host/q35.c mch_update_smram: memory_region_set_size(mch->tseg_window, tseg_size), tseg_size = 0 unless ESMRAMC.T_EN' },
];

/**
 * List order of equal-priority siblings at different addresses that overlap (R-DUMP-4).
 * `newer` was added after `older` in the same container, so it comes first and wins.
 */
export interface OrderFact extends Fact {
  /** The sibling added earlier (a name or pattern, like `match`). */
  readonly older: string | RegExp;
}
export const orderFacts: readonly OrderFact[] = [
  { match: 'pci-vbp-window', older: 'pci_io', source: 'hw/arm/versatilepb.c versatile_init: sysbus_mmio_map of region 3 ("pci_io", a 4 GiB container) precedes regions 4..6 (the "pci-vbp-window" aliases it overlaps)' },
  { match: /^tce-root-[0-9a-f]+$/, older: 'msi', source: 'hw/ppc/spapr_pci.c spapr_phb_realize: the "msi" window is added to the iommu-root before the DMA-window loop adds each "tce-root-%x"' },
];

export function nameMatches(match: string | RegExp, name: string): boolean {
  return typeof match === 'string' ? match === name : match.test(name);
}

function matches(f: Fact, name: string): boolean {
  return nameMatches(f.match, name);
}

export function findFact<F extends Fact>(table: readonly F[], name: string): F | undefined {
  return table.find((f) => matches(f, name));
}

/**
 * The kind of a non-alias region printed `i/o`. Defaults: a region with subregions is a pure
 * container (most `i/o` parents are: `system`, bus containers, MSI-X BARs), a leaf has its own
 * ops (device registers are `memory_region_init_io`); a name ending in "container" names a
 * container either way.
 */
export function ioKind(name: string, hasChildren: boolean): { kind: KindFact['kind']; fact?: KindFact } {
  const fact = findFact(kindFacts, name);
  if (fact) return { kind: fact.kind, fact };
  if (/container$/.test(name)) return { kind: 'container' };
  return { kind: hasChildren ? 'container' : 'io' };
}

export function isReadonlyAlias(name: string): boolean {
  return findFact(readonlyAliasFacts, name) !== undefined;
}

/**
 * Size of a region whose line prints `A-A`. Aliases default to 0: QEMU's zero-size aliases are
 * closed windows (bridge windows, TSEG), and no device model maps a one-byte alias. Other
 * regions default to 1 (one-byte I/O ports are common).
 */
export function pointSize(name: string, isAlias: boolean): { size: bigint; reason: string } {
  const fact = findFact(zeroSizeFacts, name);
  if (fact) return { size: 0n, reason: fact.source };
  if (isAlias) return { size: 0n, reason: 'default for aliases: a closed window' };
  return { size: 1n, reason: 'default for non-alias regions' };
}

/**
 * Address-space creation order (R-AS-1, R-DUMP-1), as boards create them: `memory` and `I/O`
 * first (softmmu/physmem.c memory_map_init), then per CPU `cpu-secure-memory-N` before
 * `cpu-memory-N` (target/arm/cpu.c arm_cpu_realizefn; softmmu/cpus.c qemu_init_vcpu), then
 * other spaces and devices in creation order (hw/pci/pci.c do_pci_register_device names the
 * bus-master space after the device type), then what is created at machine-done: per-device
 * IOMMU spaces, made when hw/pci/pci.c pcibus_machine_done runs pci_init_bus_master for each
 * cold-plugged device in devfn order (hw/i386/intel_iommu.c vtd_find_add_as "vtd-root" with
 * root "vtd-SS.F"; hw/arm/smmu-common.c smmu_find_add_as "smmuv3-iommu-memory-region-BUS-DEVFN"),
 * and x86 `cpu-smm-N` (target/i386/tcg/sysemu/tcg-cpu.c tcg_cpu_machine_done). `deviceRank`
 * is a device's creation rank (from `info qtree` or the command line), if known.
 */
export function addressSpaceRank(name: string, rootName: string | null, printed: number, deviceRank?: number): number[] {
  if (name === 'memory') return [0];
  if (name === 'I/O') return [1];
  let m = /^cpu-secure-memory-(\d+)$/.exec(name);
  if (m) return [2, Number(m[1]), 0];
  m = /^cpu-memory-(\d+)$/.exec(name);
  if (m) return [2, Number(m[1]), 1];
  m = /^smmuv3-iommu-memory-region-(\d+)-(\d+)$/.exec(name);
  if (m) return [5, Number(m[1]), Number(m[2])];
  m = name === 'vtd-root' && rootName ? /^vtd-([0-9a-f]{2})\.([0-7])$/.exec(rootName) : null;
  if (m) return [5, 0, parseInt(m[1], 16) * 8 + Number(m[2])];
  m = /^cpu-smm-(\d+)$/.exec(name);
  if (m) return [6, Number(m[1])];
  if (deviceRank !== undefined) return [4, deviceRank];
  return [3, printed];
}
