// 2xxx: names, references and structure. Reported by model/build.ts while it turns the
// syntax tree into the region graph.
import type { CatalogEntry } from './index.js';

export const structureCodes: CatalogEntry[] = [
  {
    code: 'MR2001',
    severity: 'error',
    message: "unknown constant '{name}'{hint}",
    explanation:
      'An expression names a constant that no `const` statement defines. Keywords are never constants. ' +
      'Because `-` may be part of a name, `RAM-1` is one name: write `RAM - 1` to subtract. The ' +
      'expression has no value, and the attribute using it keeps its default.',
  },
  {
    code: 'MR2002',
    severity: 'error',
    message: "constant '{name}' is already defined",
    explanation:
      'Each constant may be defined once. Later uses see the first definition; the related location ' +
      'points at it.',
  },
  {
    code: 'MR2003',
    severity: 'error',
    message: "constant '{name}' is used before its definition",
    explanation:
      'A constant is usable only in expressions after its `const` statement (files are read top to ' +
      'bottom, like QEMU code runs). Move the `const` up; the related location points at it.',
  },
  {
    code: 'MR2004',
    severity: 'error',
    message: '{what} {value} is out of range {range}',
    explanation:
      'Values are exact and never wrap. A size is 0..2^64 (2^64 is the whole 64-bit space, QEMU keeps ' +
      'it in an Int128); an address (`at`) and an alias `offset` are 0..2^64-1; a priority is a signed ' +
      '32-bit integer, -2^31..2^31-1. The attribute keeps its default.',
  },
  {
    code: 'MR2005',
    severity: 'error',
    message: 'value too large: more than {bits} bits',
    explanation:
      'Intermediate values of an expression are exact but bounded, so that an expression such as ' +
      '`2^2^40` cannot exhaust memory. No address or size needs more than 65 bits.',
  },
  {
    code: 'MR2006',
    severity: 'error',
    message: "negative {what} {value} for '{op}'",
    explanation:
      'Exponents (`^`) and shift counts (`<<`) must not be negative, and `|` is defined on ' +
      'non-negative values only.',
  },
  {
    code: 'MR2010',
    severity: 'error',
    message: "no region named '{name}'{where}",
    explanation:
      'A reference (an alias target after `->`, an address-space `root`) names no region. A reference ' +
      'is an `id`, a name that is unique in the file, or a path `a/b/c` from a top-level region down ' +
      'through its subregions. For a path whose first name exists only below the top level, the ' +
      'related locations show where; start the path at the top level or give the region an `id`.',
  },
  {
    code: 'MR2011',
    severity: 'error',
    message: "ambiguous reference '{name}': {count} regions have this name",
    explanation:
      'Names are not unique (QEMU has many `msix-table` regions), so a bare name may mean several ' +
      'regions. The related locations show the candidates. Disambiguate with a path (`pci/e1000/msix-table`) ' +
      'or give the intended region an `id` and refer to that.',
  },
  {
    code: 'MR2012',
    severity: 'error',
    message: "duplicate id '{id}'",
    explanation:
      'An `id` is a unique handle for references. This one is already used by another region (related ' +
      'location); references with it mean the first region.',
  },
  {
    code: 'MR2013',
    severity: 'error',
    message: "alias '{name}' has no target: add '-> REF'",
    explanation:
      'An alias (QEMU `memory_region_init_alias`) shows a window of another region and needs the target ' +
      'after `->`. Without it the alias is kept, empty and without a target.',
  },
  {
    code: 'MR2014',
    severity: 'error',
    message: "alias '{name}' closes a loop: {chain}; its target is ignored",
    explanation:
      'Rendering an alias renders its target, and rendering a region renders its subregions (R-FLAT-2). ' +
      'An alias whose target leads back to the alias itself — directly, through other aliases, or because ' +
      'the target contains the alias — would make QEMU recurse forever. The alias that closes the loop is ' +
      'treated as having no target; the related locations show the other regions of the loop.',
  },
  {
    code: 'MR2015',
    severity: 'error',
    message: "'{attr}' is not valid for a {kind} region",
    explanation:
      '`->` and `offset` belong to `alias` regions; `romd on|off` to `romd` regions. The attribute is ignored.',
  },
  {
    code: 'MR2016',
    severity: 'warning',
    message: "'{attr}' is given more than once; the last one counts",
    explanation:
      'Each attribute may appear once per region (`enabled` and `disabled` count as one). The related ' +
      'location shows the earlier one, which is overridden.',
  },
  {
    code: 'MR2017',
    severity: 'warning',
    message: "alias offset {offset} is beyond the end of '{target}' (size {size}): the alias is empty",
    explanation:
      'Without `size`, an alias is as large as the rest of its target after the offset. Here the offset ' +
      'lies past the target, so the alias gets size 0 and shows nothing. Give an explicit `size` if the ' +
      'window is meant to extend past the target (QEMU clips it, R-FLAT-3).',
  },
  {
    code: 'MR2018',
    severity: 'warning',
    message: "'{attr}' has no effect on a top-level region",
    explanation:
      'Top-level regions have no container: they are address-space roots or alias targets, so an offset ' +
      '(`at`) or a priority among siblings means nothing for them. It is ignored. Nest the region inside ' +
      'the container it belongs to.',
  },
  {
    code: 'MR2019',
    severity: 'warning',
    message: "include is not followed here: '{path}' is ignored",
    explanation:
      'The text was analysed on its own, without access to files (an analysis of a string, not of a file ' +
      'on disk or in the editor), so the included file is not read. The editor and the command line follow includes.',
  },
  // ---- include (docs/language.md, "Several files") ----
  {
    code: 'MR2020',
    severity: 'error',
    message: "cannot include '{path}': {reason}",
    explanation:
      'The file named by `include` could not be read: it does not exist, is a directory, or reading it failed. ' +
      'A relative path is relative to the directory of the file that contains the `include`.',
  },
  {
    code: 'MR2021',
    severity: 'error',
    message: 'include cycle: {cycle}',
    explanation:
      'A file includes itself, directly or through other files. The `include` that closes the cycle is ignored; ' +
      'the message lists the files around the cycle.',
  },
  {
    code: 'MR2022',
    severity: 'error',
    message: "cannot include '{path}': binary file (contains NUL bytes), not a description",
    explanation: 'The included file is not text: a NUL byte appears in it. It is not read.',
  },
  {
    code: 'MR2023',
    severity: 'error',
    message: "cannot include '{path}': too large ({size}; the limit is {max})",
    explanation:
      'Each included file, like the document itself (MR1098), is read only up to 16 MiB, and all the files ' +
      'a document includes together up to 64 MiB: analysis runs for every edit and its memory grows with the text.',
  },
  {
    code: 'MR2024',
    severity: 'error',
    message: "'{path}' is not included: {reason}",
    explanation:
      'Includes nest at most 16 files deep, and one document includes at most 256 files; beyond either limit ' +
      'the `include` is ignored. This bounds the work of a chain of includes that never ends (such as a path through a link to its own directory).',
  },
  {
    code: 'MR2026',
    severity: 'error',
    message: 'included file {file} has {problems}; first: {first}',
    explanation:
      'Errors in an included file (or in a file it includes) are reported once, at the `include` in this document; ' +
      'the related locations point at each of them in its own file. Open the included file to see them there.',
  },
  {
    code: 'MR2027',
    severity: 'warning',
    message: 'included file {file} has {problems}; first: {first}',
    explanation:
      'Warnings in an included file (or in a file it includes), when it has no errors, are reported once at the ' +
      '`include` in this document; the related locations point at each of them in its own file.',
  },
  // ---- PCI topology and sequences (docs/pci.md) ----
  {
    code: 'MR2030',
    severity: 'error',
    message: "device address {dev} is already used on bus {bus} by '{other}'",
    explanation:
      'A function number on a bus (slot and function, `devfn`) belongs to one device, as in QEMU\'s ' +
      '`do_pci_register_device`. The second declaration is ignored; the related location shows the first.',
  },
  {
    code: 'MR2031',
    severity: 'error',
    message: 'invalid BAR of {dev}: {problem}',
    explanation:
      'BARs follow `pci_register_bar` (R-PCI-1, R-PCI-2): index 0–5 or 6 for the expansion ROM (a bridge ' +
      'has BAR0, BAR1 and the ROM), a power-of-two size, a 64-bit BAR takes the next index for its high ' +
      'dword, a 32-bit BAR is at most 4 GiB, an I/O BAR is never prefetchable. The BAR is ignored.',
  },
  {
    code: 'MR2032',
    severity: 'error',
    message: 'no device {dev} is declared{where}',
    explanation:
      'The devices an IOMMU translates are named by their declared address (`bb:ss.f` with the ' +
      'programmed bus number). The name is ignored; without any device the IOMMU checks nothing.',
  },
  {
    code: 'MR2033',
    severity: 'warning',
    message: 'no device is declared at {dev}{why}; the steps go to whatever answers there at that moment',
    explanation:
      'Steps are routed like config cycles, by the bus numbers the bridges hold at that moment (R-PCI-16), ' +
      'so an address that matches no declaration may still reach a device while the bus numbers differ ' +
      '(or reach nobody, MR6004). Usually this is a typo in the address.',
  },
  {
    code: 'MR2034',
    severity: 'error',
    message: "'{attr}' is not valid for {what}",
    explanation:
      'Each PCI statement has its own attributes (docs/pci.md): `mem`, `io`, `allow-0`, `bus` for ' +
      '`pci-host`; `model`, `express`, `vendor-id`, `device-id`, `class`, `command`, `realize-command`, ' +
      '`serr` for devices and bridges, plus `secondary`, `subordinate`, `primary`, `root-port` for ' +
      'bridges; `size`, `prefetchable`, `at`, `region` for BARs; `size`, `limit`, `name` for windows; ' +
      '`phys-bits` for `cpu`; `aw-bits`, `model` for `iommu`; `on`, `start` for sequences. It is ignored.',
  },
  {
    code: 'MR2035',
    severity: 'error',
    message: "'{attr}' is required for {what}",
    explanation:
      'A BAR needs its `size`, a window its `size` or `limit`, a `pci-host` window its `size`, a `cpu` ' +
      'its `phys-bits` unless the `mrd.cpu.physBits` setting gives it. The statement is ignored.',
  },
  {
    code: 'MR2036',
    severity: 'warning',
    message: "{what} '{name}' is already defined{where}",
    explanation:
      'Sequence names and the labels inside one sequence name steps in messages; a repeated one makes ' +
      'them ambiguous. The related location shows the first definition.',
  },
  {
    code: 'MR2037',
    severity: 'error',
    message: 'access length {len} is not 1, 2 or 4',
    explanation:
      'Config accesses are bytes, words or dwords (R-PCI-15). The step is ignored.',
  },
  {
    code: 'MR2038',
    severity: 'warning',
    message: 'device {dev} is declared on bus {bus}, but {where} has bus number {n}',
    explanation:
      'Bus numbers in device addresses are the programmed ones (what `info pci` shows): a device in a ' +
      'bridge body is on the bridge\'s `secondary` bus, a device directly in a `pci-host` body on its ' +
      '`bus` (0 by default). The device is placed where it is written; the address is only a label.',
  },
  {
    code: 'MR2039',
    severity: 'error',
    message: "region '{name}' cannot be BAR{bar} of {dev}: {why}",
    explanation:
      'The region a BAR maps (`region REF`) is what `pci_register_bar` was given: it must have the BAR\'s ' +
      'size, be a top-level region (the simulation adds it to the bus container and removes it again), ' +
      'and serve one BAR only. Without `region` a new region `<device>-bar<N>` is created.',
  },
  {
    code: 'MR2040',
    severity: 'error',
    message: "this step addresses no device: give the sequence 'on BB:SS.F' or put the step in an 'on BB:SS.F { … }' block",
    explanation:
      '`read`, `write` and `bar` steps go to the device named by the innermost `on` (the sequence\'s ' +
      '`on` attribute or an `on … { }` block). The step is ignored.',
  },
  {
    code: 'MR2041',
    severity: 'warning',
    message: "label '{name}' names no step",
    explanation: '`label NAME` names the step after it, for messages (`step 6 "size-hi"`). Nothing follows this one.',
  },
  {
    code: 'MR2042',
    severity: 'error',
    message: "'{value}' is not a valid {what}: expected {choices}",
    explanation:
      'Some PCI attributes take one of a few words: a BAR kind is `io`, `mem32`, `mem64` (or `rom` for ' +
      'BAR 6), a window kind `mem`, `io` or `pref`, `start` is `programmed` or `reset`, `serr` is `on` ' +
      'or `off`. The attribute is ignored.',
  },
];
