// pci_bar_address edge cases (R-PCI-7, R-PCI-8, R-PCI-9/14), each expectation worked out
// by hand from the rule it cites.
import { describe, expect, it } from 'vitest';
import { type BarDecode, UNMAPPED, barDecode, pciBarAddress } from '../../src/engine/pci/barAddress.js';

const MEM = 0x2;
const IO = 0x1;
const mem64 = (value: bigint, size: bigint, extra: Partial<BarDecode> = {}): BarDecode =>
  ({ kind: 'mem64', rom: false, size, value, command: MEM, allowZeroAddress: false, ...extra });
const mem32 = (value: bigint, size: bigint, extra: Partial<BarDecode> = {}): BarDecode =>
  ({ kind: 'mem32', rom: false, size, value, command: MEM, allowZeroAddress: false, ...extra });
const io = (value: bigint, size: bigint, extra: Partial<BarDecode> = {}): BarDecode =>
  ({ kind: 'io', rom: false, size, value, command: IO, allowZeroAddress: false, ...extra });

describe('pciBarAddress: memory BARs (R-PCI-8)', () => {
  it('masks the type bits and low address bits with ~(size-1)', () => {
    expect(pciBarAddress(mem32(0xfebe100cn, 0x1000n))).toBe(0xfebe1000n);
    expect(pciBarAddress(mem64(0x2_0040_000cn, 0x4000n))).toBe(0x2_0040_0000n);
  });

  it('is unmapped with COMMAND.MEMORY clear, whatever the value', () => {
    expect(barDecode(mem32(0xfebe1000n, 0x1000n, { command: IO }))).toEqual({ addr: UNMAPPED, reason: 'memory-decode-off' });
  });

  it('32-bit: a BAR whose last byte is exactly 0xffffffff is unmapped', () => {
    // 0xfffff000 + 0x1000 - 1 = 0xffffffff → last ≥ 0xffffffff.
    expect(barDecode(mem32(0xfffff000n, 0x1000n))).toEqual({ addr: UNMAPPED, reason: 'above-4g-32bit' });
    // One page lower ends at 0xffffefff: mapped.
    expect(pciBarAddress(mem32(0xffffe000n, 0x1000n))).toBe(0xffffe000n);
  });

  it('32-bit: all-ones sizing only removes the mapping (R-SIZE-2)', () => {
    expect(pciBarAddress(mem32(0xffffffffn, 0x20000n))).toBe(UNMAPPED);
  });

  it('64-bit: no 4 GiB test, low dword all ones maps at 0xfffe0000 (R-SIZE-3 step 1)', () => {
    expect(pciBarAddress(mem64(0x0000_0000_ffff_ffffn, 0x20000n))).toBe(0xfffe0000n);
  });

  it('64-bit: high dword all ones maps at 0xffffffff_febe0000 (R-SIZE-3 step 3)', () => {
    // last = 0xffffffff_febfffff: no wrap, not 2^64-1.
    expect(pciBarAddress(mem64(0xffff_ffff_febe_0000n, 0x20000n))).toBe(0xffff_ffff_febe_0000n);
  });

  it('64-bit: both dwords all ones → last = 2^64-1 → unmapped (R-SIZE-4)', () => {
    expect(barDecode(mem64(0xffff_ffff_ffff_ffffn, 0x20000n))).toEqual({ addr: UNMAPPED, reason: 'last-is-all-ones' });
  });

  it('64-bit 2 GiB BAR: high ~0 and low 0x80000000 is unmapped, not at 0xffffffff80000000', () => {
    expect(pciBarAddress(mem64(0xffff_ffff_8000_0000n, 0x8000_0000n))).toBe(UNMAPPED);
  });

  it('64-bit: the highest mappable placement ends at 2^64-2', () => {
    // A 16-byte BAR at 2^64-32 ends at 2^64-17: mapped.
    expect(pciBarAddress(mem64(0xffff_ffff_ffff_ffe0n, 0x10n))).toBe(0xffff_ffff_ffff_ffe0n);
    // At 2^64-16 it would end at 2^64-1: unmapped.
    expect(pciBarAddress(mem64(0xffff_ffff_ffff_fff0n, 0x10n))).toBe(UNMAPPED);
  });

  it('a size-1 region always "wraps" (last <= addr)', () => {
    expect(barDecode(mem64(0x1000n, 1n))).toEqual({ addr: UNMAPPED, reason: 'wraps' });
  });

  it('only the low dword counts for a 32-bit BAR', () => {
    expect(pciBarAddress(mem32(0x1_fe00_0000n, 0x100000n))).toBe(0xfe00_0000n);
  });
});

describe('pciBarAddress: ROM BAR (R-PCI-8)', () => {
  const rom = (value: bigint, command = MEM): BarDecode =>
    ({ kind: 'mem32', rom: true, size: 0x40000n, value, command, allowZeroAddress: false });
  it('needs the enable bit', () => {
    expect(barDecode(rom(0xfea00000n))).toEqual({ addr: UNMAPPED, reason: 'rom-disabled' });
    expect(pciBarAddress(rom(0xfea00001n))).toBe(0xfea00000n);
  });
  it('and COMMAND.MEMORY', () => {
    expect(pciBarAddress(rom(0xfea00001n, 0))).toBe(UNMAPPED);
  });
});

describe('pciBarAddress: I/O BARs (R-PCI-7)', () => {
  it('needs COMMAND.IO, not MEMORY', () => {
    expect(pciBarAddress(io(0xd041n, 0x20n))).toBe(0xd040n);
    expect(barDecode(io(0xd041n, 0x20n, { command: MEM }))).toEqual({ addr: UNMAPPED, reason: 'io-decode-off' });
  });
  it('is unmapped when its last byte reaches 0xffffffff', () => {
    expect(pciBarAddress(io(0xffffffe1n, 0x20n))).toBe(UNMAPPED);
    expect(pciBarAddress(io(0xffffffc1n, 0x20n))).toBe(0xffffffc0n);
  });
  it('nothing limits it to 64 KiB', () => {
    expect(pciBarAddress(io(0x10_0001n, 0x100n))).toBe(0x10_0000n);
  });
});

describe('pciBarAddress: address 0 (R-PCI-9, R-PCI-14)', () => {
  it('is unmapped on machines without pci_allow_0_address (x86)', () => {
    expect(barDecode(mem64(0x4n, 0x8000_0000n))).toEqual({ addr: UNMAPPED, reason: 'zero-address' });
    expect(pciBarAddress(io(0x1n, 0x20n))).toBe(UNMAPPED);
  });
  it('is mapped at 0 where the machine allows it (arm virt, s390x, pseries)', () => {
    expect(pciBarAddress(mem64(0xcn, 0x8000_0000n, { allowZeroAddress: true }))).toBe(0n);
    expect(pciBarAddress(io(0x1n, 0x20n, { allowZeroAddress: true }))).toBe(0n);
  });
});
