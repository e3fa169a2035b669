// 4xxx: address widths. A BAR the simulation maps beyond what an initiator can address:
// the CPU's physical address width (R-CPU-1) or an IOMMU's input width (R-DMA-5, R-CPU-4);
// memory the CPU cannot reach (R-CPU-2).
import type { CatalogEntry } from './index.js';

export const widthCodes: CatalogEntry[] = [
  {
    code: 'MR4001',
    severity: 'warning',
    message: 'BAR{bar} of {dev} at {start}..{end} exceeds the {bits}-bit IOMMU (max {max}) after {step} ({why})',
    explanation:
      'The device is behind an IOMMU whose input address width is smaller than the address QEMU maps the ' +
      'BAR at. QEMU itself accepts any 64-bit BAR address (R-PCI-8), but peer-to-peer DMA and VFIO map ' +
      'BARs into the IOMMU, and an IOVA at or above 2^aw-bits cannot be translated (R-DMA-5, R-CPU-4). ' +
      'The classic case is sizing a 64-bit BAR with memory decode on: writing all ones to the high dword ' +
      'maps the BAR at 0xffffffff_xxxxxxxx for a moment (R-SIZE-3), the spurious mapping of the January ' +
      '2014 qemu-devel thread. Since then VFIO skips sections whose address has bit 63 set (R-DMA-1), so ' +
      'QEMU 7.2 no longer hands that transient to the host IOMMU; a BAR between 2^aw-bits and 2^63 still ' +
      'reaches VFIO_IOMMU_MAP_DMA and fails there (R-DMA-2), and the guest\'s IOMMU faults on DMA to ' +
      'either (R-DMA-5). Clear COMMAND.MEMORY around sizing, or place the BAR lower.',
  },
  {
    code: 'MR4002',
    severity: 'warning',
    message: 'BAR{bar} of {dev} at {start}..{end} is beyond the {bits}-bit CPU physical address space (max {max}) after {step} ({why})',
    explanation:
      'The guest CPU can reach an address only below 2^phys-bits (R-CPU-1): page-table bits above ' +
      'MAXPHYADDR are reserved. QEMU still maps the BAR in the flat view, so nothing fails until a ' +
      'driver touches it. Assign the BAR below the limit, or give the CPU more phys-bits.',
  },
  {
    code: 'MR4004',
    severity: 'warning',
    message: '{kind} {name} at {start}..{end} reaches past the {bits}-bit CPU physical address space (max {max})',
    explanation:
      'A CPU reaches only addresses below 2^phys-bits (R-CPU-1), and memory past that is memory no guest ' +
      'can use. QEMU checks it itself: a pc machine exits at start when RAM above 4 GiB, the hotplug area ' +
      "or the 64-bit PCI hole would reach past it (\"Address space limit … phys-bits too low\", R-CPU-2), and " +
      'the arm virt machine refuses memory beyond its PA size (R-CPU-3). Give the CPU more phys-bits or ' +
      'place the memory lower. Checked in the `memory` address space, at the end of the last sequence; ' +
      'BARs have MR4002.',
  },
  {
    code: 'MR4003',
    severity: 'warning',
    message: '{what} at {start}..{end} straddles the 4 GiB boundary after {step}',
    explanation:
      'A range that starts below 4 GiB and ends above it can be reached neither by 32-bit-only ' +
      'initiators (all of it) nor described by 32-bit window registers. Aligned BARs can only straddle ' +
      '4 GiB when they are larger than 4 GiB and sit at 0; prefetchable bridge windows can straddle it.',
  },
  {
    code: 'MR4005',
    severity: 'warning',
    message: 'intel-iommu accepts aw-bits 39 or 48 only; QEMU 7.2 refuses {bits}',
    explanation:
      'QEMU\'s intel-iommu (`model vtd`, or `intel-iommu`) checks its `aw-bits` property when the ' +
      'machine starts (`vtd_decide_config`: "Supported values for aw-bits are: 39, 48") and refuses ' +
      'anything else; there is no 52-bit setting in 7.2 (R-DMA-5). mrd still checks mappings against ' +
      'the width written, but no QEMU 7.2 guest has it. Other models (smmuv3, virtio-iommu) are not ' +
      'checked.',
  },
];
