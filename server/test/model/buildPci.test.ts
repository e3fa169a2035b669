// PCI builder tests as data: annotated fixtures for every structure diagnostic of the PCI
// statements (MR2030–MR2042, and MR2004/MR2010/MR2016 where PCI attributes use them), the
// model the statements fill, and the symbol index (devices, BARs, labels, references).
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/model/analyze.js';
import { pciSymbolAt } from '../../src/model/buildPci.js';
import { compareDiagnostics } from './annotations.js';

function check(fixture: string): void {
  const { diagnostics } = analyzeText(fixture);
  const r = compareDiagnostics(fixture, diagnostics);
  expect(r.actual).toEqual(r.expected);
}

describe('PCI structure diagnostics', () => {
  it('MR4005: intel-iommu takes aw-bits 39 or 48 only (R-DMA-5, vtd_decide_config); other models are not checked', () => {
    check(`
iommu a aw-bits 39 model vtd
iommu b aw-bits 48 model intel-iommu
iommu c aw-bits 52 model vtd
#               ^^ warning MR4005: intel-iommu accepts aw-bits 39 or 48 only; QEMU 7.2 refuses 52
iommu d aw-bits 44 model intel-iommu
#               ^^ warning MR4005: refuses 44
iommu e aw-bits 44 model smmuv3
iommu f model vtd
iommu g aw-bits 44
`);
  });

  it('MR2030 duplicate device address, MR2038 bus number mismatch', () => {
    check(`
pci-host h {
  device 00:03.0 a
  device 00:03.0 b
#        ^^^^^^^ error MR2030: device address 00:03.0 is already used on bus the root bus of h by 'a'
  device 01:04.0 c
#        ^^^^^^^ warning MR2038: device 01:04.0 is declared on bus 1, but the root bus of h has bus number 0
  bridge 00:05.0 br secondary 2 subordinate 2 {
    device 02:00.0 ok
    device 03:01.0 off
#          ^^^^^^^ warning MR2038: but the secondary bus of br has bus number 2
  }
}
`);
  });

  it('MR2031 invalid BARs (barProblem), MR2035 missing size, MR2042 unknown kind', () => {
    check(`
pci-host h {
  device 00:03.0 d {
    bar 0 mem64 size 16K
    bar 1 mem32 size 4K
#   ^^^^^^^^^^^^^^^^^^^ error MR2031: invalid BAR of d (00:03.0): BAR1 is the high dword of BAR0
    bar 2 mem32 size 3K
#   ^^^^^^^^^^^^^^^^^^^ error MR2031: BAR size 0xc00 is not a power of two
    bar 3 io size 32 prefetchable
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error MR2031: an I/O BAR cannot be prefetchable
    bar 4 mem32
#   ^^^^^ error MR2035: 'size' is required for a BAR
    bar 5 mem16 size 4K
#         ^^^^^ error MR2042: 'mem16' is not a valid BAR kind
    bar 7 io size 4
#       ^ error MR2004: BAR index 7 is out of range 0..6
    bar 4 rom size 2K
#         ^^^ error MR2031: the ROM is BAR 6, not BAR 4
  }
  bridge 00:04.0 b {
    bar 2 mem32 size 4K
#   ^^^^^^^^^^^^^^^^^^^ error MR2031: a bridge has only BAR0 and BAR1
  }
}
`);
  });

  it('MR2034 attributes of another statement, MR2016 repeated, MR2042 bad choices', () => {
    check(`
pci-host h allow-0 root-port {
#                  ^^^^^^^^^ error MR2034: 'root-port' is not valid for a pci-host
  device 00:03.0 d secondary 1 command 2 command 6 serr maybe
#                  ^^^^^^^^^ error MR2034: 'secondary' is not valid for a device
#                                        ^^^^^^^ warning MR2016: 'command' is given more than once
#                                                       ^^^^^ error MR2042: 'maybe' is not a valid serr value
  window pref 0 size 4K
#        ^^^^ error MR2042: 'pref' is not a valid window kind here
}
sequence s start cold { }
#                ^^^^ error MR2042: 'cold' is not a valid start state: expected 'programmed' or 'reset'
`);
  });

  it('MR2039 regions a BAR cannot map, MR2010 unknown bus container', () => {
    check(`
container pci size 2^64 {
  io inner size 4K
}
io top size 4K
io small size 1K
pci-host h mem pci io nowhere {
#                     ^^^^^^^ error MR2010: no region named 'nowhere'
  device 00:03.0 d {
    bar 0 mem32 size 4K region inner
#                              ^^^^^ error MR2039: it is inside 'pci'
    bar 1 mem32 size 4K region small
#                              ^^^^^ error MR2039: it is 1024 bytes, the BAR 4096
    bar 2 mem32 size 4K region top
    bar 3 mem32 size 4K region top
#                              ^^^ error MR2039: it is already BAR2 of 00:03.0
  }
}
`);
  });

  it('MR2039 a BAR region that holds its own bus container would never finish rendering', () => {
    check(`
container sys size 4K { container bus size 4K }
alias a -> bus size 4K
pci-host h mem bus {
  device 00:03.0 d {
    bar 0 mem32 size 4K region sys
#                              ^^^ error MR2039: it contains (or aliases) the bus container
    bar 1 mem32 size 4K region a
#                              ^ error MR2039: it contains (or aliases) the bus container
  }
}
`);
  });

  it('MR2032 unknown IOMMU devices, MR2033 unknown on targets, MR2040 steps without a device', () => {
    check(`
pci-host h { device 00:03.0 d }
iommu v aw-bits 39 { devices 00:03.0 00:04.0 }
#                                    ^^^^^^^ error MR2032: no device 00:04.0 is declared
sequence s {
  read 0 2
# ^^^^ error MR2040: this step addresses no device
  on 00:03.0 { read 0 2 }
  on 05:00.0 { read 0 2 }
#    ^^^^^^^ warning MR2033: no device is declared at 05:00.0 (no declared device is on bus 05)
}
`);
  });

  it('MR2036 duplicate sequences and labels, MR2041 dangling labels, MR2037 lengths, MR2004 values', () => {
    check(`
pci-host h { device 00:03.0 d }
sequence s on 00:03.0 {
  label a
  read 0 2
  label a
#       ^ warning MR2036: label 'a' is already defined in sequence 's'
  read 0 2
  label b
#       ^ warning MR2041: label 'b' names no step
  label d
  read 0 2
  write 0x10 3 0
#            ^ error MR2037: access length 3 is not 1, 2 or 4
  write 0x10 2 0x1_0000
#              ^^^^^^^^ error MR2004: value of a 2-byte access 0x1_0000 is out of range 0..0xffff
  read 0x1000 1
#      ^^^^^^ error MR2004: config offset 0x1000 is out of range 0..0xfff
  label c
#       ^ warning MR2041: label 'c' names no step
}
sequence s on 00:03.0 { }
#        ^ warning MR2036: sequence 's' is already defined
`);
  });

  it('MR2035 window without size or limit; closed bridge windows are fine', () => {
    check(`
pci-host h {
  window mem 0x8000_0000
#        ^^^ error MR2035: 'size' is required for a window (or limit)
  bridge 00:04.0 b { window io 0xd000 limit 0xcfff }
}
`);
  });

  it('constants are visible after their definition only', () => {
    check(`
pci-host h { device 00:03.0 d { bar 0 mem32 size SZ } }
#                                                ^^ error MR2003: constant 'SZ' is used before its definition
const SZ = 4K
`);
  });
});

describe('the PCI model', () => {
  const text = `container pci size 2^64
io io size 64K
pci-host q35 mem pci io io {
  window mem 0x8000_0000 size 2G name pci-hole
  device 00:00.0 mch model mch
  bridge 00:04.0 rp root-port express secondary 1 subordinate 1 command 0x6 {
    window mem 0xfe80_0000 limit 0xfebf_ffff
    device 01:10.0 nic express command 0x0006 realize-command 0x3 serr off vendor-id 0x1af4 {
      bar 0 mem64 size 16K prefetchable at 0xfebe_0000
      rom size 256K
    }
  }
}
cpu c0
iommu vtd aw-bits 48 model vtd { devices 01:10.0 }
sequence s on 01:10.0 start reset {
  label first
  read 0x10 4
  on 00:04.0 { write 0x19 1 1 }
  bar 0 at 0x1000
  reset
}
`;

  it('fills hosts, buses, devices, bridges, BARs, initiators and sequences', () => {
    const { pci, diagnostics, machine } = analyzeText(text);
    expect(diagnostics).toEqual([]);
    const t = pci!.topology;
    expect(t.hosts[0].bus.mem.name).toBe('pci');
    expect(t.hosts[0].windows).toMatchObject([{ kind: 'mem', base: 0x8000_0000n, size: 1n << 31n, name: 'pci-hole' }]);
    expect(t.devices.map((d) => [d.name, d.bus.name, d.slot, d.func, d.headerType, d.configSize])).toEqual([
      ['mch', 'q35.0', 0, 0, 0, 256], ['rp', 'q35.0', 4, 0, 1, 4096], ['nic', 'rp', 0x10, 0, 0, 4096],
    ]);
    const rp = t.devices[1].bridge!;
    expect([rp.secondaryBus, rp.subordinateBus, rp.resetDisablesWindows, rp.expressSecondary, rp.memRange]).toEqual([
      1, 1, true, true, { base: 0xfe80_0000n, limit: 0xfebf_ffffn },
    ]);
    const nic = t.devices[2];
    expect([nic.initialCommand, nic.realizeCommand, nic.serrEnable, nic.vendorId]).toEqual([6, 3, false, 0x1af4]);
    expect(nic.bars[0]).toMatchObject({ kind: 'mem64', prefetchable: true, size: 0x4000n, initialAddress: 0xfebe_0000n });
    expect(nic.bars[6]).toMatchObject({ kind: 'mem32', size: 0x40000n });
    expect(machine.regions.some((r) => r.name === 'nic-bar0')).toBe(true);
    expect(t.initiators).toMatchObject([{ kind: 'cpu', name: 'c0', physBits: 0 }, { kind: 'iommu', awBits: 48, model: 'vtd', devices: [nic] }]);
    expect(pci!.openWidths.map((i) => i.name)).toEqual(['c0']);
    const s = pci!.sequences[0];
    expect([s.name, s.start, s.target]).toEqual(['s', 'reset', { bus: 1, slot: 0x10, func: 0 }]);
    expect(s.steps.map((x) => [x.op, 'dev' in x ? x.dev.bus : -1, x.label])).toEqual([
      ['read', 1, 'first'], ['write', 0, undefined], ['assign', 1, undefined], ['reset', -1, undefined],
    ]);
  });

  it('indexes devices, BARs, sequences, labels, initiators and device references', () => {
    const { index } = analyzeText(text);
    const at = (needle: string, k = 0) => {
      let o = -1;
      for (let i = 0; i <= k; i++) o = text.indexOf(needle, o + 1);
      return o + 1;
    };
    expect(pciSymbolAt(index.pci, at('nic '))).toMatchObject({ kind: 'device', declaration: true, device: { name: 'nic' } });
    expect(pciSymbolAt(index.pci, at('01:10.0', 1))).toMatchObject({ kind: 'device', declaration: false, device: { name: 'nic' } });
    expect(pciSymbolAt(index.pci, at('01:10.0', 2))).toMatchObject({ kind: 'device', declaration: false, device: { name: 'nic' } });
    expect(pciSymbolAt(index.pci, at('bar 0 mem64'))).toMatchObject({ kind: 'bar', bar: 0 });
    expect(pciSymbolAt(index.pci, at('rom size'))).toMatchObject({ kind: 'bar', bar: 6 });
    expect(pciSymbolAt(index.pci, at('first'))).toMatchObject({ kind: 'label', label: { name: 'first', step: 0 } });
    expect(pciSymbolAt(index.pci, at('vtd'))).toMatchObject({ kind: 'initiator', initiator: { kind: 'iommu' } });
    expect(pciSymbolAt(index.pci, at('s on'))).toMatchObject({ kind: 'sequence' });
    expect(index.pci.devices.map((d) => text.slice(d.addressSpan.start, d.addressSpan.end))).toEqual(['00:00.0', '00:04.0', '01:10.0']);
  });
});
