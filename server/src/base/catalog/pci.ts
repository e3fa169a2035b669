// 5xxx: PCI topology and BAR placement: declarations or assignments QEMU would silently
// truncate or leave unmapped, and BARs a bridge or host bridge does not forward.
import type { CatalogEntry } from './index.js';

export const pciCodes: CatalogEntry[] = [
  {
    code: 'MR5001',
    severity: 'warning',
    message: 'BAR{bar} of {dev} is {size} bytes, so address bits below {size} are read-only: {given} decodes at {actual}',
    explanation:
      'A BAR is naturally aligned: its write mask is ~(size-1) (R-PCI-2), so the low address bits are ' +
      'dropped on write (R-PCI-3) and the BAR decodes at the aligned address below the one given. ' +
      'Align the address to the BAR size.',
  },
  {
    code: 'MR5002',
    severity: 'error',
    message: 'BAR{bar} of {dev} is a 32-bit {kind} BAR and cannot hold {given}; it would decode at {actual}',
    explanation:
      'Only 64-bit memory BARs have a high dword. A 32-bit memory or I/O BAR keeps the low 32 bits of ' +
      'the address, and QEMU treats a 32-bit BAR whose last byte reaches 0xffffffff as unmapped (R-PCI-7, ' +
      'R-PCI-8). Use a 64-bit BAR or an address below 4 GiB.',
  },
  {
    code: 'MR5003',
    severity: 'warning',
    message: 'BAR{bar} of {dev} at {start}..{end} is outside the {where} at the end of the sequence: {why}',
    explanation:
      'A BAR behind a bridge is visible only through the bridge windows (aliases of the secondary bus ' +
      'container, R-BR-3); a BAR on a root bus only through the host bridge windows. Outside them QEMU ' +
      'keeps the mapping in the bus container, but no access reaches it. Move the BAR into a window or ' +
      'widen the window.',
  },
  {
    code: 'MR5004',
    severity: 'warning',
    message: 'BAR{bar} of {dev} at {given} with size {size} ends past 2^64-2, so QEMU leaves it unmapped',
    explanation:
      'pci_bar_address treats a BAR whose last byte wraps or equals 0xffffffff_ffffffff as unmapped ' +
      '(R-PCI-8): the BAR silently disappears. Place it lower.',
  },
  {
    code: 'MR5005',
    severity: 'information',
    message: 'BAR{bar} of {dev} at address 0 stays unmapped: this machine does not allow BARs at 0',
    explanation:
      'Machines without pci_allow_0_address (x86 pc and q35) never map a BAR at address 0 (R-PCI-9); ' +
      'arm virt, riscv virt, pseries and s390x do (R-PCI-14). A BAR still at 0 is usually one firmware ' +
      'has not assigned yet.',
  },
];
