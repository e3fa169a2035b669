// Configuration-space registers as QEMU 7.2 initialises and writes them: the 64-byte header
// of every device with its write mask and write-1-to-clear mask (pci_init_wmask,
// pci_init_w1cmask, pci_init_mask_bridge, pci_register_bar) and which bits the model knows.
// Bytes beyond the header are not modelled: writes to them change no mapping, reads of them
// are unknown. Invariant: every byte goes through `(old & ~wmask) | (val & wmask)` (R-PCI-3).
import { type PciDevice, ROM_SLOT } from '../../model/pci.js';

export const HEADER = 64;

export const PCI_COMMAND = 0x04;
export const PCI_STATUS = 0x06;
export const PCI_CACHE_LINE_SIZE = 0x0c;
export const PCI_HEADER_TYPE = 0x0e;
export const PCI_BASE_ADDRESS_0 = 0x10;
export const PCI_ROM_ADDRESS = 0x30;
export const PCI_ROM_ADDRESS1 = 0x38;
export const PCI_INTERRUPT_LINE = 0x3c;
export const PCI_PRIMARY_BUS = 0x18;
export const PCI_SECONDARY_BUS = 0x19;
export const PCI_SUBORDINATE_BUS = 0x1a;
export const PCI_SEC_LATENCY_TIMER = 0x1b;
export const PCI_IO_BASE = 0x1c;
export const PCI_IO_LIMIT = 0x1d;
export const PCI_MEMORY_BASE = 0x20;
export const PCI_MEMORY_LIMIT = 0x22;
export const PCI_PREF_MEMORY_BASE = 0x24;
export const PCI_PREF_MEMORY_LIMIT = 0x26;
export const PCI_PREF_BASE_UPPER32 = 0x28;
export const PCI_PREF_LIMIT_UPPER32 = 0x2c;
export const PCI_IO_BASE_UPPER16 = 0x30;
export const PCI_IO_LIMIT_UPPER16 = 0x32;
export const PCI_BRIDGE_CONTROL = 0x3e;

export const CMD_IO = 0x1;
export const CMD_MEMORY = 0x2;
export const CMD_MASTER = 0x4;
export const CMD_SERR = 0x100;
export const CMD_INTX_DISABLE = 0x400;

export const BRIDGE_CTL_VGA = 0x08;
export const BRIDGE_CTL_BUS_RESET = 0x40;

/** Config offset of BAR `i` (R-PCI-1: `pci_bar`). */
export function barOffset(dev: PciDevice, i: number): number {
  if (i !== ROM_SLOT) return PCI_BASE_ADDRESS_0 + 4 * i;
  return dev.headerType === 1 ? PCI_ROM_ADDRESS1 : PCI_ROM_ADDRESS;
}

/** The type bits `pci_register_bar` writes into the BAR dword (R-PCI-2). */
export function barTypeBits(dev: PciDevice, i: number): number {
  const b = dev.bars[i];
  if (!b || i === ROM_SLOT) return 0;
  if (b.kind === 'io') return 1;
  return (b.kind === 'mem64' ? 0x4 : 0) | (b.prefetchable ? 0x8 : 0);
}

export interface HeaderInit {
  /** Power-on contents (after realize, before any reset). */
  readonly config: Uint8Array;
  readonly wmask: Uint8Array;
  readonly w1cmask: Uint8Array;
  /** Bits whose value the model knows (reads compare only these). */
  readonly known: Uint8Array;
}

function setWord(a: Uint8Array, off: number, v: number): void {
  a[off] = v & 0xff;
  a[off + 1] = (v >>> 8) & 0xff;
}

function setLong(a: Uint8Array, off: number, v: number): void {
  for (let i = 0; i < 4; i++) a[off + i] = (v >>> (8 * i)) & 0xff;
}

/** Little-endian value of `len` bytes (1..4) as an unsigned number. */
export function getBytes(a: Uint8Array, off: number, len: number): number {
  let v = 0;
  for (let i = len - 1; i >= 0; i--) v = v * 256 + a[off + i];
  return v;
}

/**
 * The header as `do_pci_register_device` + `pci_register_bar` + `pci_bridge_initfn` leave
 * it. COMMAND wmask: IO|MEMORY|MASTER|INTX_DISABLE (+SERR with `command_serr_enable`);
 * cache line and interrupt line fully writable; BARs `~(size-1)` (+ the ROM enable bit),
 * over both dwords of a 64-bit BAR; bridges per `pci_init_mask_bridge`.
 */
export function initHeader(dev: PciDevice): HeaderInit {
  const config = new Uint8Array(HEADER);
  const wmask = new Uint8Array(HEADER);
  const w1cmask = new Uint8Array(HEADER);
  const known = new Uint8Array(HEADER);
  const knowRange = (off: number, len: number) => known.fill(0xff, off, off + len);

  if (dev.vendorId !== undefined) { setWord(config, 0, dev.vendorId); knowRange(0, 2); }
  if (dev.deviceId !== undefined) { setWord(config, 2, dev.deviceId); knowRange(2, 2); }
  if (dev.classCode !== undefined) { setWord(config, 0x0a, dev.classCode); knowRange(0x0a, 2); }

  setWord(wmask, PCI_COMMAND, CMD_IO | CMD_MEMORY | CMD_MASTER | CMD_INTX_DISABLE | (dev.serrEnable ? CMD_SERR : 0));
  knowRange(PCI_COMMAND, 2);
  // STATUS: error bits are write-1-to-clear; the rest (capability list, 66 MHz…) is device
  // specific and not modelled.
  setWord(w1cmask, PCI_STATUS, 0x0100 | 0x0800 | 0x1000 | 0x2000 | 0x4000 | 0x8000);
  wmask[PCI_CACHE_LINE_SIZE] = 0xff;
  wmask[PCI_INTERRUPT_LINE] = 0xff;
  knowRange(PCI_CACHE_LINE_SIZE, 1);
  knowRange(PCI_INTERRUPT_LINE, 1);

  // BAR dwords: unregistered ones stay 0 with wmask 0, so they read back 0.
  const barEnd = dev.headerType === 1 ? 0x18 : 0x28;
  knowRange(PCI_BASE_ADDRESS_0, barEnd - PCI_BASE_ADDRESS_0);
  const rom = barOffset(dev, ROM_SLOT);
  knowRange(rom, 4);
  for (let i = 0; i <= ROM_SLOT; i++) {
    const b = dev.bars[i];
    if (!b) continue;
    const off = barOffset(dev, i);
    setLong(config, off, barTypeBits(dev, i));
    const m64 = ((1n << 64n) - 1n) & ~(b.size - 1n);
    const lo = Number(m64 & 0xffffffffn) | (i === ROM_SLOT ? 1 : 0);
    setLong(wmask, off, lo);
    if (b.kind === 'mem64') setLong(wmask, off + 4, Number(m64 >> 32n));
  }

  if (dev.headerType === 1) {
    const br = dev.bridge;
    wmask.fill(0xff, PCI_PRIMARY_BUS, PCI_PRIMARY_BUS + 4);
    if (br?.expressSecondary) wmask[PCI_SEC_LATENCY_TIMER] = 0;
    knowRange(PCI_PRIMARY_BUS, 4);
    wmask[PCI_IO_BASE] = 0xf0;
    wmask[PCI_IO_LIMIT] = 0xf0;
    setWord(wmask, PCI_MEMORY_BASE, 0xfff0);
    setWord(wmask, PCI_MEMORY_LIMIT, 0xfff0);
    setWord(wmask, PCI_PREF_MEMORY_BASE, 0xfff0);
    setWord(wmask, PCI_PREF_MEMORY_LIMIT, 0xfff0);
    wmask.fill(0xff, PCI_PREF_BASE_UPPER32, PCI_PREF_BASE_UPPER32 + 8);
    // 16-bit I/O decoding (type 0 in the low nibble; the upper-16 registers stay read-only
    // 0); 64-bit prefetchable decoding (type 1).
    setWord(config, PCI_PREF_MEMORY_BASE, 0x0001);
    setWord(config, PCI_PREF_MEMORY_LIMIT, 0x0001);
    knowRange(PCI_IO_BASE, 2);
    knowRange(PCI_MEMORY_BASE, 0x14);
    setWord(wmask, PCI_BRIDGE_CONTROL, 0x0bff);
    setWord(w1cmask, PCI_BRIDGE_CONTROL, 0x0400);
    knowRange(PCI_BRIDGE_CONTROL, 2);
  }
  return { config, wmask, w1cmask, known };
}

/**
 * Apply one config write to a header image (`pci_default_write_config`, R-PCI-3): each
 * byte inside the header goes through wmask, then W1C bits written as 1 are cleared. Bytes
 * beyond the header are ignored here. Updates the known-bits image alongside.
 */
export function writeBytes(
  cfg: Uint8Array, known: Uint8Array, base: number, init: HeaderInit,
  offset: number, len: number, value: number,
): void {
  for (let i = 0; i < len; i++) {
    const a = offset + i;
    if (a >= HEADER) break;
    const v = Math.floor(value / 2 ** (8 * i)) & 0xff;
    const wm = init.wmask[a];
    const w1c = init.w1cmask[a];
    let b = (cfg[base + a] & ~wm) | (v & wm);
    b &= ~(v & w1c);
    cfg[base + a] = b & 0xff;
    known[base + a] |= wm | (v & w1c);
  }
}

/** Does a write of `len` bytes at `offset` overlap [start, start+n)? (`ranges_overlap`) */
export function overlaps(offset: number, len: number, start: number, n: number): boolean {
  return offset < start + n && start < offset + len;
}

/** Writes that make `pci_default_write_config` call `pci_update_mappings` (R-PCI-4). */
export function touchesMappings(offset: number, len: number): boolean {
  return (
    overlaps(offset, len, PCI_BASE_ADDRESS_0, 24) ||
    overlaps(offset, len, PCI_ROM_ADDRESS, 4) ||
    overlaps(offset, len, PCI_ROM_ADDRESS1, 4) ||
    overlaps(offset, len, PCI_COMMAND, 1)
  );
}

/** Writes that make `pci_bridge_write_config` re-create the windows (R-BR-4). */
export function touchesBridgeWindows(offset: number, len: number): boolean {
  return (
    overlaps(offset, len, PCI_COMMAND, 2) ||
    overlaps(offset, len, PCI_IO_BASE, 2) ||
    overlaps(offset, len, PCI_MEMORY_BASE, 20) ||
    overlaps(offset, len, PCI_BRIDGE_CONTROL, 2)
  );
}

/** Writes that can change bus-number routing (R-PCI-16). */
export function touchesBusNumbers(offset: number, len: number): boolean {
  return overlaps(offset, len, PCI_SECONDARY_BUS, 2) || overlaps(offset, len, PCI_BRIDGE_CONTROL, 1);
}
