// The PCI topology model: host bridges with their bus containers, buses, bridges (type-1
// headers with secondary-bus containers and window aliases), devices with BARs, and the
// initiators (CPU, IOMMU) whose address widths the checks enforce. Static facts only: the
// live register state belongs to the simulator (engine/pci). Spans are optional so that a
// parser, the trace importer and tests can all fill the model.
import type { Span } from '../base/span.js';
import { type Machine, type Region, TWO_64, addSubregion, createRegion } from './region.js';

/** `PCI_ROM_SLOT`: BAR index 6 is the expansion ROM (R-PCI-1). */
export const ROM_SLOT = 6;
export const NUM_BARS = 7;

export type BarKind = 'io' | 'mem32' | 'mem64';

export interface PciBar {
  /** 0..5, or 6 = expansion ROM (always `mem32`). */
  readonly index: number;
  readonly kind: BarKind;
  readonly prefetchable: boolean;
  /** A power of two (R-PCI-2). */
  readonly size: bigint;
  /** The region `pci_register_bar` was given; it is what gets mapped into the bus container. */
  readonly region: Region;
  /** Address the BAR holds when a sequence starts from programmed state (`bar 0 … at A`). */
  initialAddress?: bigint;
  span?: Span;
}

export interface PciDevice {
  /** Dense index in `PciTopology.devices` (= realize order). */
  readonly index: number;
  /** The user's name for it (qdev id, or the `.mrd` device name). */
  name: string;
  /** QEMU's type name (`virtio-net-pci`), as trace events print it. */
  model?: string;
  readonly bus: PciBus;
  readonly slot: number;
  readonly func: number;
  readonly headerType: 0 | 1;
  /** 256 (conventional) or 4096 (PCI Express). */
  readonly configSize: 256 | 4096;
  vendorId?: number;
  deviceId?: number;
  /** Class code, 16 bits (base class << 8 | subclass). */
  classCode?: number;
  /** Indexed by BAR number 0..6. */
  readonly bars: (PciBar | undefined)[];
  bridge?: PciBridge;
  /** COMMAND left by `realize()` before power-on (R-PCI-13; ivshmem sets IO|MEMORY). */
  realizeCommand?: number;
  /** COMMAND when a sequence starts from programmed state. */
  initialCommand?: number;
  /** `command_serr_enable` (default on): COMMAND.SERR is writable. */
  serrEnable: boolean;
  /**
   * The legacy VGA ranges the device registers at realize (`pci_register_vga`, R-PCI-10), as
   * vfio-pci does with `x-vga=on`; absent for other devices.
   */
  vga?: VgaRegions;
  span?: Span;
  nameSpan?: Span;
}

/** `pci_register_vga`'s three regions: memory 0xa0000 (128 KiB), I/O 0x3b0 (12) and 0x3c0 (32). */
export interface VgaRegions {
  readonly mem: Region;
  readonly ioLo: Region;
  readonly ioHi: Region;
}

/** Where `pci_register_vga` puts each of them in the bus containers (QEMU_PCI_VGA_*). */
export const VGA_MEM_BASE = 0xa0000n;
export const VGA_MEM_SIZE = 0x20000n;
export const VGA_IO_LO_BASE = 0x3b0n;
export const VGA_IO_LO_SIZE = 0xcn;
export const VGA_IO_HI_BASE = 0x3c0n;
export const VGA_IO_HI_SIZE = 0x20n;

export interface BridgeRange {
  base: bigint;
  limit: bigint;
}

export interface PciBridge {
  readonly device: PciDevice;
  readonly secondary: PciBus;
  /** `pci_bridge_pci`: the secondary bus memory container (2^64). */
  readonly mem: Region;
  /** `pci_bridge_io`: the secondary bus I/O container (4 GiB). */
  readonly io: Region;
  /** Window aliases in the parent bus containers (R-BR-3), reused across updates. */
  readonly prefWindow: Region;
  readonly memWindow: Region;
  readonly ioWindow: Region;
  /**
   * Aliases of the secondary bus's legacy VGA ranges (`pci_bridge_vga_mem`, `_io_lo`, `_io_hi`),
   * in the parent bus containers only while BRIDGE_CONTROL.VGA is set (R-BR-5).
   */
  readonly vga: VgaRegions;
  /** Secondary bus is PCI Express: the secondary latency timer is read-only 0. */
  readonly expressSecondary: boolean;
  /** Reset leaves the windows closed (`pci_bridge_disable_base_limit`: PCIe root ports). */
  readonly resetDisablesWindows: boolean;
  /** Bus numbers and windows as declared (`info pci`, `.mrd`): the programmed start state. */
  primaryBus?: number;
  secondaryBus?: number;
  subordinateBus?: number;
  ioRange?: BridgeRange;
  memRange?: BridgeRange;
  prefRange?: BridgeRange;
  span?: Span;
}

export interface PciBus {
  readonly index: number;
  name: string;
  readonly host: PciHost;
  /** The bridge whose secondary bus this is; null for a root bus. */
  readonly parent: PciDevice | null;
  /** Devices by devfn (slot << 3 | func). */
  readonly devices: Map<number, PciDevice>;
  /** Child buses in QEMU's QLIST order (QLIST_INSERT_HEAD: newest first). */
  readonly children: PciBus[];
  /** Where BARs of devices on this bus are mapped. */
  readonly mem: Region;
  readonly io: Region;
  /** Root buses: the fixed bus number (0, or a pxb's `bus_nr`). */
  readonly rootNumber: number;
}

export interface HostWindow {
  kind: 'mem' | 'io';
  base: bigint;
  size: bigint;
  name?: string;
  span?: Span;
}

export interface PciHost {
  name: string;
  readonly bus: PciBus;
  /** `pci_allow_0_address` of the machine (R-PCI-9, R-PCI-14). */
  allowZeroAddress: boolean;
  /** Address ranges the host bridge forwards to the bus (PCI hole, pcie-mmio windows). */
  windows: HostWindow[];
  span?: Span;
}

export interface CpuInitiator {
  kind: 'cpu';
  name: string;
  /** Guest physical address width (R-CPU-1). */
  physBits: number;
  span?: Span;
}

export interface IommuInitiator {
  kind: 'iommu';
  name: string;
  /** `vtd`, `smmuv3`, `virtio-iommu`, … (free text). */
  model: string;
  /** Input address width (intel-iommu `aw-bits`, R-DMA-5). */
  awBits: number;
  /** Devices whose DMA goes through it; `all` = every device of the topology. */
  devices: PciDevice[] | 'all';
  span?: Span;
}

export type Initiator = CpuInitiator | IommuInitiator;

export interface PciTopology {
  readonly machine: Machine;
  readonly hosts: PciHost[];
  readonly buses: PciBus[];
  /** Realize order (R-PCI-13: the `-device` order). */
  readonly devices: PciDevice[];
  readonly initiators: Initiator[];
  /** Bridges, dense, in realize order. */
  readonly bridges: PciBridge[];
}

export function newPciTopology(machine: Machine): PciTopology {
  return { machine, hosts: [], buses: [], devices: [], initiators: [], bridges: [] };
}

export function devfn(slot: number, func: number): number {
  return ((slot & 0x1f) << 3) | (func & 7);
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/** `bb:ss.f` with the given bus number (QEMU's trace format). */
export function bdfString(bus: number, slot: number, func: number): string {
  return `${hex2(bus)}:${hex2(slot)}.${func.toString(16)}`;
}

/** The declared (programmed) address of a device, `bb:ss.f`: its bus numbered as its bridge declares it. */
export function declaredBdf(dev: PciDevice): string {
  const bus = dev.bus.parent ? dev.bus.parent.bridge?.secondaryBus ?? 0 : dev.bus.rootNumber;
  return bdfString(bus, dev.slot, dev.func);
}

export interface BdfAddress {
  bus: number;
  slot: number;
  func: number;
}

/** Parse `bb:ss.f` (hex); undefined when malformed or out of range. */
export function parseBdf(text: string): BdfAddress | undefined {
  const m = /^([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\.([0-7])$/.exec(text.trim());
  if (!m) return undefined;
  const bus = parseInt(m[1], 16);
  const slot = parseInt(m[2], 16);
  const func = parseInt(m[3], 16);
  if (slot > 0x1f) return undefined;
  return { bus, slot, func };
}

export interface HostInit {
  name: string;
  /** Bus memory container; default: a new 2^64 container named `pci`. */
  mem?: Region;
  /** Bus I/O container; default: a new 64 KiB container named `pci-io`. */
  io?: Region;
  allowZeroAddress?: boolean;
  rootNumber?: number;
  windows?: HostWindow[];
  span?: Span;
}

export function addHost(t: PciTopology, init: HostInit): PciHost {
  const mem = init.mem ?? createRegion(t.machine, { kind: 'container', name: 'pci', size: TWO_64 });
  const io = init.io ?? createRegion(t.machine, { kind: 'container', name: 'pci-io', size: 0x10000n });
  const host = {
    name: init.name,
    allowZeroAddress: init.allowZeroAddress ?? false,
    windows: init.windows ?? [],
    span: init.span,
  } as PciHost;
  const bus: PciBus = {
    index: t.buses.length,
    name: `${init.name}.0`,
    host,
    parent: null,
    devices: new Map(),
    children: [],
    mem,
    io,
    rootNumber: init.rootNumber ?? 0,
  };
  (host as { bus: PciBus }).bus = bus;
  t.buses.push(bus);
  t.hosts.push(host);
  return host;
}

export interface DeviceInit {
  name: string;
  model?: string;
  slot: number;
  func?: number;
  headerType?: 0 | 1;
  configSize?: 256 | 4096;
  vendorId?: number;
  deviceId?: number;
  classCode?: number;
  realizeCommand?: number;
  initialCommand?: number;
  serrEnable?: boolean;
  /** Registers the legacy VGA ranges as vfio-pci's `x-vga=on` does (R-PCI-10). */
  vga?: boolean;
  span?: Span;
  nameSpan?: Span;
}

/** Register a device on a bus (`do_pci_register_device`). Throws on an occupied devfn. */
export function addDevice(t: PciTopology, bus: PciBus, init: DeviceInit): PciDevice {
  const func = init.func ?? 0;
  const fn = devfn(init.slot, func);
  if (bus.devices.has(fn)) {
    throw new Error(`devfn ${init.slot}.${func} on bus ${bus.name} is already in use`);
  }
  const dev: PciDevice = {
    index: t.devices.length,
    name: init.name,
    model: init.model,
    bus,
    slot: init.slot,
    func,
    headerType: init.headerType ?? 0,
    configSize: init.configSize ?? 256,
    vendorId: init.vendorId,
    deviceId: init.deviceId,
    classCode: init.classCode,
    bars: new Array(NUM_BARS).fill(undefined),
    realizeCommand: init.realizeCommand,
    initialCommand: init.initialCommand,
    serrEnable: init.serrEnable ?? true,
    span: init.span,
    nameSpan: init.nameSpan,
  };
  if (init.vga) {
    // vfio_populate_vga: I/O regions named by their place (hw/vfio/pci.c).
    const m = t.machine;
    dev.vga = {
      mem: createRegion(m, { kind: 'io', name: 'vfio-vga-mmio@0xa0000', size: VGA_MEM_SIZE }),
      ioLo: createRegion(m, { kind: 'io', name: 'vfio-vga-io@0x3b0', size: VGA_IO_LO_SIZE }),
      ioHi: createRegion(m, { kind: 'io', name: 'vfio-vga-io@0x3c0', size: VGA_IO_HI_SIZE }),
    };
  }
  bus.devices.set(fn, dev);
  t.devices.push(dev);
  return dev;
}

export interface BarInit {
  index: number;
  kind: BarKind;
  prefetchable?: boolean;
  size: bigint;
  /** The region to map; default: a new `io` region named `<device>-bar<n>`/`-rom`. */
  region?: Region;
  initialAddress?: bigint;
  span?: Span;
}

/** Why a BAR declaration is invalid, or undefined (R-PCI-1, R-PCI-2). */
export function barProblem(dev: PciDevice, b: BarInit): string | undefined {
  if (!Number.isInteger(b.index) || b.index < 0 || b.index > ROM_SLOT) return `BAR index ${b.index} is not 0..6`;
  if (dev.headerType === 1 && b.index > 1 && b.index !== ROM_SLOT) return 'a bridge has only BAR0 and BAR1';
  if (b.size <= 0n || (b.size & (b.size - 1n)) !== 0n) return `BAR size 0x${b.size.toString(16)} is not a power of two`;
  if (b.index === ROM_SLOT && b.kind !== 'mem32') return 'the ROM BAR is a 32-bit memory BAR';
  if (b.kind === 'mem64') {
    const last = dev.headerType === 1 ? 1 : 5;
    if (b.index >= last && b.index !== ROM_SLOT) return `a 64-bit BAR${b.index} needs BAR${b.index + 1} for its high dword`;
    if (b.index > 0 && dev.bars[b.index - 1]?.kind === 'mem64') return `BAR${b.index} is the high dword of BAR${b.index - 1}`;
    if (dev.bars[b.index + 1]) return `BAR${b.index + 1} is in use, a 64-bit BAR${b.index} needs it`;
  } else if (b.index > 0 && b.index !== ROM_SLOT && dev.bars[b.index - 1]?.kind === 'mem64') {
    return `BAR${b.index} is the high dword of BAR${b.index - 1}`;
  }
  if (b.kind !== 'mem32' && b.kind !== 'mem64' && b.kind !== 'io') return `unknown BAR kind ${String(b.kind)}`;
  if (b.kind === 'io' && b.prefetchable) return 'an I/O BAR cannot be prefetchable';
  if (b.kind !== 'mem64' && b.size > 1n << 32n) return 'a 32-bit BAR cannot be larger than 4 GiB';
  if (dev.bars[b.index]) return `BAR${b.index} is declared twice`;
  return undefined;
}

/** `pci_register_bar`. Throws if the declaration is invalid (see `barProblem`). */
export function addBar(t: PciTopology, dev: PciDevice, init: BarInit): PciBar {
  const problem = barProblem(dev, init);
  if (problem) throw new Error(`${dev.name}: ${problem}`);
  const region = init.region ?? createRegion(t.machine, {
    kind: 'io',
    name: init.index === ROM_SLOT ? `${dev.name}-rom` : `${dev.name}-bar${init.index}`,
    size: init.size,
  });
  const bar: PciBar = {
    index: init.index,
    kind: init.kind,
    prefetchable: init.prefetchable ?? false,
    size: init.size,
    region,
    initialAddress: init.initialAddress,
    span: init.span,
  };
  dev.bars[init.index] = bar;
  return bar;
}

export interface BridgeInit {
  /** Name of the secondary bus (QEMU: the bridge's id). */
  busName?: string;
  expressSecondary?: boolean;
  resetDisablesWindows?: boolean;
  primaryBus?: number;
  secondaryBus?: number;
  subordinateBus?: number;
  ioRange?: BridgeRange;
  memRange?: BridgeRange;
  prefRange?: BridgeRange;
  span?: Span;
}

/**
 * `pci_bridge_initfn`: secondary bus with its containers (R-BR-1), window aliases added to
 * the parent bus containers at priority 1 in the order pref, mem, io (R-BR-3; size 0 until
 * COMMAND enables them), and the bus inserted at the head of the parent's child list.
 */
export function addBridge(t: PciTopology, dev: PciDevice, init: BridgeInit = {}): PciBridge {
  if (dev.headerType !== 1) throw new Error(`${dev.name}: a bridge needs header type 1`);
  const m = t.machine;
  const mem = createRegion(m, { kind: 'container', name: 'pci_bridge_pci', size: TWO_64 });
  const io = createRegion(m, { kind: 'container', name: 'pci_bridge_io', size: 1n << 32n });
  const parent = dev.bus;
  const secondary: PciBus = {
    index: t.buses.length,
    name: init.busName ?? dev.name,
    host: parent.host,
    parent: dev,
    devices: new Map(),
    children: [],
    mem,
    io,
    rootNumber: 0,
  };
  t.buses.push(secondary);
  parent.children.unshift(secondary);
  const prefWindow = createRegion(m, { kind: 'alias', name: 'pci_bridge_pref_mem', alias: mem, size: 0n });
  const memWindow = createRegion(m, { kind: 'alias', name: 'pci_bridge_mem', alias: mem, size: 0n });
  const ioWindow = createRegion(m, { kind: 'alias', name: 'pci_bridge_io', alias: io, size: 0n });
  addSubregion(parent.mem, 0n, prefWindow, 1);
  addSubregion(parent.mem, 0n, memWindow, 1);
  addSubregion(parent.io, 0n, ioWindow, 1);
  // pci_bridge_init_vga_aliases: made with the windows, registered only with BRIDGE_CONTROL.VGA.
  const vga: VgaRegions = {
    mem: createRegion(m, { kind: 'alias', name: 'pci_bridge_vga_mem', alias: mem, aliasOffset: VGA_MEM_BASE, size: VGA_MEM_SIZE }),
    ioLo: createRegion(m, { kind: 'alias', name: 'pci_bridge_vga_io_lo', alias: io, aliasOffset: VGA_IO_LO_BASE, size: VGA_IO_LO_SIZE }),
    ioHi: createRegion(m, { kind: 'alias', name: 'pci_bridge_vga_io_hi', alias: io, aliasOffset: VGA_IO_HI_BASE, size: VGA_IO_HI_SIZE }),
  };
  const bridge: PciBridge = {
    device: dev,
    secondary,
    mem,
    io,
    prefWindow,
    memWindow,
    ioWindow,
    vga,
    expressSecondary: init.expressSecondary ?? false,
    resetDisablesWindows: init.resetDisablesWindows ?? false,
    primaryBus: init.primaryBus,
    secondaryBus: init.secondaryBus,
    subordinateBus: init.subordinateBus,
    ioRange: init.ioRange,
    memRange: init.memRange,
    prefRange: init.prefRange,
    span: init.span,
  };
  dev.bridge = bridge;
  t.bridges.push(bridge);
  return bridge;
}

/** Devices whose DMA an IOMMU translates. */
export function iommuCovers(iommu: IommuInitiator, dev: PciDevice): boolean {
  return iommu.devices === 'all' || iommu.devices.includes(dev);
}

/** The chain of bridges from the root bus down to (excluding) the device. */
export function upstreamBridges(dev: PciDevice): PciBridge[] {
  const chain: PciBridge[] = [];
  for (let b: PciBus = dev.bus; b.parent; b = b.parent.bus) chain.unshift(b.parent.bridge!);
  return chain;
}

// ---------------------------------------------------------------------------------------
// Sequences: ordered config accesses as a guest makes them.

export type AccessLen = 1 | 2 | 4;

interface StepBase {
  /** `label NAME` before the step, for messages and references. */
  label?: string;
  span?: Span;
}

/** A config write, routed by the live bus numbers at that moment (R-PCI-16). */
export interface WriteStep extends StepBase {
  op: 'write';
  dev: BdfAddress;
  offset: number;
  len: AccessLen;
  value: number;
}

export interface ReadStep extends StepBase {
  op: 'read';
  dev: BdfAddress;
  offset: number;
  len: AccessLen;
  /** What the guest expects (or, for an imported trace, what it actually read). */
  expect?: number;
}

/** `bar N at ADDR`: program the BAR's address bits in one go (both dwords of a 64-bit BAR). */
export interface AssignStep extends StepBase {
  op: 'assign';
  dev: BdfAddress;
  bar: number;
  addr: bigint;
}

/** System reset: every device is reset, mapped BARs are deleted (R-PCI-17). */
export interface ResetStep extends StepBase {
  op: 'reset';
}

export type PciStep = WriteStep | ReadStep | AssignStep | ResetStep;

/**
 * Where a simulation starts. `reset`: power-on and machine reset, every register at its
 * reset value (an imported trace). `programmed`: then the declared bus numbers, windows,
 * BAR addresses and COMMAND values are loaded, as firmware would have left them.
 */
export type StartState = 'reset' | 'programmed';

export interface PciSequence {
  name: string;
  /** The device `on bb:ss.f` names; steps without their own device use it. */
  target?: BdfAddress;
  start: StartState;
  steps: PciStep[];
  span?: Span;
}
