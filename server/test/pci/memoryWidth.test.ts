// MR4004: memory in the `memory` address space past a declared CPU's phys-bits (R-CPU-1, R-CPU-2),
// at the end of the last sequence; BARs are left to MR4002.
import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../src/ide/analysis.js';

const machine = (physBits: string, ram = '1T') => `address-space memory root system
container system size 2^64 {
  alias ram-below-4g -> pc.ram size 2G
  alias ram-above-4g -> pc.ram offset 2G size ${ram} at 4G
  container pci size 2^64 priority -1 {
  }
}
ram pc.ram size 2G + ${ram}
container pio size 64K {
}
cpu cpu0${physBits}
pci-host q35 mem pci io pio {
  device 00:02.0 nic command 0x2 {
    bar 0 mem64 size 16K at 0x100_0000_0000
  }
}
`;

const codes = (text: string) => analyzeDocument(text).diagnostics.map((d) => `${d.code} ${d.message}`);

describe('memory beyond the CPU (MR4004)', () => {
  it('reports the RAM an alias maps past 2^phys-bits, at the RAM, with the CPU as related information', () => {
    const text = machine(' phys-bits 39');
    const a = analyzeDocument(text);
    const d = a.diagnostics.filter((x) => x.code === 'MR4004');
    // ram-above-4g shows pc.ram from 2G at 4G: 0x1_0000_0000 .. 4G + 1 TiB - 1, past 2^39 - 1.
    expect(d.map((x) => x.message)).toEqual([
      'ram pc.ram at 0x0000_0001_0000_0000..0x0000_0100_ffff_ffff reaches past the 39-bit CPU physical address space (max 0x0000_007f_ffff_ffff)',
    ]);
    expect(text.slice(d[0].span.start, d[0].span.end)).toBe('pc.ram');
    expect(d[0].span.start).toBe(text.indexOf('ram pc.ram') + 4);
    expect(d[0].related?.map((r) => [text.slice(r.span.start, r.span.end), r.message])).toEqual([['cpu cpu0 phys-bits 39', 'CPU cpu0 with phys-bits 39']]);
  });

  it('says nothing when it fits, nor without a cpu; a BAR past the limit is MR4002, not MR4004', () => {
    expect(codes(machine(' phys-bits 46')).filter((c) => c.startsWith('MR4004'))).toEqual([]);
    // 2^40 - 1 = 0xff_ffff_ffff: the RAM ends at 0x100_ffff_ffff, the BAR sits at 0x100_0000_0000.
    // In text order: the RAM's declaration, then the BAR's.
    expect(codes(machine(' phys-bits 40')).filter((c) => c.startsWith('MR400'))).toEqual([
      expect.stringMatching(/^MR4004 ram pc.ram at 0x0000_0001_0000_0000\.\.0x0000_0100_ffff_ffff reaches past the 40-bit/),
      expect.stringMatching(/^MR4002 BAR0 of 00:02.0 at 0x0000_0100_0000_0000/),
    ]);
    const noCpu = machine(' phys-bits 39').replace('cpu cpu0 phys-bits 39\n', '');
    expect(codes(noCpu).filter((c) => c.startsWith('MR4004'))).toEqual([]);
  });
});
