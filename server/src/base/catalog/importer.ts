// 7xxx: importing QEMU `info mtree -D` dumps (importer/). Never thrown: a garbled or
// truncated dump yields these diagnostics, with the dump's line number in the message.
import type { CatalogEntry } from './index.js';

export const importerCodes: CatalogEntry[] = [
  {
    code: 'MR7001',
    severity: 'error',
    message: 'line {line}: not an `info mtree` line: {text}',
    explanation:
      'Every line of an `info mtree -D` dump is an `address-space:` or `memory-region:` header, a ' +
      'region line `START-END (prio P, TYPE): NAME`, or an empty line. The importer skips lines it ' +
      'cannot read; the regions on them are missing from the result.',
  },
  {
    code: 'MR7002',
    severity: 'error',
    message: 'line {line}: indentation jumps from level {from} to level {to}',
    explanation:
      'QEMU prints each subregion exactly one indent (two spaces) deeper than its container. A ' +
      'deeper jump means lines were lost; the region is attached to the nearest possible container.',
  },
  {
    code: 'MR7003',
    severity: 'error',
    message: 'line {line}: region line outside any `address-space:` or `memory-region:` block',
    explanation: 'Region lines must follow a block header. The line is ignored.',
  },
  {
    code: 'MR7004',
    severity: 'warning',
    message: 'line {line}: block {block} has {count} top-level regions; only the first is used',
    explanation:
      'An address space or `memory-region:` block prints exactly one root region at level 1; extra ' +
      'level-1 lines mean the dump was garbled.',
  },
  {
    code: 'MR7005',
    severity: 'error',
    message: 'line {line}: alias {name} targets "{target}", but no matching `memory-region:` block is left',
    explanation:
      'QEMU prints the target of every alias once, as a `memory-region:` block, in the order the ' +
      'aliases were first met (R-OUT-8). The importer replays that queue to tell regions with equal ' +
      'names apart; when the blocks do not fit (truncated dump), the alias gets an empty stand-in target.',
  },
  {
    code: 'MR7006',
    severity: 'warning',
    message: 'line {line}: `memory-region: {name}` block is not the target of any alias',
    explanation:
      'Each `memory-region:` block corresponds to one alias target in queue order; a block left over ' +
      'after the replay is imported as an unconnected top-level region.',
  },
  {
    code: 'MR7007',
    severity: 'warning',
    message: 'line {line}: {what} of {name} disagree: {detail}',
    explanation:
      'Numbers on one line contradict each other (for example the alias range `@target A-B` does ' +
      'not have the size of the region range); the region range wins.',
  },
  {
    code: 'MR7008',
    severity: 'warning',
    message: 'line {line}: the dump ends inside block {block}',
    explanation:
      'Every block ends with an empty line. A dump that stops without one was probably cut off; ' +
      'what was read is imported.',
  },
  {
    code: 'MR7009',
    severity: 'error',
    message: 'line {line}: `memory-region: {name}` block has no region line',
    explanation:
      'A `memory-region:` block always prints its region (disabled ones too, with -D). An empty block ' +
      'is imported as an empty container.',
  },
  {
    code: 'MR7010',
    severity: 'information',
    message: 'line {line}: {name} prints {start}-{start}; imported as size {size} ({reason})',
    explanation:
      'QEMU prints a size-0 and a size-1 region alike (R-OUT-4). The importer decides by the facts ' +
      'table: aliases and regions sized from guest registers (PCI bridge windows, TSEG) are size 0 ' +
      'when closed; other regions are size 1.',
  },
  {
    code: 'MR7011',
    severity: 'warning',
    message: 'line {line}: the dump contains no `address-space:` block',
    explanation: 'Nothing to import: the text does not look like `info mtree` output.',
  },
  {
    code: 'MR7012',
    severity: 'information',
    message: 'address-space creation order is a guess ({reason}); the ` AS` lines of `info mtree -f` may be in another order',
    explanation:
      'No `info mtree` output records the order in which address spaces were created (R-DUMP-1). ' +
      'Give the QEMU command line or `info qtree` to recover it; otherwise the importer uses the ' +
      'board convention: memory, I/O, CPU address spaces, then devices.',
  },
  {
    code: 'MR7013',
    severity: 'warning',
    message: 'line {line}: {name} is not mapped anywhere in the dump but sits at {addr} in its former container; the .mrd text puts it at 0',
    explanation:
      'A `memory-region:` block prints its region from the region\'s own offset (R-OUT-9). A region ' +
      'that no printed container holds but whose offset is not 0 was removed from a container; .mrd ' +
      'cannot place a top-level region, so the text round trip prints that block from 0.',
  },
];
