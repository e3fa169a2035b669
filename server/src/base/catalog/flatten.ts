// 3xxx: flattening, visibility and overlap. What the flat view will make of a description that
// QEMU accepts without a word: windows clipped to nothing, sizes one byte short, regions that
// are mapped and never seen.
import type { CatalogEntry } from './index.js';

export const flattenCodes: CatalogEntry[] = [
  {
    code: 'MR3001',
    severity: 'information',
    message: "alias '{name}' reaches {excess} past the end of '{target}' (offset {offset} + size {size} > {tsize}): {part} shows nothing",
    explanation:
      'Rendering an alias renders its target clipped to the alias window and to the target itself ' +
      '(R-FLAT-2, R-FLAT-3), so the part of the window past the end of the target maps nothing: ' +
      'accesses there fall through to whatever lies below the alias (or to nothing at all). QEMU ' +
      'accepts such an alias silently, and some machines make one on purpose (mips malta maps a ' +
      '32 MiB `pci0-io` window onto the 64 KiB `io` space), so this is information, not a warning. ' +
      'Elsewhere the offset or the size is usually off, or the target is not the region meant; the ' +
      'related location shows the target, and when the window starts inside the target a quick fix ' +
      'ends it where the target ends.',
  },
  {
    code: 'MR3002',
    severity: 'warning',
    message: 'size 2^64-1 is one byte short of the whole 64-bit space, and QEMU cannot make it: write 2^64',
    explanation:
      'QEMU takes a size of UINT64_MAX as 2^64 (`memory_region_do_init`, R-MR-2), so no QEMU region ' +
      'is 2^64-1 bytes long; `0xffffffffffffffff` written as a size is the C idiom for "all of it". ' +
      'Here the region would end one byte short and the last address, 0xffffffffffffffff, would be ' +
      'outside it. The quick fix writes 2^64.',
  },
  {
    code: 'MR3003',
    severity: 'information',
    message: 'size 2^63-1 (INT64_MAX) covers only 0..0x7ffffffffffffffe: anything placed higher is clipped away',
    explanation:
      'Before 2014 QEMU sized its whole-space containers INT64_MAX ("exec: make address spaces 64-bit ' +
      'wide" changed them to UINT64_MAX, which means 2^64, R-MR-2). A container of 2^63-1 bytes clips ' +
      'everything at or above 0x7fffffffffffffff (R-FLAT-3): a 64-bit BAR sized with decode on, for ' +
      'instance, disappears instead of showing up at 0xffffffff_xxxxxxxx, and a region sized from ' +
      'such a container (the 2013 PCI master-abort region) inherits the half space. If the whole space ' +
      'is meant, the quick fix writes 2^64.',
  },
  {
    code: 'MR3010',
    severity: 'information',
    message: '{what} is mapped but never visible: {by} {verb} all of it ({where})',
    explanation:
      'The renderer reaches the region (it and its containers are enabled, its window is not clipped ' +
      'to nothing), but in every flat view something else is visible wherever it would be: a sibling ' +
      'of higher priority, an equal-priority sibling added later (R-ORD-2), or its own subregions, ' +
      'since the first region rendered at an address wins (R-FLAT-5). Accesses never reach it. Real ' +
      'machines do this on purpose (firmware shadowing `pc.rom` and `isa-bios` with RAM through the PAM ' +
      'aliases), so this is information; a BAR or RAM hidden by accident is the bug it catches. The ' +
      'related locations name what is visible instead, and hovering the region shows where it is ' +
      'mapped and the parts hidden. Checked in the state the document shows (with PCI sequences: at ' +
      'the end of the last one). Only the outermost region of a hidden subtree is reported, and a region ' +
      'visible anywhere, even through an alias, is not.',
  },
  {
    code: 'MR3011',
    severity: 'warning',
    message: '{what} overlaps {other} at {start}..{end} in {space}: {outcome}',
    explanation:
      'Two things a guest expects to reach at their own addresses are rendered over each other: two ' +
      'BARs, or a BAR and RAM or ROM. QEMU accepts it without a word (no collision check, R-MR-6); the ' +
      'flat view shows only the first rendered at each address (R-FLAT-5), so one of them cannot be ' +
      'reached there. Which one follows from where their paths part: the subregion of higher priority ' +
      'in that container wins, and among equal priorities the one added last (R-ORD-2; a BAR whose ' +
      'address changes is removed and added again, so the BAR programmed last wins, R-PCI-5). A BAR ' +
      'inside `pci` (priority -1 under `system` on x86) is always under RAM. Checked in the state the ' +
      'document shows (with PCI sequences: at the end of the last one); the message says which one is ' +
      'visible and why, and the related location shows the other.',
  },
];
