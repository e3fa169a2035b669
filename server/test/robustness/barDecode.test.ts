// Differential test of BAR decoding: a deliberately literal model of QEMU 7.2's
// pci_bar_address, written from the spec (R-PCI-6/7/8/9/14) with explicit 64-bit wrapping
// arithmetic, against pciBarAddress/barDecode, on special and random BARs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BarDecode, type UnmappedReason, barDecode, pciBarAddress } from '../../src/engine/pci/barAddress.js';

const TWO_64 = 1n << 64n;
const UNMAPPED = TWO_64 - 1n; // R-PCI-6: ~(pcibus_t)0
const UINT32_MAX = 0xffff_ffffn;
const HWADDR_MAX = TWO_64 - 1n;
const u64 = (x: bigint): bigint => ((x % TWO_64) + TWO_64) % TWO_64;
const CMD_IO = 1;
const CMD_MEMORY = 2;

/** Every reason whose condition holds, in the order QEMU tests them; empty = mapped at `addr`. */
function reference(d: BarDecode): { addr: bigint; reasons: UnmappedReason[] } {
  const reasons: UnmappedReason[] = [];
  // ~(size - 1) as a 64-bit pcibus_t.
  const mask = u64(~(d.size - 1n));
  if (d.kind === 'io') {
    // R-PCI-7: COMMAND.IO; a 32-bit read; last = a + size - 1 in 64 bits.
    if (!(d.command & CMD_IO)) return { addr: UNMAPPED, reasons: ['io-decode-off'] };
    const a = (d.value % (1n << 32n)) & mask;
    const last = u64(a + d.size - 1n);
    if (last <= a) reasons.push('wraps');
    if (last >= UINT32_MAX) reasons.push('above-4g-32bit');
    if (a === 0n && !d.allowZeroAddress) reasons.push('zero-address');
    return { addr: reasons.length ? UNMAPPED : a, reasons };
  }
  // R-PCI-8: COMMAND.MEMORY; 64-bit read for a 64-bit BAR, else 32; the ROM enable bit.
  if (!(d.command & CMD_MEMORY)) return { addr: UNMAPPED, reasons: ['memory-decode-off'] };
  const raw = d.kind === 'mem64' ? u64(d.value) : d.value % (1n << 32n);
  if (d.rom && raw % 2n === 0n) return { addr: UNMAPPED, reasons: ['rom-disabled'] };
  const a = raw & mask;
  const last = u64(a + d.size - 1n);
  if (last <= a) reasons.push('wraps');
  if (last === UNMAPPED) reasons.push('last-is-all-ones');
  // R-PCI-9/14: address 0 only where the machine allows it.
  if (a === 0n && !d.allowZeroAddress) reasons.push('zero-address');
  // A 32-bit BAR whose last byte is 0xffffffff or above is unmapped.
  if (d.kind !== 'mem64' && last >= UINT32_MAX) reasons.push('above-4g-32bit');
  if (last >= HWADDR_MAX && !reasons.includes('last-is-all-ones')) reasons.push('last-is-all-ones');
  return { addr: reasons.length ? UNMAPPED : a, reasons };
}

function check(d: BarDecode): void {
  const want = reference(d);
  const got = barDecode(d);
  const fail = (what: string) => {
    throw new Error(`${what}: ${d.kind}${d.rom ? ' rom' : ''} size 0x${d.size.toString(16)} value 0x${d.value.toString(16)} ` +
      `command 0x${d.command.toString(16)} allow-0 ${d.allowZeroAddress}: got 0x${got.addr.toString(16)} (${got.reason}), ` +
      `want 0x${want.addr.toString(16)} (${want.reasons.join(', ')})`);
  };
  if (got.addr !== want.addr) fail('address');
  if (pciBarAddress(d) !== want.addr) fail('pciBarAddress');
  // Any reason that holds is a true explanation; QEMU tests several in one condition.
  if (want.reasons.length === 0 ? got.reason !== undefined : !want.reasons.includes(got.reason!)) fail('reason');
  if (got.addr !== UNMAPPED) {
    // Mapped: aligned, inside 64 bits without touching 2^64-1, below 4 GiB for 32-bit BARs.
    const last = got.addr + d.size - 1n;
    if (got.addr % d.size !== 0n || last >= UNMAPPED || (d.kind !== 'mem64' && last >= UINT32_MAX)) fail('mapped window');
  }
}

const kinds: { kind: BarDecode['kind']; rom: boolean; maxLog: number }[] = [
  { kind: 'io', rom: false, maxLog: 32 },
  { kind: 'mem32', rom: false, maxLog: 32 },
  { kind: 'mem32', rom: true, maxLog: 32 },
  { kind: 'mem64', rom: false, maxLog: 63 },
  { kind: 'mem64', rom: true, maxLog: 63 }, // QEMU tests the ROM enable bit on whatever the slot holds
];

/** Values that sit on the edges for a BAR of `size`. */
function specialValues(size: bigint): bigint[] {
  const all64 = TWO_64 - 1n;
  const notMask = u64(~(size - 1n));
  const vs = [
    0n, 1n, all64, UINT32_MAX, notMask, notMask & UINT32_MAX, notMask | 1n,
    (1n << 32n) - size, (1n << 32n) - 2n * size, (1n << 32n), (1n << 32n) + size, (1n << 32n) - size + 1n,
    TWO_64 - size, TWO_64 - 2n * size, TWO_64 - size + 1n, (0xffff_ffffn << 32n) | 0xfebe_0000n,
    0xfebe_0000n, 0xfebe_0004n, 0xfebe_000cn, size, size | 1n, 2n * size, 0x8000_0000n, 1n << 63n,
  ];
  return vs.map(u64);
}

const commands = [0, CMD_IO, CMD_MEMORY, CMD_IO | CMD_MEMORY, 0xffff, 0x4, 0xfffc];

describe('pci_bar_address: our decoder vs a literal model of the spec', () => {
  it('every kind × every power-of-two size × the edge values × COMMAND × allow-0', () => {
    let n = 0;
    for (const k of kinds) {
      for (let log = 0; log <= k.maxLog; log++) {
        const size = 1n << BigInt(log);
        for (const value of specialValues(size)) {
          for (const command of commands) {
            for (const allowZeroAddress of [false, true]) {
              check({ kind: k.kind, rom: k.rom, size, value, command, allowZeroAddress });
              n++;
            }
          }
        }
      }
    }
    expect(n).toBeGreaterThan(40_000);
  });

  it('random BARs (fast-check)', () => {
    const bar = fc.record({
      k: fc.constantFrom(...kinds),
      log: fc.integer({ min: 0, max: 63 }),
      value: fc.oneof(
        fc.bigInt({ min: 0n, max: TWO_64 - 1n }),
        fc.bigInt({ min: 0n, max: UINT32_MAX }),
        fc.bigInt({ min: (1n << 32n) - 0x10000n, max: (1n << 32n) + 0x10000n }),
        fc.bigInt({ min: TWO_64 - 0x1_0000_0000n, max: TWO_64 - 1n }),
        fc.constantFrom(0n, UINT32_MAX, TWO_64 - 1n),
      ),
      low: fc.integer({ min: 0, max: 15 }),
      command: fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(...commands)),
      allowZeroAddress: fc.boolean(),
    });
    fc.assert(
      fc.property(bar, ({ k, log, value, low, command, allowZeroAddress }) => {
        const size = 1n << BigInt(Math.min(log, k.maxLog));
        // Type and enable bits live in the low nibble whatever the address.
        check({ kind: k.kind, rom: k.rom, size, value: value | BigInt(low), command, allowZeroAddress });
        check({ kind: k.kind, rom: k.rom, size, value, command, allowZeroAddress });
      }),
      { numRuns: 20_000 },
    );
  });

  it('the cases the spec works out (R-SIZE-2/3/4, R-PCI-8)', () => {
    const mem64 = (value: bigint, size: bigint) =>
      pciBarAddress({ kind: 'mem64', rom: false, size, value, command: CMD_MEMORY, allowZeroAddress: false });
    expect(mem64(0xffff_ffff_febe_0000n, 0x20000n)).toBe(0xffff_ffff_febe_0000n);
    expect(mem64(0x0000_0000_ffff_ffffn & ~0x1ffffn, 0x20000n)).toBe(0xfffe_0000n);
    expect(mem64(TWO_64 - 1n, 0x20000n)).toBe(UNMAPPED);
    // 2^63 BAR: at 0 it is unmapped unless allowed; at 2^63 it would end at 2^64-1.
    expect(mem64(0n, 1n << 63n)).toBe(UNMAPPED);
    expect(pciBarAddress({ kind: 'mem64', rom: false, size: 1n << 63n, value: 0n, command: CMD_MEMORY, allowZeroAddress: true })).toBe(0n);
    expect(mem64(1n << 63n, 1n << 63n)).toBe(UNMAPPED);
  });
});
