// The hand-written sample descriptions in samples/ as regression tests.
//   pc-i440fx.mrd    — equals the real QEMU 7.2 capture x86_64-pc: `info mtree -f` blocks of
//                      `memory`, `I/O`, `cpu-smm-0` (and the rest), `info mtree`, `info mtree -D`.
//   aarch64-virt.mrd — equals the capture aarch64-virt: `memory` and `I/O` flat blocks (and the
//                      whole `info mtree -f`, `info mtree`, `info mtree -D`).
//   q35-iommu.mrd    — equals a flat view derived by hand from the rules of the spec (there is
//                      no capture of this machine); each non-obvious line cites its rule.
// Every sample must analyse without errors or warnings. Captures are read from
// ../shared/oracle (never copied into the repository); they use CRLF line ends.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { printFlat } from '../../src/engine/flatPrint.js';
import { printMtree } from '../../src/engine/mtreePrint.js';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { analyzeText } from '../../src/model/analyze.js';

const REPO = path.resolve(__dirname, '../../..');
const SAMPLES = path.join(REPO, 'samples');
const MTREE = path.resolve(__dirname, '../../../../shared/oracle/mtree');
const haveOracle = existsSync(path.join(MTREE, 'x86_64-pc.flat.txt'));

const sample = (name: string): string => readFileSync(path.join(SAMPLES, name), 'utf8');
const capture = (file: string): string => readFileSync(path.join(MTREE, file), 'utf8').replace(/\r\n?/g, '\n');

/** Blank-line separated blocks of `info mtree` / `info mtree -f` text, `FlatView #n` unnumbered. */
function blocks(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\n+/)
    .map((b) => b.replace(/^\n+|\n+$/g, '').replace(/^FlatView #\d+$/m, 'FlatView #'))
    .filter((b) => b.length > 0);
}

/** The flat block that lists address space `as` (its ` AS "…"` line), as lines. */
function flatBlock(text: string, as: string): string[] {
  const found = blocks(text).filter((b) => b.split('\n').some((l) => l.startsWith(` AS "${as}", root: `)));
  expect(found, `one flat block for AS "${as}"`).toHaveLength(1);
  return found[0].split('\n');
}

/** The range lines of a flat block (everything after ` Root memory region:`). */
const ranges = (block: string[]): string[] => block.slice(block.findIndex((l) => l.startsWith(' Root memory region:')) + 1);

/** The `address-space:` group of a hierarchical dump whose header names `as`. */
function asGroup(text: string, as: string): string {
  const found = blocks(text).filter((b) => b.startsWith('address-space: ') && b.split('\n').includes(`address-space: ${as}`));
  expect(found, `one address-space group for "${as}"`).toHaveLength(1);
  return found[0];
}

const sorted = (xs: string[]): string[] => xs.slice().sort();

function expectClean(file: string): void {
  const a = analyzeDocument(sample(file));
  const bad = a.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
  expect(bad.map((d) => `${d.code} ${d.message}`)).toEqual([]);
}

function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = runCli(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

// ---------------------------------------------------------------------------------------------
describe('samples/pc-i440fx.mrd against the capture x86_64-pc (QEMU 7.2, -M pc -m 128M)', () => {
  const machine = () => analyzeText(sample('pc-i440fx.mrd')).machine;

  it('checks clean: no errors, no warnings', () => expectClean('pc-i440fx.mrd'));

  describe.skipIf(!haveOracle)('oracle', () => {
    const flat = () => printFlat(machine());
    const real = () => capture('x86_64-pc.flat.txt');

    for (const as of ['memory', 'I/O', 'cpu-smm-0']) {
      it(`info mtree -f: the ranges of the FlatView block of "${as}" byte for byte`, () => {
        expect(ranges(flatBlock(flat(), as)).join('\n')).toBe(ranges(flatBlock(real(), as)).join('\n'));
      });
      it(`info mtree -f: the whole block of "${as}" (AS lines in creation order, resolved root)`, () => {
        expect(flatBlock(flat(), as)).toEqual(flatBlock(real(), as));
      });
    }

    it('info mtree -f: every block, including the four empty bus-master views', () => {
      expect(sorted(blocks(flat()))).toEqual(sorted(blocks(real())));
    });

    const treeCases = [
      { disabled: false, file: 'x86_64-pc.mtree.txt' },
      { disabled: true, file: 'x86_64-pc.mtreeD.txt' },
    ];
    for (const { disabled, file } of treeCases) {
      for (const as of ['memory', 'I/O', 'cpu-smm-0', 'i440FX', 'PIIX3', 'piix3-ide', 'PIIX4_PM']) {
        it(`${file}: the address-space group of "${as}"`, () => {
          expect(asGroup(printMtree(machine(), { disabled }), as)).toBe(asGroup(capture(file), as));
        });
      }
      it(`${file}: every group and every memory-region block (block order is a hash order, R-OUT-2)`, () => {
        expect(sorted(blocks(printMtree(machine(), { disabled })))).toEqual(sorted(blocks(capture(file))));
      });
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('samples/aarch64-virt.mrd against the capture aarch64-virt (QEMU 7.2, -M virt -m 128M)', () => {
  const machine = () => analyzeText(sample('aarch64-virt.mrd')).machine;

  it('checks clean: no errors, no warnings', () => expectClean('aarch64-virt.mrd'));

  describe.skipIf(!haveOracle)('oracle', () => {
    const flat = () => printFlat(machine());
    const real = () => capture('aarch64-virt.flat.txt');

    for (const as of ['memory', 'I/O']) {
      it(`info mtree -f: the FlatView block of "${as}"`, () => {
        expect(ranges(flatBlock(flat(), as)).join('\n')).toBe(ranges(flatBlock(real(), as)).join('\n'));
        expect(flatBlock(flat(), as)).toEqual(flatBlock(real(), as));
      });
    }

    it('info mtree -f, info mtree, info mtree -D: every block', () => {
      expect(sorted(blocks(flat()))).toEqual(sorted(blocks(real())));
      expect(sorted(blocks(printMtree(machine(), { disabled: false })))).toEqual(sorted(blocks(capture('aarch64-virt.mtree.txt'))));
      expect(sorted(blocks(printMtree(machine(), { disabled: true })))).toEqual(sorted(blocks(capture('aarch64-virt.mtreeD.txt'))));
    });
  });
});

// ---------------------------------------------------------------------------------------------
// q35-iommu.mrd: no capture exists; the expectation below was derived by hand from
// /work/shared/spec/qemu-semantics.md, not by running the engine. Lines without a comment are
// a single region alone at its address, printed per R-FOUT-3 (no `@` when the offset is 0).
describe('samples/q35-iommu.mrd against a flat view derived by hand', () => {
  const flat = () => printFlat(analyzeText(sample('q35-iommu.mrd')).machine);

  // The `system` map, shared by `memory` and `cpu-memory-0` (same root, R-AS-3).
  const SYSTEM_RANGES = [
    // ram-below-4g (prio 0) under the enabled smram-region alias: the alias shows `pci` at
    // 0xa0000-0xbffff where `pci` has nothing, so it is transparent (R-FLAT-5) and RAM shows.
    // Offset 0: no `@` (R-FOUT-3). It cannot merge with 0xc0000 (different leaf).
    '  0000000000000000-00000000000bffff (prio 0, ram): pc.ram',
    // PAM 0xc0000 mode 0: pam-pci@pci -> pc.rom at offset 0. Leaf's priority 1 and type
    // (R-FOUT-4); only this 16 KiB segment, the rest of pc.rom is covered by RAM (R-FLAT-3 clip).
    '  00000000000c0000-00000000000c3fff (prio 1, rom): pc.rom',
    // PAM 0xc4000 mode 1: the read-only alias pam-rom makes the piece read-only, printed `rom`
    // (R-FLAT-8, R-FOUT-5) with the leaf pc.ram's prio 0 (R-FOUT-4, not the alias's 1).
    '  00000000000c4000-00000000000c7fff (prio 0, rom): pc.ram @00000000000c4000',
    // No PAM alias written for 0xc8000-0xdffff: ram-below-4g, writable; it does not merge with
    // the read-only piece before it (readonly differs, R-FLAT-9).
    '  00000000000c8000-00000000000dffff (prio 0, ram): pc.ram @00000000000c8000',
    // PAM 0xe0000 mode 0: pam-pci@pci -> isa-bios (alias, offset 0x20000) -> pc.bios; offsets
    // add up along the alias chain (R-FLAT-8); leaf pc.bios has prio 0 (R-FOUT-4).
    '  00000000000e0000-00000000000e3fff (prio 0, rom): pc.bios @0000000000020000',
    // Three writable pc.ram pieces with contiguous offsets, reached through pam-pci@pc.ram
    // (0xe4000), pam-ram (0xe8000) and ram-below-4g (0xec000): merged, whatever the alias
    // (R-FLAT-9).
    '  00000000000e4000-00000000000effff (prio 0, ram): pc.ram @00000000000e4000',
    // PAM0 mode 1: read-only BIOS shadow (R-FOUT-5).
    '  00000000000f0000-00000000000fffff (prio 0, rom): pc.ram @00000000000f0000',
    // ram-below-4g again; tseg-blackhole at 2 GiB is disabled and empty (R-FLAT-2, R-FLAT-7).
    '  0000000000100000-000000007fffffff (prio 0, ram): pc.ram @0000000000100000',
    '  00000000b0000000-00000000bfffffff (prio 0, i/o): pcie-mmcfg-mmio',
    // BARs: prio-1 children of `pci`; nothing of `system` covers them, so they show (R-ORD-3).
    '  00000000feb80000-00000000feb9ffff (prio 1, i/o): e1000e-mmio',
    // Adjacent to e1000e-mmio but another region: no merge (R-FLAT-9).
    '  00000000feba0000-00000000febbffff (prio 1, i/o): e1000e-flash',
    // Children of the prio-1 MSI-X BAR container print their own prio 0 (R-FOUT-4); the rest
    // of the 16 KiB BAR is a container gap and renders nothing (R-FLAT-2 step 6).
    '  00000000febc0000-00000000febc004f (prio 0, i/o): msix-table',
    '  00000000febc2000-00000000febc2007 (prio 0, i/o): msix-pba',
    '  00000000febd1000-00000000febd10ff (prio 1, i/o): ivshmem-mmio',
    '  00000000febd2000-00000000febd203f (prio 0, i/o): msix-table', // R-FOUT-4
    '  00000000febd2800-00000000febd2807 (prio 0, i/o): msix-pba', // R-FOUT-4
    // The ivshmem BAR `m` (prio 1 inside the prio -1 `pci`) overlaps the ioapic (prio 0 in
    // `system`): `pci` competes with its own priority -1, so the ioapic wins its 4 KiB
    // (R-ORD-3) ...
    '  00000000fec00000-00000000fec00fff (prio 0, i/o): ioapic',
    // ... and `m` fills the rest, offset 0x1000 into the BAR (R-FLAT-5, R-FOUT-3), printed with
    // its own prio 1 (R-FOUT-4).
    '  00000000fec01000-00000000fecfffff (prio 1, ram): m @0000000000001000',
    '  00000000fed00000-00000000fed003ff (prio 0, i/o): hpet',
    '  00000000fed1c000-00000000fed1ffff (prio 1, i/o): lpc-rcrb-mmio',
    '  00000000fed90000-00000000fed9022f (prio 0, i/o): intel_iommu',
    // smram-open-high (0xfeda0000) is disabled: nothing (R-FLAT-2 step 1).
    '  00000000fee00000-00000000feefffff (prio 4096, i/o): apic-msi',
    // Through `pci` (prio -1): nothing of priority >= 0 covers 0xfffc0000.
    '  00000000fffc0000-00000000ffffffff (prio 0, rom): pc.bios',
    // ram-above-4g: pc.ram from offset LOWMEM = 2 GiB (R-MACH-2, R-FLAT-8).
    '  0000000100000000-000000017fffffff (prio 0, ram): pc.ram @0000000080000000',
    // The 64-bit prefetchable BAR at 32 GiB: its container renders only its four children,
    // each at offset 0 of its own leaf (R-FLAT-2 step 6, R-FOUT-3/4).
    '  0000000800000000-0000000800000fff (prio 0, i/o): virtio-pci-common-virtio-net',
    '  0000000800001000-0000000800001fff (prio 0, i/o): virtio-pci-isr-virtio-net',
    '  0000000800002000-0000000800002fff (prio 0, i/o): virtio-pci-device-virtio-net',
    '  0000000800003000-0000000800003fff (prio 0, i/o): virtio-pci-notify-virtio-net',
  ];

  const SYSTEM_BLOCK = [
    'FlatView #',
    ' AS "memory", root: system', // creation order (R-FOUT-2)
    ' AS "cpu-memory-0", root: system',
    ' Root memory region: system', // many enabled children: resolves to itself (R-AS-2)
    ...SYSTEM_RANGES,
  ];

  // The IOMMU's no-DMAR view: vtd-ir (prio 1) before vtd-sys-alias (prio 0) in vtd-nodmar's
  // list (R-ORD-1), so the MSI window is vtd-ir; every other range is the system map seen
  // through the alias, unchanged (offsets are inside the leaves, R-FLAT-8).
  const VTD_RANGES = SYSTEM_RANGES.map((l) =>
    l === '  00000000fee00000-00000000feefffff (prio 4096, i/o): apic-msi'
      ? '  00000000fee00000-00000000feefffff (prio 1, i/o): vtd-ir' // R-FLAT-5, R-FOUT-4
      : l,
  );

  const VTD_BLOCK = [
    'FlatView #',
    // vtd-01.0 has one enabled child (alias vtd-nodmar at 0, the whole target) -> the shared
    // container vtd-nodmar, which has two enabled children: the resolved root (R-AS-2).
    ' AS "vtd-root", root: vtd-01.0',
    // The e1000e's bus master container -> enabled `bus master` alias -> vtd-01.0 -> ... the
    // same resolved root, so the same flat view (R-AS-3, R-AS-4). Created after vtd-root.
    ' AS "e1000e", root: bus master container',
    ' Root memory region: vtd-nodmar',
    ...VTD_RANGES,
  ];

  const IO_BLOCK = [
    'FlatView #',
    ' AS "I/O", root: io',
    ' Root memory region: io',
    // `io` terminates (unassigned ops) and fills every gap, offset = port (R-MACH-3, R-FLAT-6);
    // at port 0 the offset is 0, so this one piece has no `@` (R-FOUT-3).
    '  0000000000000000-000000000000001f (prio 0, i/o): io',
    '  0000000000000020-0000000000000021 (prio 0, i/o): pic',
    '  0000000000000022-000000000000003f (prio 0, i/o): io @0000000000000022',
    '  0000000000000040-0000000000000043 (prio 0, i/o): pit',
    '  0000000000000044-000000000000006f (prio 0, i/o): io @0000000000000044',
    // rtc's child first, rtc itself under it at offset 1 (R-FLAT-6).
    '  0000000000000070-0000000000000070 (prio 0, i/o): rtc-index',
    '  0000000000000071-0000000000000071 (prio 0, i/o): rtc @0000000000000001',
    '  0000000000000072-000000000000009f (prio 0, i/o): io @0000000000000072',
    '  00000000000000a0-00000000000000a1 (prio 0, i/o): pic',
    '  00000000000000a2-000000000000050f (prio 0, i/o): io @00000000000000a2',
    '  0000000000000510-0000000000000511 (prio 0, i/o): fwcfg',
    '  0000000000000512-0000000000000513 (prio 0, i/o): io @0000000000000512',
    '  0000000000000514-000000000000051b (prio 0, i/o): fwcfg.dma',
    '  000000000000051c-00000000000005ff (prio 0, i/o): io @000000000000051c',
    // ich9-pm is an enabled pure container: its registers show, its holes are transparent
    // and `io` shows through them (R-FLAT-5).
    '  0000000000000600-0000000000000603 (prio 0, i/o): acpi-evt',
    '  0000000000000604-0000000000000605 (prio 0, i/o): acpi-cnt',
    '  0000000000000606-0000000000000607 (prio 0, i/o): io @0000000000000606', // R-FLAT-5
    '  0000000000000608-000000000000060b (prio 0, i/o): acpi-tmr',
    '  000000000000060c-000000000000061f (prio 0, i/o): io @000000000000060c', // R-FLAT-5
    '  0000000000000620-000000000000062f (prio 0, i/o): acpi-gpe0',
    '  0000000000000630-0000000000000637 (prio 0, i/o): acpi-smi',
    '  0000000000000638-000000000000065f (prio 0, i/o): io @0000000000000638', // R-FLAT-5
    '  0000000000000660-000000000000067f (prio 0, i/o): sm-tco',
    '  0000000000000680-00000000000006ff (prio 0, i/o): io @0000000000000680',
    '  0000000000000700-000000000000073f (prio 1, i/o): pm-smbus',
    '  0000000000000740-0000000000000cf7 (prio 0, i/o): io @0000000000000740',
    // lpc-reset-control (prio 1) is rendered before pci-conf-idx (R-ORD-1, R-FLAT-5), which is
    // split around it; the second piece keeps its offset into pci-conf-idx (R-FOUT-3).
    '  0000000000000cf8-0000000000000cf8 (prio 0, i/o): pci-conf-idx',
    '  0000000000000cf9-0000000000000cf9 (prio 1, i/o): lpc-reset-control',
    '  0000000000000cfa-0000000000000cfb (prio 0, i/o): pci-conf-idx @0000000000000002',
    '  0000000000000cfc-0000000000000cff (prio 0, i/o): pci-conf-data',
    '  0000000000000d00-000000000000bfff (prio 0, i/o): io @0000000000000d00',
    '  000000000000c000-000000000000c01f (prio 1, i/o): e1000e-io',
    // Adjacent to e1000e-io, another region: no merge (R-FLAT-9).
    '  000000000000c020-000000000000c03f (prio 1, i/o): virtio-pci',
    '  000000000000c040-000000000000ffff (prio 0, i/o): io @000000000000c040',
  ];

  it('checks clean: no errors, no warnings', () => expectClean('q35-iommu.mrd'));

  it('memory / cpu-memory-0: the system map (PAM, BARs under the prio -1 pci container, RAM above 4 GiB)', () => {
    expect(flatBlock(flat(), 'memory')).toEqual(SYSTEM_BLOCK);
  });

  it('vtd-root / e1000e: the DMA view through the IOMMU with DMAR off shares one flat view', () => {
    expect(flatBlock(flat(), 'e1000e')).toEqual(VTD_BLOCK);
  });

  it('I/O: ports, the transparent holes of ich9-pm, the reset-control byte, I/O BARs', () => {
    expect(flatBlock(flat(), 'I/O')).toEqual(IO_BLOCK);
  });

  it('info mtree -f has exactly these three blocks', () => {
    expect(sorted(blocks(flat()))).toEqual(sorted([SYSTEM_BLOCK, VTD_BLOCK, IO_BLOCK].map((b) => b.join('\n'))));
  });
});

// ---------------------------------------------------------------------------------------------
describe('samples: every sample checks clean through the CLI', () => {
  for (const file of ['pc-i440fx.mrd', 'aarch64-virt.mrd', 'q35-iommu.mrd']) {
    it(`mrd check samples/${file}`, () => {
      const r = run(['check', path.join(SAMPLES, file)]);
      expect(r.code).toBe(0);
      expect(r.out).not.toMatch(/\b(error|warning)\b/);
    });
  }
});

describe('CLI smoke test: mrd flatten samples/pc-i440fx.mrd', () => {
  it('exits 0 and prints the system flat view first', () => {
    // The path as a user types it in the repository root (vitest's working directory).
    const rel = path.relative(process.cwd(), path.join(SAMPLES, 'pc-i440fx.mrd'));
    const r = run(['flatten', rel]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(0, 6)).toEqual([
      'FlatView #0',
      ' AS "memory", root: system',
      ' AS "cpu-memory-0", root: system',
      ' Root memory region: system',
      '  0000000000000000-00000000000bffff (prio 0, ram): pc.ram',
      '  00000000000c0000-00000000000dffff (prio 1, rom): pc.rom',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('samples/q35-ram-over-bar.mrd: firmware places a BAR under RAM', () => {
  // 2.5 GiB of RAM lie below 4 GiB (ram-below-4g ends at 0xa000_0000); the sequence puts the
  // NIC's 128K BAR0 at 0x9000_0000 and turns memory decode on. The BAR is mapped in `pci`
  // (priority -1 under `system`), so ram-below-4g (priority 0) stays visible over all of it
  // (R-ORD-3, R-FLAT-5), and it lies outside the host window 0xc000_0000..0xfebf_ffff.
  it('mrd check: MR3011 at the BAR, MR5003 at the step, nothing else, exit 0', () => {
    const r = run(['check', path.join(SAMPLES, 'q35-ram-over-bar.mrd')]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter(Boolean).map((l) => l.replace(/^.*?q35-ram-over-bar\.mrd:/, ''))).toEqual([
      "37:5: warning MR3011: BAR0 of 00:02.0 overlaps alias 'ram-below-4g' at 0x9000_0000..0x9001_ffff in memory: " +
        "alias 'ram-below-4g' is visible there: 'ram-below-4g' has priority 0 in 'system', above 'pci' at -1",
      '46:3: warning MR5003: BAR0 of 00:02.0 at 0x0000_0000_9000_0000..0x0000_0000_9001_ffff is outside the windows of ' +
        'host bridge q35 at the end of the sequence: pci-hole 0x0000_0000_c000_0000..0x0000_0000_febf_ffff',
    ]);
  });
});
