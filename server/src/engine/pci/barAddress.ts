// `pci_bar_address` of QEMU 7.2 (R-PCI-7, R-PCI-8, R-PCI-9/14): the address a BAR decodes
// at, or PCI_BAR_UNMAPPED. A pure function of the BAR register value, COMMAND and the
// machine's allow-0 flag; no phys-bits, window or IOMMU limit applies here (those are checks).
import type { BarKind } from '../../model/pci.js';
import { CMD_IO, CMD_MEMORY } from './config.js';

/** `PCI_BAR_UNMAPPED` = ~(pcibus_t)0 (R-PCI-6). */
export const UNMAPPED = (1n << 64n) - 1n;
const U64 = (1n << 64n) - 1n;

export interface BarDecode {
  kind: BarKind;
  /** The expansion ROM slot: also needs its enable bit (bit 0). */
  rom: boolean;
  size: bigint;
  /** Register value: the low dword, or both dwords of a 64-bit BAR (high << 32 | low). */
  value: bigint;
  command: number;
  allowZeroAddress: boolean;
}

/** Why a BAR is unmapped, for hovers and diagnostics; undefined when it is mapped. */
export type UnmappedReason =
  | 'io-decode-off' | 'memory-decode-off' | 'rom-disabled' | 'wraps' | 'last-is-all-ones'
  | 'zero-address' | 'above-4g-32bit';

export function barDecode(d: BarDecode): { addr: bigint; reason?: UnmappedReason } {
  const mask = ~(d.size - 1n) & U64;
  if (d.kind === 'io') {
    if (!(d.command & CMD_IO)) return { addr: UNMAPPED, reason: 'io-decode-off' };
    const a = d.value & 0xffffffffn & mask;
    const last = (a + d.size - 1n) & U64;
    if (last <= a) return { addr: UNMAPPED, reason: 'wraps' };
    if (a === 0n && !d.allowZeroAddress) return { addr: UNMAPPED, reason: 'zero-address' };
    if (last >= 0xffffffffn) return { addr: UNMAPPED, reason: 'above-4g-32bit' };
    return { addr: a };
  }
  if (!(d.command & CMD_MEMORY)) return { addr: UNMAPPED, reason: 'memory-decode-off' };
  const raw = d.kind === 'mem64' ? d.value & U64 : d.value & 0xffffffffn;
  if (d.rom && !(raw & 1n)) return { addr: UNMAPPED, reason: 'rom-disabled' };
  const a = raw & mask;
  const last = (a + d.size - 1n) & U64;
  if (last <= a) return { addr: UNMAPPED, reason: 'wraps' };
  if (last === UNMAPPED) return { addr: UNMAPPED, reason: 'last-is-all-ones' };
  if (a === 0n && !d.allowZeroAddress) return { addr: UNMAPPED, reason: 'zero-address' };
  // A 32-bit BAR whose last byte is exactly 0xffffffff counts as unmapped (R-PCI-8).
  if (d.kind !== 'mem64' && last >= 0xffffffffn) return { addr: UNMAPPED, reason: 'above-4g-32bit' };
  return { addr: a };
}

/** The decoded address, or UNMAPPED. */
export function pciBarAddress(d: BarDecode): bigint {
  return barDecode(d).addr;
}
