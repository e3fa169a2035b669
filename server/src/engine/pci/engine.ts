// The PCI machine as QEMU 7.2 runs it: realize and power-on (R-PCI-13), resets, config
// writes and reads routed by the live bus numbers (R-PCI-16), `pci_update_mappings`
// (R-PCI-4/5: del + add at priority 1 into the bus container, so list order is QEMU's), the
// legacy VGA ranges (R-PCI-10) and bridge windows (R-BR-*). Every BAR map change is reported as
// an event to `events` (VGA ranges are switched on and off, not mapped: QEMU traces nothing).
import {
  type BdfAddress, NUM_BARS, type PciBridge, type PciBus, type PciDevice, type PciTopology, ROM_SLOT, VGA_IO_HI_BASE,
  VGA_IO_LO_BASE, VGA_MEM_BASE, type VgaRegions, bdfString, devfn,
} from '../../model/pci.js';
import { addSubregion, delSubregion } from '../../model/region.js';
import { UNMAPPED, barDecode } from './barAddress.js';
import { updateBridgeWindows } from './bridge.js';
import {
  BRIDGE_CTL_BUS_RESET, BRIDGE_CTL_VGA, CMD_IO, CMD_MEMORY, HEADER, type HeaderInit, PCI_BRIDGE_CONTROL, PCI_CACHE_LINE_SIZE, PCI_COMMAND,
  PCI_INTERRUPT_LINE, PCI_IO_BASE, PCI_IO_LIMIT, PCI_MEMORY_BASE, PCI_MEMORY_LIMIT, PCI_PREF_BASE_UPPER32,
  PCI_PREF_MEMORY_BASE, PCI_PREF_MEMORY_LIMIT, PCI_PRIMARY_BUS, PCI_SECONDARY_BUS, PCI_STATUS,
  PCI_SUBORDINATE_BUS, barOffset, barTypeBits, getBytes, initHeader, touchesBridgeWindows, touchesBusNumbers,
  touchesMappings, writeBytes,
} from './config.js';
import { PciState } from './state.js';

export type MapEventKind = 'map-add' | 'map-del';

export interface PciEvent {
  /** Index of the step that caused it; -1 = before the first step (realize, reset, start state). */
  step: number;
  kind: MapEventKind;
  /** `bb:ss.f` with the bus number at that moment (`pci_dev_bus_num`). */
  dev: string;
  /** Index into `PciTopology.devices`. */
  device: number;
  bar: number;
  addr: bigint;
  size: bigint;
}

export interface ReadValue {
  value: number;
  /** Bits of `value` the model knows (unknown bits read as 0). */
  known: number;
}

const word = (c: Uint8Array, o: number) => c[o] | (c[o + 1] << 8);
const long = (c: Uint8Array, o: number) => (c[o] | (c[o + 1] << 8) | (c[o + 2] << 16) | (c[o + 3] << 24)) >>> 0;

export class PciEngine {
  readonly state: PciState;
  readonly inits: HeaderInit[];
  /** Sink for map events; `step` is stamped from `currentStep`. */
  events: PciEvent[] = [];
  currentStep = -1;
  private busCache = new Map<number, PciBus | null>();
  private bridgeIndex = new Map<PciBridge, number>();
  private readonly bdfBus: Int16Array;
  private readonly bdfText: string[];

  constructor(readonly topo: PciTopology) {
    this.state = new PciState(topo);
    this.inits = topo.devices.map(initHeader);
    topo.bridges.forEach((br, k) => this.bridgeIndex.set(br, k));
    this.bdfBus = new Int16Array(topo.devices.length).fill(-1);
    this.bdfText = new Array<string>(topo.devices.length).fill('');
    // Start from the graph the model built: no BAR mapped, no VGA region registered (a previous
    // run may have left some).
    for (const d of topo.devices) {
      for (const b of d.bars) if (b?.region.container) delSubregion(b.region.container, b.region);
      for (const v of [d.vga, d.bridge?.vga]) {
        if (!v) continue;
        for (const r of [v.mem, v.ioLo, v.ioHi]) if (r.container) delSubregion(r.container, r);
      }
    }
  }

  base(dev: PciDevice): number {
    return dev.index * HEADER;
  }

  command(dev: PciDevice): number {
    return word(this.state.cfg, this.base(dev) + PCI_COMMAND);
  }

  /** `pci_dev_bus_num`: a root bus's fixed number, else the parent bridge's SECONDARY_BUS. */
  busNumber(bus: PciBus): number {
    return bus.parent ? this.state.cfg[this.base(bus.parent) + PCI_SECONDARY_BUS] : bus.rootNumber;
  }

  /** `bb:ss.f` with the current bus number (cached per device until the number changes). */
  bdf(dev: PciDevice): string {
    const n = this.busNumber(dev.bus);
    if (this.bdfBus[dev.index] !== n) {
      this.bdfBus[dev.index] = n;
      this.bdfText[dev.index] = bdfString(n, dev.slot, dev.func);
    }
    return this.bdfText[dev.index];
  }

  /** The raw BAR register (type bits included); both dwords for a 64-bit BAR. */
  barValue(dev: PciDevice, i: number): bigint {
    const c = this.state.cfg;
    const off = this.base(dev) + barOffset(dev, i);
    const lo = BigInt(long(c, off));
    return dev.bars[i]?.kind === 'mem64' ? (BigInt(long(c, off + 4)) << 32n) | lo : lo;
  }

  mappedAt(dev: PciDevice, i: number): bigint {
    return this.state.mapped[dev.index * NUM_BARS + i];
  }

  // ---- power-on and reset -------------------------------------------------------------

  /**
   * Realize every device in order and power it on (R-PCI-13). A bridge makes its windows (size 0)
   * as it is realized, a device with VGA ranges registers them (R-PCI-10): in realize order.
   */
  realizeAll(): void {
    const s = this.state;
    for (const d of this.topo.devices) {
      const o = this.base(d);
      const init = this.inits[d.index];
      s.cfg.set(init.config, o);
      s.known.set(init.known, o);
      if (d.realizeCommand !== undefined) {
        s.cfg[o + PCI_COMMAND] = d.realizeCommand & 0xff;
        s.cfg[o + PCI_COMMAND + 1] = (d.realizeCommand >> 8) & 0xff;
      }
      if (d.bridge) this.updateWindows(d.bridge, this.bridgeIndex.get(d.bridge)!);
      if (d.vga) this.registerVga(d, d.vga);
    }
    for (const d of this.topo.devices) {
      s.power[d.index] = 1;
      this.updateMappings(d);
    }
    this.busCache.clear();
  }

  /** System reset: every root bus, secondary buses before their parent's devices. */
  systemReset(): void {
    for (const h of this.topo.hosts) this.resetBus(h.bus);
    this.busCache.clear();
  }

  /**
   * Reset a bus subtree (`bus_cold_reset`): each device's own reset handler and its
   * secondary bus first, then `pci_do_device_reset` in devfn order (`pcibus_reset`).
   */
  resetBus(bus: PciBus): void {
    const devs = [...bus.devices.values()].sort((a, b) => devfn(a.slot, a.func) - devfn(b.slot, b.func));
    for (const d of [...devs].reverse()) {
      if (d.bridge) {
        this.resetBus(d.bridge.secondary);
        this.resetBridgeRegisters(d);
      }
    }
    for (const d of devs) this.doDeviceReset(d);
    this.busCache.clear();
  }

  /** `pci_bridge_reset` (+ `pci_bridge_disable_base_limit` for root ports). Windows stay as they were. */
  private resetBridgeRegisters(d: PciDevice): void {
    const c = this.state.cfg;
    const o = this.base(d);
    c.fill(0, o + PCI_PRIMARY_BUS, o + PCI_PRIMARY_BUS + 4);
    c[o + PCI_IO_BASE] &= 0x0f;
    c[o + PCI_IO_LIMIT] &= 0x0f;
    for (const r of [PCI_MEMORY_BASE, PCI_MEMORY_LIMIT, PCI_PREF_MEMORY_BASE, PCI_PREF_MEMORY_LIMIT]) {
      c[o + r] &= 0x0f;
      c[o + r + 1] = 0;
    }
    c.fill(0, o + PCI_PREF_BASE_UPPER32, o + PCI_PREF_BASE_UPPER32 + 8);
    c[o + PCI_BRIDGE_CONTROL] = 0;
    c[o + PCI_BRIDGE_CONTROL + 1] = 0;
    if (d.bridge?.resetDisablesWindows) {
      c[o + PCI_IO_BASE] |= 0xf0;
      c[o + PCI_MEMORY_BASE] |= 0xf0;
      c[o + PCI_MEMORY_BASE + 1] = 0xff;
      c[o + PCI_PREF_MEMORY_BASE] |= 0xf0;
      c[o + PCI_PREF_MEMORY_BASE + 1] = 0xff;
    }
  }

  /** `pci_do_device_reset`: clear writable COMMAND/STATUS bits, BARs back to type bits, remap. */
  private doDeviceReset(d: PciDevice): void {
    const s = this.state;
    const o = this.base(d);
    const init = this.inits[d.index];
    for (const r of [PCI_COMMAND, PCI_STATUS]) {
      for (let i = 0; i < 2; i++) s.cfg[o + r + i] &= ~(init.wmask[r + i] | init.w1cmask[r + i]);
    }
    s.cfg[o + PCI_CACHE_LINE_SIZE] = 0;
    s.cfg[o + PCI_INTERRUPT_LINE] = 0;
    for (let i = 0; i < NUM_BARS; i++) {
      const b = d.bars[i];
      if (!b) continue;
      const off = o + barOffset(d, i);
      const t = barTypeBits(d, i);
      s.cfg.fill(0, off, off + (b.kind === 'mem64' ? 8 : 4));
      s.cfg[off] = t;
    }
    this.updateMappings(d);
  }

  // ---- routing ------------------------------------------------------------------------

  /** `pci_secondary_bus_in_range`. */
  private inRange(bridge: PciDevice, n: number): boolean {
    const c = this.state.cfg;
    const o = this.base(bridge);
    if (c[o + PCI_BRIDGE_CONTROL] & BRIDGE_CTL_BUS_RESET) return false;
    return c[o + PCI_SECONDARY_BUS] <= n && n <= c[o + PCI_SUBORDINATE_BUS];
  }

  /** `pci_find_bus_nr` from a host's root bus (R-PCI-16). */
  findBus(n: number, host = 0): PciBus | null {
    const key = host * 256 + n;
    const hit = this.busCache.get(key);
    if (hit !== undefined) return hit;
    const root = this.topo.hosts[host]?.bus;
    let found: PciBus | null = null;
    if (root) {
      if (this.busNumber(root) === n) found = root;
      else {
        let bus: PciBus | null = root;
        outer: while (bus) {
          let next: PciBus | null = null;
          for (const sec of bus.children) {
            if (this.busNumber(sec) === n) {
              found = sec;
              break outer;
            }
            if (sec.parent && this.inRange(sec.parent, n)) {
              next = sec;
              break;
            }
          }
          bus = next;
        }
      }
    }
    this.busCache.set(key, found);
    return found;
  }

  route(a: BdfAddress, host = 0): PciDevice | undefined {
    return this.findBus(a.bus, host)?.devices.get(devfn(a.slot, a.func));
  }

  // ---- config access -------------------------------------------------------------------

  /**
   * A config write as the host bridge delivers it: dropped without power or past the
   * config size, else `pci_default_write_config` (+ `pci_bridge_write_config`).
   */
  write(d: PciDevice, offset: number, len: number, value: number): boolean {
    if (!this.state.power[d.index] || offset >= d.configSize) return false;
    const n = Math.min(len, d.configSize - offset);
    const o = this.base(d);
    const oldCtl = word(this.state.cfg, o + PCI_BRIDGE_CONTROL);
    writeBytes(this.state.cfg, this.state.known, o, this.inits[d.index], offset, n, value);
    if (touchesMappings(offset, n)) this.updateMappings(d);
    if (d.bridge) {
      const k = this.bridgeIndex.get(d.bridge)!;
      if (touchesBridgeWindows(offset, n)) this.updateWindows(d.bridge, k);
      if (touchesBusNumbers(offset, n)) this.busCache.clear();
      const newCtl = word(this.state.cfg, o + PCI_BRIDGE_CONTROL);
      // A rising secondary-bus-reset bit resets everything below (R-PCI-17).
      if (~oldCtl & newCtl & BRIDGE_CTL_BUS_RESET) this.resetBus(d.bridge.secondary);
    }
    return true;
  }

  /** `pci_default_read_config` over the modelled header; without power all ones. */
  read(d: PciDevice, offset: number, len: number): ReadValue {
    const all = len === 4 ? 0xffffffff : (1 << (8 * len)) - 1;
    if (!this.state.power[d.index] || offset >= d.configSize) return { value: all, known: all };
    let value = 0;
    let known = 0;
    for (let i = len - 1; i >= 0; i--) {
      const a = offset + i;
      const inHeader = a < HEADER;
      const k = inHeader ? this.state.known[this.base(d) + a] : 0;
      const v = inHeader ? this.state.cfg[this.base(d) + a] & k : 0;
      value = value * 256 + v;
      known = known * 256 + k;
    }
    return { value: value >>> 0, known: known >>> 0 };
  }

  /** `bar N at ADDR`: both dwords through wmask (ROM enable bit kept), one mapping update. */
  assign(d: PciDevice, bar: number, addr: bigint): boolean {
    const b = d.bars[bar];
    if (!this.state.power[d.index] || !b) return false;
    const o = this.base(d);
    const off = barOffset(d, bar);
    const keep = bar === ROM_SLOT ? this.state.cfg[o + off] & 1 : 0;
    const lo = Number(addr & 0xfffffffen) | keep;
    writeBytes(this.state.cfg, this.state.known, o, this.inits[d.index], off, 4, lo >>> 0);
    if (b.kind === 'mem64') {
      writeBytes(this.state.cfg, this.state.known, o, this.inits[d.index], off + 4, 4, Number((addr >> 32n) & 0xffffffffn));
    }
    this.updateMappings(d);
    return true;
  }

  /** Load a register value directly (programmed start state); no side effects. */
  poke(d: PciDevice, offset: number, len: number, value: number): void {
    writeBytes(this.state.cfg, this.state.known, this.base(d), this.inits[d.index], offset, len, value);
  }

  // ---- mappings ------------------------------------------------------------------------

  /** `pci_update_mappings` (R-PCI-5): BARs 0..6 in order; a change is del then add at prio 1. */
  updateMappings(d: PciDevice): void {
    const s = this.state;
    const allow0 = d.bus.host.allowZeroAddress;
    const cmd = this.command(d);
    const powered = s.power[d.index] === 1;
    for (let i = 0; i < NUM_BARS; i++) {
      const b = d.bars[i];
      if (!b) continue;
      const nu = powered
        ? barDecode({ kind: b.kind, rom: i === ROM_SLOT, size: b.size, value: this.barValue(d, i), command: cmd, allowZeroAddress: allow0 }).addr
        : UNMAPPED;
      const k = d.index * NUM_BARS + i;
      const old = s.mapped[k];
      if (nu === old) continue;
      const container = b.kind === 'io' ? d.bus.io : d.bus.mem;
      if (old !== UNMAPPED) {
        delSubregion(container, b.region);
        this.emit('map-del', d, i, old, b.size);
      }
      s.mapped[k] = nu;
      if (nu !== UNMAPPED) {
        addSubregion(container, nu, b.region, 1);
        this.emit('map-add', d, i, nu, b.size);
      }
    }
    this.updateVga(d);
  }

  /** The VGA regions `d` has registered in its bus, if any. */
  private vgaOf(d: PciDevice): VgaRegions | undefined {
    if (d.vga) return d.vga;
    const br = d.bridge;
    return br && this.state.vga[this.bridgeIndex.get(br)!] === 1 ? br.vga : undefined;
  }

  /** `pci_update_vga`: the memory range enabled by COMMAND.MEMORY, the I/O ranges by COMMAND.IO. */
  private updateVga(d: PciDevice): void {
    const v = this.vgaOf(d);
    if (!v) return;
    const cmd = this.command(d);
    v.mem.enabled = (cmd & CMD_MEMORY) !== 0;
    v.ioLo.enabled = (cmd & CMD_IO) !== 0;
    v.ioHi.enabled = (cmd & CMD_IO) !== 0;
  }

  /** `pci_register_vga`: the three regions into `d`'s bus containers at priority 1, then `pci_update_vga`. */
  private registerVga(d: PciDevice, v: VgaRegions): void {
    addSubregion(d.bus.mem, VGA_MEM_BASE, v.mem, 1);
    addSubregion(d.bus.io, VGA_IO_LO_BASE, v.ioLo, 1);
    addSubregion(d.bus.io, VGA_IO_HI_BASE, v.ioHi, 1);
    const br = d.bridge;
    if (br && v === br.vga) this.state.vga[this.bridgeIndex.get(br)!] = 1;
    this.updateVga(d);
  }

  private emit(kind: MapEventKind, d: PciDevice, bar: number, addr: bigint, size: bigint): void {
    this.events.push({ step: this.currentStep, kind, dev: this.bdf(d), device: d.index, bar, addr, size });
  }

  /** Read a header register (for checks and hovers). */
  register(d: PciDevice, offset: number, len: number): number {
    return getBytes(this.state.cfg, this.base(d) + offset, len);
  }

  /**
   * `pci_bridge_update_mappings`, recording the new geometry in the state arrays: the windows
   * deleted and made again, the VGA aliases unregistered and, with BRIDGE_CONTROL.VGA, registered
   * again after them (R-BR-5), so that they are the newest priority-1 children.
   */
  private updateWindows(br: PciBridge, k: number): void {
    const ws = updateBridgeWindows(br, this.state.cfg, this.base(br.device));
    ws.forEach((w, j) => {
      this.state.windows[k * 6 + 2 * j] = w.base;
      this.state.windows[k * 6 + 2 * j + 1] = w.size;
    });
    const parent = br.device.bus;
    if (this.state.vga[k] === 1) {
      delSubregion(parent.mem, br.vga.mem);
      delSubregion(parent.io, br.vga.ioLo);
      delSubregion(parent.io, br.vga.ioHi);
      this.state.vga[k] = 0;
    }
    if (word(this.state.cfg, this.base(br.device) + PCI_BRIDGE_CONTROL) & BRIDGE_CTL_VGA) this.registerVga(br.device, br.vga);
  }

  /** After `state.restore`: drop caches derived from the registers. */
  afterRestore(): void {
    this.busCache.clear();
  }
}
