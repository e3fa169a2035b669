// 6xxx: programming sequences: transient mappings while sizing, reads that contradict what
// the sequence expects, accesses nobody answers.
import type { CatalogEntry } from './index.js';

export const sequenceCodes: CatalogEntry[] = [
  {
    code: 'MR6001',
    severity: 'warning',
    message: 'sizing BAR{bar} of {dev} with {decode} decode on maps it at {start}..{end} from {step} until {until}',
    explanation:
      'Each config write remaps the BAR when decode is enabled (R-PCI-4/5). Writing all ones to a BAR ' +
      'dword while COMMAND.MEMORY (or IO) is set moves the BAR, for the time until the original value is ' +
      'written back, to the all-ones address: near 4 GiB for the low dword of a 64-bit BAR, at ' +
      '0xffffffff_xxxxxxxx for its high dword (R-SIZE-3, R-SIZE-4). Meanwhile it shadows whatever lives ' +
      'there (the BIOS ROM below 4 GiB) and listeners such as VFIO see a mapping no IOMMU can take. ' +
      'SeaBIOS and Linux clear the decode bits around sizing; do the same.',
  },
  {
    code: 'MR6002',
    severity: 'information',
    message: 'sizing BAR{bar} of {dev} with {decode} decode on unmaps it from {step} until {until}',
    explanation:
      'With decode on, writing all ones to a 32-bit BAR (or to both dwords of a 64-bit BAR) makes its ' +
      'last byte reach the top of the address space, which QEMU treats as unmapped (R-SIZE-2, R-SIZE-4); ' +
      'the device is unreachable until the value is restored, after which it is re-added as the newest ' +
      'region (R-ORD-4). Harmless unless something accesses the device meanwhile.',
  },
  {
    code: 'MR6003',
    severity: 'error',
    message: 'read of {len} bytes at {offset} of {dev} at {step} returns {got}, not the expected {expected}',
    explanation:
      'The simulator computes config reads from the registers as QEMU keeps them: BARs read back ' +
      '~(size-1) with their type bits after an all-ones write (R-PCI-3), unimplemented BARs read 0, and ' +
      'only the writable bits of each register change. Only bits the model knows are compared.',
  },
  {
    code: 'MR6004',
    severity: 'warning',
    message: 'no device answers at {dev} at {step}: {why}',
    explanation:
      'Config accesses are routed by the bus numbers the bridges hold at that moment (R-PCI-16): after ' +
      'reset every secondary bus number is 0, so devices behind a bridge answer only once the bridge has ' +
      'been given a secondary bus number. Writes to absent functions are dropped; reads return all ones.',
  },
];
