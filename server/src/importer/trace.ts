// Import a QEMU PCI trace: `info pci` gives the devices, bridges and BARs (final state),
// `trace.log` the config accesses (steps) and QEMU's own map-add/map-del events (the record a
// simulation is checked against). Access lengths are not traced in QEMU 7.2 (R-PCI-15): they
// are inferred from the register at the offset, widened to the bytes the value needs.
import {
  type AccessLen, type BarKind, type PciDevice, type PciStep, type PciTopology, addBar, addBridge, addDevice,
  addHost, bdfString, newPciTopology,
} from '../model/pci.js';
import { TWO_64, createRegion, newMachine } from '../model/region.js';
import type { Span } from '../base/span.js';

// ---- info pci ---------------------------------------------------------------------------

export interface InfoBar {
  index: number;
  kind: BarKind;
  prefetchable: boolean;
  size: bigint;
  /** undefined when `info pci` shows it unmapped. */
  addr?: bigint;
}

export interface InfoRange {
  base: bigint;
  limit: bigint;
}

export interface InfoDevice {
  bus: number;
  slot: number;
  func: number;
  classCode?: number;
  vendorId: number;
  deviceId: number;
  id: string;
  bars: InfoBar[];
  bridge?: { primary: number; secondary: number; subordinate: number; io?: InfoRange; mem?: InfoRange; pref?: InfoRange };
  /** The bridge this device sits behind (by `info pci` nesting), or null on the root bus. */
  parent: InfoDevice | null;
  /** Position in the listing. */
  order: number;
}

/** Class names `info pci` prints (QEMU's pci_class_descriptions), for the class code. */
const CLASS_NAMES: Record<string, number> = {
  'SCSI controller': 0x0100, 'IDE controller': 0x0101, 'SATA controller': 0x0106, 'SAS controller': 0x0107,
  'Storage controller': 0x0180, 'Ethernet controller': 0x0200, 'Network controller': 0x0280,
  'VGA controller': 0x0300, 'Display controller': 0x0380, 'Audio controller': 0x0401,
  'RAM controller': 0x0500, 'Host bridge': 0x0600, 'ISA bridge': 0x0601, 'PCI bridge': 0x0604,
  'Bridge': 0x0680, 'Serial port': 0x0700, 'USB controller': 0x0c03, 'SMBus': 0x0c05,
};

const U64 = TWO_64 - 1n;

function parseBarLine(m: RegExpExecArray): InfoBar {
  const index = Number(m[1]);
  const what = m[2];
  const at = BigInt(m[3]);
  const last = BigInt(m[4]);
  const kind: BarKind = what === 'I/O' ? 'io' : what.startsWith('64 bit') ? 'mem64' : 'mem32';
  const unmapped = at === U64;
  // Unmapped: QEMU prints [addr + size - 1] with addr = 2^64-1, i.e. size - 2 (R-PCI-12).
  const size = unmapped ? (last + 2n) & U64 : last - at + 1n;
  return { index, kind, prefetchable: what.includes('prefetchable'), size, addr: unmapped ? undefined : at };
}

/** Parse `info pci` (HMP). Devices come in listing order; a bridge's bus follows it. */
export function parseInfoPci(text: string): InfoDevice[] {
  const out: InfoDevice[] = [];
  let cur: InfoDevice | undefined;
  const bridges: InfoDevice[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^Bus\s+(\d+), device\s+(\d+), function (\d+):$/.exec(line))) {
      const bus = Number(m[1]);
      // The parent is the most recent bridge whose secondary bus is this one.
      let parent: InfoDevice | null = null;
      if (bus !== 0) {
        for (let i = bridges.length - 1; i >= 0; i--) {
          if (bridges[i].bridge!.secondary === bus) { parent = bridges[i]; break; }
        }
      }
      cur = { bus, slot: Number(m[2]), func: Number(m[3]), vendorId: 0, deviceId: 0, id: '', bars: [], parent, order: out.length };
      out.push(cur);
    } else if (!cur) {
      continue;
    } else if ((m = /^(.*): PCI device ([0-9a-f]{4}):([0-9a-f]{4})$/.exec(line))) {
      cur.vendorId = parseInt(m[2], 16);
      cur.deviceId = parseInt(m[3], 16);
      const cls = /^Class (\d+)$/.exec(m[1]);
      cur.classCode = cls ? Number(cls[1]) : CLASS_NAMES[m[1]];
    } else if ((m = /^BAR(\d): (I\/O|32 bit memory|32 bit prefetchable memory|64 bit memory|64 bit prefetchable memory) at (0x[0-9a-f]+) \[(0x[0-9a-f]+)\]\.$/.exec(line))) {
      cur.bars.push(parseBarLine(m));
    } else if ((m = /^BUS (\d+)\.$/.exec(line))) {
      cur.bridge = { primary: Number(m[1]), secondary: 0, subordinate: 0 };
      bridges.push(cur);
    } else if ((m = /^secondary bus (\d+)\.$/.exec(line)) && cur.bridge) {
      cur.bridge.secondary = Number(m[1]);
    } else if ((m = /^subordinate bus (\d+)\.$/.exec(line)) && cur.bridge) {
      cur.bridge.subordinate = Number(m[1]);
    } else if ((m = /^(IO|memory|prefetchable memory) range \[(0x[0-9a-f]+), (0x[0-9a-f]+)\]$/.exec(line)) && cur.bridge) {
      const r = { base: BigInt(m[2]), limit: BigInt(m[3]) };
      if (m[1] === 'IO') cur.bridge.io = r;
      else if (m[1] === 'memory') cur.bridge.mem = r;
      else cur.bridge.pref = r;
    } else if ((m = /^id "(.*)"$/.exec(line))) {
      cur.id = m[1];
    }
  }
  return out;
}

// ---- trace.log ----------------------------------------------------------------------------

export interface TraceAccess {
  kind: 'read' | 'write';
  name: string;
  bus: number;
  slot: number;
  func: number;
  offset: number;
  value: number;
  /** 0-based line and its span in trace.log (steps carry it, so diagnostics point there). */
  line: number;
  span: Span;
}

export interface TraceMapEvent {
  kind: 'map-add' | 'map-del';
  name: string;
  dev: string;
  bar: number;
  addr: bigint;
  size: bigint;
  /** Index of the last config access before it (-1: before any access). */
  afterStep: number;
  line: number;
  span: Span;
}

const ACCESS = /^pci_cfg_(read|write) (.+) ([0-9a-f]{2}):([0-9a-f]{2})\.([0-7]) @0x([0-9a-f]+) (?:->|<-) 0x([0-9a-f]+)$/;
const MAPEV = /^pci_update_mappings_(add|del) (.+) ([0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) (\d+),0x([0-9a-f]+)\+0x([0-9a-f]+)$/;

export function parseTraceLog(text: string): { accesses: TraceAccess[]; events: TraceMapEvent[]; unparsed: number[] } {
  const accesses: TraceAccess[] = [];
  const events: TraceMapEvent[] = [];
  const unparsed: number[] = [];
  let at = 0;
  text.split(/\n/).forEach((rawLine, line) => {
    const start = at;
    at += rawLine.length + 1;
    const raw = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const t = raw.trim();
    if (!t) return;
    const span = { start, end: start + raw.length };
    let m: RegExpExecArray | null;
    if ((m = ACCESS.exec(t))) {
      accesses.push({
        kind: m[1] as 'read' | 'write', name: m[2], bus: parseInt(m[3], 16), slot: parseInt(m[4], 16),
        func: parseInt(m[5], 16), offset: parseInt(m[6], 16), value: parseInt(m[7], 16), line, span,
      });
    } else if ((m = MAPEV.exec(t))) {
      events.push({
        kind: m[1] === 'add' ? 'map-add' : 'map-del', name: m[2], dev: m[3], bar: Number(m[4]),
        addr: BigInt('0x' + m[5]), size: BigInt('0x' + m[6]), afterStep: accesses.length - 1, line, span,
      });
    } else {
      unparsed.push(line);
    }
  });
  return { accesses, events, unparsed };
}

// ---- access length (R-PCI-15) -----------------------------------------------------------

/** Register widths of the type-0 and type-1 headers where they differ from the offset's natural width. */
const WIDTH0: Record<number, AccessLen> = {
  0x00: 2, 0x02: 2, 0x04: 2, 0x06: 2, 0x08: 1, 0x09: 1, 0x0a: 2, 0x0c: 1, 0x0d: 1, 0x0e: 1, 0x0f: 1,
  0x2c: 2, 0x2e: 2, 0x34: 1, 0x3c: 1, 0x3d: 1, 0x3e: 1, 0x3f: 1,
};
const WIDTH1: Record<number, AccessLen> = {
  0x00: 2, 0x02: 2, 0x04: 2, 0x06: 2, 0x08: 1, 0x09: 1, 0x0a: 2, 0x0c: 1, 0x0d: 1, 0x0e: 1, 0x0f: 1,
  // Linux writes the bus-number dword at 0x18; firmware writes 0x19/0x1a as bytes.
  0x18: 4, 0x19: 1, 0x1a: 1, 0x1b: 1, 0x1c: 1, 0x1d: 1, 0x1e: 2, 0x20: 2, 0x22: 2, 0x24: 2, 0x26: 2,
  0x30: 2, 0x32: 2, 0x34: 1, 0x3c: 1, 0x3d: 1, 0x3e: 2,
};

/**
 * The access length a trace line most likely had: the width of the register at the offset
 * (natural alignment beyond the header), widened until the value fits.
 */
export function inferLength(headerType: 0 | 1, offset: number, value: number, kind: 'read' | 'write' = 'write'): AccessLen {
  const table = headerType === 1 ? WIDTH1 : WIDTH0;
  let len: number = offset < 0x40 && table[offset] !== undefined ? table[offset] : offset % 4 === 0 ? 4 : offset % 2 === 0 ? 2 : 1;
  // Reading the primary bus number alone is a byte read (firmware); the dword is wider
  // than any value can tell, so compare the narrow register only.
  if (kind === 'read' && headerType === 1 && offset === 0x18) len = 1;
  return widen(len, offset, value);
}

function widen(len: number, offset: number, value: number): AccessLen {
  const need = value > 0xffff ? 4 : value > 0xff ? 2 : 1;
  while (len < need && offset % (len * 2) === 0) len *= 2;
  return Math.max(len, need) as AccessLen;
}

/** Bridge base/limit pairs: base offset → (half width, both). */
const PAIRS: Record<number, [number, AccessLen]> = { 0x1c: [1, 2], 0x20: [2, 4], 0x24: [2, 4], 0x30: [2, 4] };

/**
 * Base and limit are written together: firmware writes the two halves one after the other,
 * Linux writes the pair as one access. So a write of the base half whose next write to the
 * same device (upper-half registers aside) is not the limit half covered both.
 */
function pairWidth(len: AccessLen, w: TraceAccess, all: TraceAccess[], next: number): AccessLen {
  const pair = PAIRS[w.offset];
  if (!pair || len !== pair[0]) return len;
  for (let i = next; i < all.length; i++) {
    const n = all[i];
    if (n.kind !== 'write' || n.bus !== w.bus || n.slot !== w.slot || n.func !== w.func) continue;
    // The upper halves (I/O upper 16, prefetchable upper 32) go with their base or limit,
    // so they are paired among themselves and skipped for the others.
    const upper = n.offset >= 0x28 && n.offset < 0x34;
    if (upper !== (w.offset === 0x30)) continue;
    return n.offset === w.offset + pair[0] ? len : pair[1];
  }
  return pair[1];
}

function isFixedWidth(headerType: 0 | 1, offset: number): boolean {
  const bars = headerType === 1 ? offset >= 0x10 && offset < 0x18 : offset >= 0x10 && offset < 0x28;
  const rom = headerType === 1 ? offset >= 0x38 && offset < 0x3c : offset >= 0x30 && offset < 0x34;
  return bars || rom || offset === 0x04;
}

/**
 * A write probed by an immediate read-back at the same offset (firmware's "does this
 * register exist" test) used the read's width when both values fit it: `writeb 0xff;
 * readb` on a bridge's I/O or prefetchable base.
 */
function probeWidth(headerType: 0 | 1, len: AccessLen, w: TraceAccess, next: TraceAccess | undefined): AccessLen {
  if (!next || next.kind !== 'read' || next.offset !== w.offset) return len;
  // BAR, ROM BAR and COMMAND accesses are full registers in every real trace (R-PCI-15).
  if (isFixedWidth(headerType, w.offset)) return len;
  if (next.bus !== w.bus || next.slot !== w.slot || next.func !== w.func) return len;
  const narrow = widen(1, w.offset, Math.max(w.value, next.value));
  return narrow < len ? narrow : len;
}

// ---- routing while importing ---------------------------------------------------------------

/**
 * Follows the bridges' bus-number registers through the trace (R-PCI-16) so that each
 * access is attributed to a device: that gives the header type for the length inference
 * and QEMU's type name for each device. Only bytes 0x18..0x1a and 0x3e matter here.
 */
class BusTracker {
  private readonly sec = new Map<InfoDevice, number>();
  private readonly sub = new Map<InfoDevice, number>();
  private readonly ctl = new Map<InfoDevice, number>();
  private readonly children = new Map<InfoDevice | null, InfoDevice[]>();

  constructor(private readonly devices: InfoDevice[]) {
    for (const d of devices) {
      if (!d.bridge) continue;
      const list = this.children.get(d.parent) ?? [];
      list.unshift(d); // QLIST_INSERT_HEAD: newest bridge first
      this.children.set(d.parent, list);
    }
  }

  private num(b: InfoDevice | null): number {
    return b ? this.sec.get(b) ?? 0 : 0;
  }

  private inRange(b: InfoDevice, n: number): boolean {
    if ((this.ctl.get(b) ?? 0) & 0x40) return false;
    return (this.sec.get(b) ?? 0) <= n && n <= (this.sub.get(b) ?? 0);
  }

  /** `pci_find_bus_nr`; the bus is named by its bridge (null = root). */
  findBus(n: number): InfoDevice | null | undefined {
    if (n === 0) return null;
    let bus: InfoDevice | null = null;
    for (;;) {
      let next: InfoDevice | undefined;
      for (const c of this.children.get(bus) ?? []) {
        if (this.num(c) === n) return c;
        if (this.inRange(c, n)) { next = c; break; }
      }
      if (!next) return undefined;
      bus = next;
    }
  }

  route(a: TraceAccess): InfoDevice | undefined {
    const bus = this.findBus(a.bus);
    if (bus === undefined) return undefined;
    return this.devices.find((d) => d.parent === bus && d.slot === a.slot && d.func === a.func);
  }

  write(d: InfoDevice, offset: number, len: number, value: number): void {
    if (!d.bridge) return;
    for (let i = 0; i < len; i++) {
      const b = Math.floor(value / 2 ** (8 * i)) & 0xff;
      const a = offset + i;
      if (a === 0x19) this.sec.set(d, b);
      else if (a === 0x1a) this.sub.set(d, b);
      else if (a === 0x3e) {
        const old = this.ctl.get(d) ?? 0;
        this.ctl.set(d, b);
        if (~old & b & 0x40) this.resetBelow(d);
      }
    }
  }

  private resetBelow(br: InfoDevice): void {
    for (const c of this.children.get(br) ?? []) {
      this.sec.delete(c);
      this.sub.delete(c);
      this.ctl.delete(c);
      this.resetBelow(c);
    }
  }
}

// ---- the import -----------------------------------------------------------------------------

export interface TraceImport {
  topology: PciTopology;
  /** One step per traced config access; reads carry what the guest read as `expect`. */
  steps: PciStep[];
  /** QEMU's own map events, in trace order. */
  recorded: TraceMapEvent[];
  /** The device each step reached while importing (index into topology.devices), -1 if none. */
  stepDevice: number[];
  warnings: string[];
}

/** ivshmem's realize() enables IO and MEMORY decode before power-on (R-PCI-13). */
function realizeCommand(model: string | undefined, d: InfoDevice): number | undefined {
  if (model?.startsWith('ivshmem') || (d.vendorId === 0x1af4 && d.deviceId === 0x1110)) return 0x3;
  return undefined;
}

const ROOT_PORTS = /^(pcie-root-port|ioh3420)$/;
const EXPRESS_DOWNSTREAM = /^(pcie-root-port|ioh3420|xio3130-downstream|x3130-upstream)$/;

export function importTrace(traceLog: string, infoPci: string): TraceImport {
  const info = parseInfoPci(infoPci);
  const trace = parseTraceLog(traceLog);
  const warnings: string[] = [];
  if (trace.unparsed.length) warnings.push(`${trace.unparsed.length} trace lines not understood (first: line ${trace.unparsed[0] + 1})`);

  // Pass 1: attribute accesses to devices, infer lengths, learn QEMU type names.
  const tracker = new BusTracker(info);
  const models = new Map<InfoDevice, string>();
  const maxOffset = new Map<InfoDevice, number>();
  const routed: (InfoDevice | undefined)[] = [];
  const lens: AccessLen[] = [];
  for (const a of trace.accesses) {
    const d = tracker.route(a);
    routed.push(d);
    let len = inferLength(d?.bridge ? 1 : 0, a.offset, a.value, a.kind);
    if (a.kind === 'write' && d?.bridge) len = pairWidth(len, a, trace.accesses, routed.length);
    if (a.kind === 'write') len = probeWidth(d?.bridge ? 1 : 0, len, a, trace.accesses[routed.length]);
    else if (!isFixedWidth(d?.bridge ? 1 : 0, a.offset)) {
      const prev = trace.accesses[routed.length - 2];
      if (prev?.kind === 'write' && prev.offset === a.offset && prev.bus === a.bus && prev.slot === a.slot &&
        prev.func === a.func && lens[lens.length - 1] < len) len = lens[lens.length - 1];
    }
    lens.push(len);
    if (!d) {
      warnings.push(`line ${a.line + 1}: no device at ${bdfString(a.bus, a.slot, a.func)} for ${a.name}`);
      continue;
    }
    const known = models.get(d);
    if (known === undefined) models.set(d, a.name);
    else if (known !== a.name) warnings.push(`line ${a.line + 1}: ${a.name} at ${bdfString(a.bus, a.slot, a.func)} routed to the ${known}`);
    maxOffset.set(d, Math.max(maxOffset.get(d) ?? 0, a.offset));
    if (a.kind === 'write') tracker.write(d, a.offset, len, a.value);
  }

  // Pass 2: the topology, in listing order (bridges before the devices behind them).
  const machine = newMachine();
  const t = newPciTopology(machine);
  const root = info.find((d) => d.parent === null && d.slot === 0 && d.func === 0);
  const gpex = root?.vendorId === 0x1b36 && root.deviceId === 0x0008;
  addHost(t, {
    name: gpex ? 'gpex' : 'pci-host',
    mem: createRegion(machine, { kind: 'container', name: gpex ? 'gpex_mmio' : 'pci', size: TWO_64 }),
    io: createRegion(machine, { kind: gpex ? 'container' : 'io', name: gpex ? 'gpex_ioport' : 'io', size: 0x10000n }),
    // R-PCI-14: the generic PCIe host marks a machine that allows BARs at address 0.
    allowZeroAddress: gpex,
  });
  const byInfo = new Map<InfoDevice, PciDevice>();
  for (const d of info) {
    const model = models.get(d);
    const bus = d.parent ? byInfo.get(d.parent)!.bridge!.secondary : t.hosts[0].bus;
    const dev = addDevice(t, bus, {
      name: d.id || `${model ?? 'device'}@${bdfString(d.bus, d.slot, d.func)}`,
      model,
      slot: d.slot,
      func: d.func,
      headerType: d.bridge ? 1 : 0,
      configSize: (maxOffset.get(d) ?? 0) >= 0x100 ? 4096 : 256,
      vendorId: d.vendorId,
      deviceId: d.deviceId,
      classCode: d.classCode,
      realizeCommand: realizeCommand(model, d),
    });
    byInfo.set(d, dev);
    if (d.bridge) {
      addBridge(t, dev, {
        busName: d.id || undefined,
        expressSecondary: EXPRESS_DOWNSTREAM.test(model ?? ''),
        resetDisablesWindows: ROOT_PORTS.test(model ?? ''),
        primaryBus: d.bridge.primary,
        secondaryBus: d.bridge.secondary,
        subordinateBus: d.bridge.subordinate,
        ioRange: d.bridge.io,
        memRange: d.bridge.mem,
        prefRange: d.bridge.pref,
      });
    }
    for (const b of d.bars) {
      addBar(t, dev, { index: b.index, kind: b.kind, prefetchable: b.prefetchable, size: b.size, initialAddress: b.addr });
    }
  }

  const steps: PciStep[] = trace.accesses.map((a, i) => {
    const dev = { bus: a.bus, slot: a.slot, func: a.func };
    return a.kind === 'write'
      ? { op: 'write', dev, offset: a.offset, len: lens[i], value: a.value, span: a.span }
      : { op: 'read', dev, offset: a.offset, len: lens[i], expect: a.value, span: a.span };
  });
  const stepDevice = routed.map((d) => (d ? byInfo.get(d)!.index : -1));
  return { topology: t, steps, recorded: trace.events, stepDevice, warnings };
}
