// Bridge windows (R-BR-2..4): decoding base/limit registers and re-creating the three window
// aliases in the parent bus containers on every relevant write. The aliases are reused
// objects, deleted and re-added at priority 1 in the order pref, mem, io, which leaves the
// list exactly as QEMU's destroy-and-recreate does (R-MASTER-3).
import type { PciBridge } from '../../model/pci.js';
import { addSubregion, delSubregion } from '../../model/region.js';
import {
  CMD_IO, CMD_MEMORY, PCI_COMMAND, PCI_IO_BASE, PCI_IO_BASE_UPPER16, PCI_IO_LIMIT,
  PCI_IO_LIMIT_UPPER16, PCI_MEMORY_BASE, PCI_MEMORY_LIMIT, PCI_PREF_BASE_UPPER32,
  PCI_PREF_LIMIT_UPPER32, PCI_PREF_MEMORY_BASE, PCI_PREF_MEMORY_LIMIT,
} from './config.js';

const U64 = (1n << 64n) - 1n;

export type WindowKind = 'io' | 'mem' | 'pref';

export interface WindowRange {
  base: bigint;
  limit: bigint;
}

const word = (c: Uint8Array, o: number) => c[o] | (c[o + 1] << 8);
const long = (c: Uint8Array, o: number) => (c[o] | (c[o + 1] << 8) | (c[o + 2] << 16) | (c[o + 3] << 24)) >>> 0;

function ioBase(c: Uint8Array, o: number, reg: number, upper: number): bigint {
  let v = BigInt((c[o + reg] & 0xf0) << 8);
  if ((c[o + reg] & 0x0f) === 1) v |= BigInt(word(c, o + upper)) << 16n;
  return v;
}

function prefBase(c: Uint8Array, o: number, reg: number, upper: number): bigint {
  const w = word(c, o + reg);
  let v = BigInt(w & 0xfff0) << 16n;
  if ((w & 0xf) === 1) v |= BigInt(long(c, o + upper)) << 32n;
  return v;
}

/** `pci_bridge_get_base/limit` over a header image at byte offset `o` (R-BR-2). */
export function windowRange(c: Uint8Array, o: number, kind: WindowKind): WindowRange {
  if (kind === 'io') {
    return {
      base: ioBase(c, o, PCI_IO_BASE, PCI_IO_BASE_UPPER16),
      limit: ioBase(c, o, PCI_IO_LIMIT, PCI_IO_LIMIT_UPPER16) | 0xfffn,
    };
  }
  if (kind === 'pref') {
    return {
      base: prefBase(c, o, PCI_PREF_MEMORY_BASE, PCI_PREF_BASE_UPPER32),
      limit: prefBase(c, o, PCI_PREF_MEMORY_LIMIT, PCI_PREF_LIMIT_UPPER32) | 0xfffffn,
    };
  }
  return {
    base: BigInt(word(c, o + PCI_MEMORY_BASE) & 0xfff0) << 16n,
    limit: (BigInt(word(c, o + PCI_MEMORY_LIMIT) & 0xfff0) << 16n) | 0xfffffn,
  };
}

/**
 * The alias size `pci_bridge_init_alias` computes: `enabled && limit >= base ? limit + 1 -
 * base : 0`, in 64-bit arithmetic (base 0, limit 2^64-1 wraps to 0, as in QEMU).
 */
export function windowSize(r: WindowRange, enabled: boolean): bigint {
  return enabled && r.limit >= r.base ? (r.limit + 1n - r.base) & U64 : 0n;
}

export interface WindowState {
  kind: WindowKind;
  base: bigint;
  size: bigint;
}

/** The three windows the current registers describe, in creation order (pref, mem, io). */
export function windowsFromConfig(c: Uint8Array, o: number): WindowState[] {
  const cmd = word(c, o + PCI_COMMAND);
  return (['pref', 'mem', 'io'] as const).map((kind) => {
    const r = windowRange(c, o, kind);
    const enabled = kind === 'io' ? (cmd & CMD_IO) !== 0 : (cmd & CMD_MEMORY) !== 0;
    return { kind, base: r.base, size: windowSize(r, enabled) };
  });
}

/**
 * `pci_bridge_update_mappings`: delete io, mem, pref from the parent containers, then
 * re-create pref, mem, io from the registers at priority 1 (R-BR-3, R-BR-4).
 */
export function updateBridgeWindows(br: PciBridge, c: Uint8Array, o: number): WindowState[] {
  const parent = br.device.bus;
  delSubregion(parent.io, br.ioWindow);
  delSubregion(parent.mem, br.memWindow);
  delSubregion(parent.mem, br.prefWindow);
  const ws = windowsFromConfig(c, o);
  placeWindows(br, ws);
  return ws;
}

/** Add the aliases with the given geometry (also used when restoring a snapshot). */
export function placeWindows(br: PciBridge, ws: WindowState[]): void {
  const parent = br.device.bus;
  for (const w of ws) {
    const alias = w.kind === 'pref' ? br.prefWindow : w.kind === 'mem' ? br.memWindow : br.ioWindow;
    alias.aliasOffset = w.base;
    alias.size = w.size;
    addSubregion(w.kind === 'io' ? parent.io : parent.mem, w.base, alias, 1);
  }
}
