// The mutable state of a PCI simulation, in flat typed arrays so that a snapshot is a few
// copies: header bytes and known bits (64 per device), mapped BAR addresses (7 per device),
// power, bridge window geometry (3 × base/size per bridge), which bridges have their VGA aliases
// registered, and the subregion lists of the bus containers the simulation touches. Restoring a
// snapshot also puts every BAR region, window alias and VGA region back where the lists say, so
// the region graph is QEMU-exact at that point.
import {
  NUM_BARS, type PciBus, type PciDevice, type PciTopology, VGA_IO_HI_BASE, VGA_IO_LO_BASE, VGA_MEM_BASE, type VgaRegions,
} from '../../model/pci.js';
import type { Region } from '../../model/region.js';
import { UNMAPPED } from './barAddress.js';
import { CMD_IO, CMD_MEMORY, HEADER, PCI_COMMAND } from './config.js';

export interface Snapshot {
  readonly cfg: Uint8Array;
  readonly known: Uint8Array;
  readonly mapped: BigUint64Array;
  readonly power: Uint8Array;
  readonly windows: BigUint64Array;
  readonly vga: Uint8Array;
  readonly lists: Region[][];
}

export class PciState {
  readonly cfg: Uint8Array;
  readonly known: Uint8Array;
  /** Address each BAR is mapped at (UNMAPPED if none), index dev * 7 + bar. */
  readonly mapped: BigUint64Array;
  readonly power: Uint8Array;
  /** Per bridge: pref base, pref size, mem base, mem size, io base, io size. */
  readonly windows: BigUint64Array;
  /** Per bridge: 1 while its VGA aliases are registered in the parent bus (R-BR-5). */
  readonly vga: Uint8Array;
  /** Every container whose subregion list the simulation changes. */
  readonly containers: Region[] = [];

  constructor(readonly topo: PciTopology) {
    const n = topo.devices.length;
    this.cfg = new Uint8Array(n * HEADER);
    this.known = new Uint8Array(n * HEADER);
    this.mapped = new BigUint64Array(n * NUM_BARS).fill(UNMAPPED);
    this.power = new Uint8Array(n);
    this.windows = new BigUint64Array(topo.bridges.length * 6);
    this.vga = new Uint8Array(topo.bridges.length);
    const seen = new Set<Region>();
    for (const b of topo.buses) {
      for (const c of [b.mem, b.io]) {
        if (!seen.has(c)) {
          seen.add(c);
          this.containers.push(c);
        }
      }
    }
  }

  snapshot(): Snapshot {
    return {
      cfg: this.cfg.slice(),
      known: this.known.slice(),
      mapped: this.mapped.slice(),
      power: this.power.slice(),
      windows: this.windows.slice(),
      vga: this.vga.slice(),
      lists: this.containers.map((c) => c.children.slice()),
    };
  }

  restore(s: Snapshot): void {
    this.cfg.set(s.cfg);
    this.known.set(s.known);
    this.mapped.set(s.mapped);
    this.power.set(s.power);
    this.windows.set(s.windows);
    this.vga.set(s.vga);
    this.containers.forEach((c, i) => {
      c.children = s.lists[i].slice();
    });
    this.placeRegions();
  }

  /** Make each BAR region's and window alias's own fields agree with the arrays. */
  private placeRegions(): void {
    for (const d of this.topo.devices) {
      for (let i = 0; i < NUM_BARS; i++) {
        const b = d.bars[i];
        if (!b) continue;
        const a = this.mapped[d.index * NUM_BARS + i];
        if (a === UNMAPPED) {
          b.region.container = null;
        } else {
          b.region.container = b.kind === 'io' ? d.bus.io : d.bus.mem;
          b.region.addr = a;
          b.region.priority = 1;
        }
      }
    }
    this.topo.bridges.forEach((br, k) => {
      const w = this.windows;
      const parent = br.device.bus;
      const set = (r: Region, j: number, c: Region) => {
        r.aliasOffset = w[k * 6 + j];
        r.addr = w[k * 6 + j];
        r.size = w[k * 6 + j + 1];
        r.priority = 1;
        r.container = c;
      };
      set(br.prefWindow, 0, parent.mem);
      set(br.memWindow, 2, parent.mem);
      set(br.ioWindow, 4, parent.io);
      placeVga(br.vga, this.vga[k] === 1 ? parent : null, this.command(br.device));
    });
    for (const d of this.topo.devices) if (d.vga) placeVga(d.vga, d.bus, this.command(d));
  }

  /** COMMAND of `d` in the registers. */
  private command(d: PciDevice): number {
    const o = d.index * HEADER + PCI_COMMAND;
    return this.cfg[o] | (this.cfg[o + 1] << 8);
  }

  /** True iff the live state equals the snapshot (list order included). */
  equals(s: Snapshot): boolean {
    if (!sameBytes(this.cfg, s.cfg) || !sameBytes(this.known, s.known) || !sameBytes(this.power, s.power)) return false;
    for (let i = 0; i < this.mapped.length; i++) if (this.mapped[i] !== s.mapped[i]) return false;
    for (let i = 0; i < this.windows.length; i++) if (this.windows[i] !== s.windows[i]) return false;
    if (!sameBytes(this.vga, s.vga)) return false;
    for (let i = 0; i < this.containers.length; i++) {
      const a = this.containers[i].children;
      const b = s.lists[i];
      if (a.length !== b.length) return false;
      for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
    }
    return true;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * `pci_register_vga`'s regions in `bus` (null: not registered) at their legacy places, priority 1,
 * enabled as `pci_update_vga` leaves them for `command`.
 */
export function placeVga(v: VgaRegions, bus: PciBus | null, command: number): void {
  const parts: [Region, bigint, 'mem' | 'io', number][] = [
    [v.mem, VGA_MEM_BASE, 'mem', CMD_MEMORY], [v.ioLo, VGA_IO_LO_BASE, 'io', CMD_IO], [v.ioHi, VGA_IO_HI_BASE, 'io', CMD_IO],
  ];
  for (const [r, at, space, bit] of parts) {
    r.container = bus ? bus[space] : null;
    r.addr = at;
    r.priority = 1;
    r.enabled = (command & bit) !== 0;
  }
}
