// The PCI checks: the seed message, each check on a small hand-made sequence, and the real
// traces (only the decode-on guest of folder f may trigger sizing and width diagnostics).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/base/diagnostic.js';
import { addr64, checkPci } from '../../src/engine/pci/checks.js';
import { PciSimulator } from '../../src/engine/pci/simulate.js';
import type { PciStep, PciTopology, StartState } from '../../src/model/pci.js';
import { importTrace } from '../../src/importer/trace.js';
import { bar, bridge, device, r, topology, w } from './support.js';

function check(t: PciTopology, steps: PciStep[], start: StartState = 'programmed', text?: string): Diagnostic[] {
  const sim = new PciSimulator(t, { start });
  const result = sim.run(steps);
  return checkPci({ topology: t, steps, result, sim, text });
}

const codes = (ds: Diagnostic[]) => ds.map((d) => d.code);

/** 01:10.0 behind bridge 00:04.0, BAR0 64-bit 16 KiB at 0xfebe0000, decode on. */
function seedMachine(): PciTopology {
  const t = topology();
  const br = bridge(t, 4, { secondary: 1, subordinate: 1, command: 0x2 });
  br.bridge!.memRange = { base: 0xfe800000n, limit: 0xfebfffffn };
  const d = device(t, 0x10, [{ index: 0, kind: 'mem64', size: 0x4000n, at: 0xfebe0000n }], { bus: br, command: 0x2 });
  t.initiators.push({ kind: 'iommu', name: 'vtd', model: 'vtd', awBits: 48, devices: [d] });
  return t;
}

const D = '01:10.0';
const seabiosSizing = [
  r(D, 0x10, 4), w(D, 0x10, 4, 0xffffffff), r(D, 0x10, 4), w(D, 0x10, 4, 0xfebe0004),
  r(D, 0x14, 4), w(D, 0x14, 4, 0xffffffff), r(D, 0x14, 4), w(D, 0x14, 4, 0),
];

describe('width checks', () => {
  it('formats 64-bit addresses in groups of four digits', () => {
    expect(addr64(0xffff_ffff_febe_0000n)).toBe('0xffff_ffff_febe_0000');
    expect(addr64(0xfebe0000n)).toBe('0x0000_0000_febe_0000');
  });

  it('MR4001: the seed message, word for word', () => {
    const ds = check(seedMachine(), seabiosSizing);
    const m = ds.filter((d) => d.code === 'MR4001');
    expect(m.map((d) => d.message)).toEqual([
      'BAR0 of 01:10.0 at 0xffff_ffff_febe_0000..0xffff_ffff_febe_3fff exceeds the 48-bit IOMMU ' +
      '(max 0x0000_ffff_ffff_ffff) after step 6 (high dword written 0xffffffff while memory decode is on)',
    ]);
    expect(m[0].severity).toBe('warning');
  });

  it('MR4002: beyond CPU phys-bits, only for the device BARs that go that high', () => {
    const t = seedMachine();
    t.initiators.push({ kind: 'cpu', name: 'cpu0', physBits: 46 });
    const ds = check(t, seabiosSizing).filter((d) => d.code === 'MR4002');
    expect(ds.map((d) => d.message)).toEqual([
      'BAR0 of 01:10.0 at 0xffff_ffff_febe_0000..0xffff_ffff_febe_3fff is beyond the 46-bit CPU physical ' +
      'address space (max 0x0000_3fff_ffff_ffff) after step 6 (high dword written 0xffffffff while memory decode is on)',
    ]);
  });

  it('no width diagnostics when sizing with decode off', () => {
    const steps = [w(D, 0x04, 2, 0), ...seabiosSizing, w(D, 0x04, 2, 2)];
    const t = seedMachine();
    t.initiators.push({ kind: 'cpu', name: 'cpu0', physBits: 40 });
    expect(codes(check(t, steps))).toEqual([]);
  });
});

describe('sequence checks', () => {
  it('MR6001: each decode-on sizing write that maps the BAR elsewhere, with where it ends', () => {
    const ds = check(seedMachine(), seabiosSizing).filter((d) => d.code === 'MR6001');
    expect(ds.map((d) => d.message)).toEqual([
      'sizing BAR0 of 01:10.0 with memory decode on maps it at 0x0000_0000_ffff_c000..0x0000_0000_ffff_ffff from step 2 until step 4',
      'sizing BAR0 of 01:10.0 with memory decode on maps it at 0xffff_ffff_febe_0000..0xffff_ffff_febe_3fff from step 6 until step 8',
    ]);
  });

  it('MR6001 quick fix clears decode around the sizing, indented like the steps', () => {
    const text = 'sequence s on 01:10.0 {\n  write 0x14 4 0xffffffff\n  write 0x14 4 0\n}\n';
    const s1 = text.indexOf('write 0x14 4 0xffffffff');
    const s2 = text.indexOf('write 0x14 4 0\n');
    const steps: PciStep[] = [
      { ...w(D, 0x14, 4, 0xffffffff), span: { start: s1, end: s1 + 23 } },
      { ...w(D, 0x14, 4, 0), span: { start: s2, end: s2 + 14 } },
    ];
    const [dg] = check(seedMachine(), steps, 'programmed', text).filter((d) => d.code === 'MR6001');
    expect(dg.span).toEqual({ start: s1, end: s1 + 23 });
    expect(dg.related?.[0]).toEqual({ span: { start: s2, end: s2 + 14 }, message: 'the mapping ends here' });
    let fixed = text;
    for (const e of [...dg.fix!.edits].sort((a, b) => b.span.start - a.span.start)) {
      fixed = fixed.slice(0, e.span.start) + e.text + fixed.slice(e.span.end);
    }
    expect(fixed).toBe(
      'sequence s on 01:10.0 {\n  write 0x04 2 0x0000\n  write 0x14 4 0xffffffff\n  write 0x14 4 0\n  write 0x04 2 0x0002\n}\n',
    );
  });

  it('MR6002: a 32-bit BAR sized with decode on is unmapped meanwhile (R-SIZE-2)', () => {
    const t = topology();
    device(t, 3, [{ index: 1, kind: 'mem32', size: 0x1000n, at: 0xfeb00000n }], { command: 2 });
    const ds = check(t, [w('00:03.0', 0x14, 4, 0xffffffff), r('00:03.0', 0x14, 4), w('00:03.0', 0x14, 4, 0xfeb00000)]);
    expect(ds.map((d) => d.message)).toEqual([
      'sizing BAR1 of 00:03.0 with memory decode on unmaps it from step 1 until step 3',
    ]);
    expect(ds[0].severity).toBe('information');
  });

  it('MR6003: a read that contradicts its expect; unknown bytes show as ??', () => {
    const t = topology();
    device(t, 3, [{ index: 0, kind: 'mem64', size: 0x4000n, prefetchable: true }]);
    const ds = check(t, [w('00:03.0', 0x10, 4, 0xffffffff), r('00:03.0', 0x10, 4, 0xffff800c), r('00:03.0', 0x10, 4, 0xffffc00c), r('00:03.0', 0x04, 4, 0x00100000)]);
    expect(ds.map((d) => d.message)).toEqual([
      'read of 4 bytes at 0x10 of 00:03.0 at step 2 returns 0xffffc00c, not the expected 0xffff800c',
      // STATUS is not modelled: only COMMAND is compared, and it matches.
    ]);
    const ds2 = check(t, [r('00:03.0', 0x04, 4, 0x00100007)]);
    expect(ds2.map((d) => d.message)).toEqual([
      'read of 4 bytes at 0x04 of 00:03.0 at step 1 returns 0x????0000, not the expected 0x00100007',
    ]);
  });

  it('MR6004: an access nobody answers, with the reason', () => {
    const t = topology();
    const br = bridge(t, 4);
    device(t, 0, [], { bus: br });
    const ds = check(t, [r('01:00.0', 0, 2), r('00:09.0', 0, 2)], 'reset');
    expect(ds.map((d) => d.message)).toEqual([
      'no device answers at 01:00.0 at step 1: no bridge routes bus 0x01 at that moment (secondary/subordinate bus numbers)',
      'no device answers at 00:09.0 at step 2: bus 0x00 has no function 09.0',
    ]);
  });
});

describe('placement checks', () => {
  it('MR5001 misaligned, MR5002 32-bit above 4 GiB, MR5004 past 2^64, MR5005 address 0', () => {
    const t = topology();
    device(t, 3, [{ index: 0, kind: 'mem64', size: 0x4000n }, { index: 2, kind: 'mem32', size: 0x1000n }, { index: 3, kind: 'mem32', size: 0x1000n, at: 0n }], { command: 2 });
    const ds = check(t, [bar('00:03.0', 0, 0xfebe1000n), bar('00:03.0', 2, 0x1_0000_0000n), bar('00:03.0', 0, 0xffff_ffff_ffff_c000n)]);
    expect(ds.map((d) => `${d.code} ${d.message}`)).toEqual([
      'MR5005 BAR3 of 00:03.0 at address 0 stays unmapped: this machine does not allow BARs at 0',
      'MR5001 BAR0 of 00:03.0 is 0x4000 bytes, so address bits below 0x4000 are read-only: 0xfebe1000 decodes at 0xfebe0000',
      'MR5002 BAR2 of 00:03.0 is a 32-bit memory BAR and cannot hold 0x100000000; it would decode at 0x0',
      'MR5004 BAR0 of 00:03.0 at 0xffffffffffffc000 with size 0x4000 ends past 2^64-2, so QEMU leaves it unmapped',
    ]);
  });

  it('MR5003: a BAR outside its bridge windows at the end; inside is fine', () => {
    const t = seedMachine();
    const ds = check(t, [bar(D, 0, 0xfec00000n)]);
    expect(ds.map((d) => d.message)).toEqual([
      'BAR0 of 01:10.0 at 0x0000_0000_fec0_0000..0x0000_0000_fec0_3fff is outside the windows of bridge 00:04.0 at the ' +
      // Base 0, limit 0xfffff with decode on: QEMU opens a 1 MiB prefetchable window at 0.
      'end of the sequence: memory 0x0000_0000_fe80_0000..0x0000_0000_febf_ffff, prefetchable 0x0000_0000_0000_0000..0x0000_0000_000f_ffff',
    ]);
    expect(codes(check(seedMachine(), [bar(D, 0, 0xfe800000n)]))).toEqual([]);
  });

  it('MR5003: host bridge windows, when declared', () => {
    const t = topology();
    t.hosts[0].windows.push({ kind: 'mem', base: 0x8000_0000n, size: 0x7000_0000n, name: 'pci-hole' });
    device(t, 3, [{ index: 0, kind: 'mem32', size: 0x1000n, at: 0xf000_0000n }], { command: 2 });
    expect(check(t, []).map((d) => d.message)).toEqual([
      'BAR0 of 00:03.0 at 0x0000_0000_f000_0000..0x0000_0000_f000_0fff is outside the windows of host bridge host at the ' +
      'end of the sequence: pci-hole 0x0000_0000_8000_0000..0x0000_0000_efff_ffff',
    ]);
  });
});

const ROOT = resolve(__dirname, '../../../../shared/oracle/bar-traces');
const folders = existsSync(ROOT) ? readdirSync(ROOT).filter((f) => existsSync(join(ROOT, f, 'trace.log'))).sort() : [];

describe.skipIf(folders.length === 0)('checks on the real traces (48-bit IOMMU over every device, phys-bits 40)', () => {
  for (const f of folders) {
    it(`${f}`, () => {
      const imp = importTrace(readFileSync(join(ROOT, f, 'trace.log'), 'utf8'), readFileSync(join(ROOT, f, 'info-pci.txt'), 'utf8'));
      const t = imp.topology;
      t.initiators.push({ kind: 'cpu', name: 'cpu0', physBits: 40 }, { kind: 'iommu', name: 'vtd', model: 'vtd', awBits: 48, devices: 'all' });
      const ds = check(t, imp.steps, 'reset');
      const count = (c: string) => ds.filter((d) => d.code === c).length;
      // Real guests never contradict their own reads, never miss a device, never write
      // misaligned addresses, and end with every BAR inside its bridge windows.
      expect(['MR6003', 'MR6004', 'MR5001', 'MR5003'].map(count)).toEqual([0, 0, 0, 0]);
      if (f.startsWith('f-')) {
        // The decode-on guest program: the 2014 high mappings.
        expect(count('MR6001')).toBeGreaterThan(0);
        expect(count('MR4001')).toBeGreaterThan(0);
        expect(ds.find((d) => d.code === 'MR4001')!.message).toMatch(/after step \d+ \(high dword written 0xffffffff while memory decode is on\)$/);
      } else {
        expect(['MR6001', 'MR4001', 'MR4002'].map(count)).toEqual([0, 0, 0]);
      }
    });
  }
});

describe('docs/pci.md example', () => {
  it('gives the documented warnings for the decode-on sizing of BAR0', () => {
    const t = seedMachine();
    t.initiators.push({ kind: 'cpu', name: 'cpu0', physBits: 46 });
    const steps = seabiosSizing.map((s, i) => (i === 5 ? { ...s, label: 'size-hi' } : s));
    steps[0] = r(D, 0x10, 4, 0xfebe0004);
    steps[2] = r(D, 0x10, 4, 0xffffc004);
    steps[4] = r(D, 0x14, 4, 0);
    steps[6] = r(D, 0x14, 4, 0xffffffff);
    const ds = check(t, steps);
    expect(codes(ds)).toEqual(['MR4001', 'MR4002', 'MR6001', 'MR6001']);
    expect(ds[0].message).toBe(
      'BAR0 of 01:10.0 at 0xffff_ffff_febe_0000..0xffff_ffff_febe_3fff exceeds the 48-bit IOMMU (max 0x0000_ffff_ffff_ffff) ' +
      'after step 6 "size-hi" (high dword written 0xffffffff while memory decode is on)',
    );
  });
});

describe('analyzePci facade', () => {
  it('runs every sequence, reports declaration checks once, and gives BAR states per step', async () => {
    const { analyzePci, barStatesAfter } = await import('../../src/engine/pci/analyze.js');
    const t = seedMachine();
    t.devices[1].bars[0]!.initialAddress = 0xfebe1000n; // misaligned: MR5001 in both runs
    const a = analyzePci(t, [
      { name: 'one', start: 'programmed', steps: seabiosSizing },
      { name: 'two', start: 'programmed', steps: [w(D, 0x04, 2, 0)] },
    ]);
    expect(codes(a.diagnostics)).toEqual(['MR5001', 'MR4001', 'MR6001', 'MR6001']);
    const run = a.runs[0];
    expect(barStatesAfter(run, t.devices[1], 5)).toEqual([{ bar: 0, value: 0xffff_ffff_febe_0004n, mapped: 0xffff_ffff_febe_0000n }]);
    expect(barStatesAfter(run, t.devices[1], 1)).toEqual([{ bar: 0, value: 0xffff_c004n, mapped: 0xffff_c000n }]);
    expect(barStatesAfter(a.runs[1], t.devices[1], 0)).toEqual([{ bar: 0, value: 0xfebe_0004n, reason: 'memory-decode-off' }]);
  });

  it('without sequences checks the declared state', async () => {
    const { analyzePci } = await import('../../src/engine/pci/analyze.js');
    const t = seedMachine();
    t.devices[1].bars[0]!.initialAddress = 0x1_0000_0000_0000n;
    expect(codes(analyzePci(t, []).diagnostics)).toEqual(['MR4001', 'MR5003']);
  });
});

describe.skipIf(folders.length === 0)('trace spans', () => {
  it('steps point at their trace.log line, so diagnostics do too', () => {
    const f = folders.find((x) => x.startsWith('f-'))!;
    const text = readFileSync(join(ROOT, f, 'trace.log'), 'utf8');
    const imp = importTrace(text, readFileSync(join(ROOT, f, 'info-pci.txt'), 'utf8'));
    imp.topology.initiators.push({ kind: 'iommu', name: 'vtd', model: 'vtd', awBits: 48, devices: 'all' });
    const ds = check(imp.topology, imp.steps, 'reset');
    const first = ds.find((d) => d.code === 'MR4001')!;
    expect(text.slice(first.span.start, first.span.end)).toMatch(/^pci_cfg_write \S+ \S+ @0x(14|24|1c|20) <- 0xffffffff$/);
  });
});
