// What the editor says about the PCI side of a document: the run (sequence simulation) a
// step belongs to, the registers and mappings of a device after any step, the map events a
// step caused and the initiators an address is beyond. The region graph is shared by every
// run, so each look at another state ends by restoring the state the flat views show.
import type { Span } from '../base/span.js';
import type { SequenceRun } from '../engine/pci/analyze.js';
import { UNMAPPED, type UnmappedReason, barDecode } from '../engine/pci/barAddress.js';
import { CMD_IO, CMD_MASTER, CMD_MEMORY } from '../engine/pci/config.js';
import type { PciEngine, PciEvent } from '../engine/pci/engine.js';
import {
  type IommuInitiator, NUM_BARS, type PciBar, type PciDevice, type PciStep, ROM_SLOT, bdfString, declaredBdf, iommuCovers,
} from '../model/pci.js';
import type { Analysis } from './analysis.js';
import { hex } from './format.js';

/** A step of a sequence as the editor sees it. */
export interface StepAt {
  readonly run: SequenceRun;
  /** Index into `run.sequence.steps`. */
  readonly index: number;
  readonly step: PciStep;
  readonly span: Span;
}

/** The step whose statement touches `offset` (or the step a label there names). */
export function stepAt(a: Analysis, offset: number): StepAt | null {
  const runs = a.pci?.runs ?? [];
  for (const run of runs) {
    const span = run.sequence.span;
    if (span && (offset < span.start || offset > span.end)) continue;
    const steps = run.sequence.steps;
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i].span;
      if (s && s.start <= offset && offset <= s.end) return { run, index: i, step: steps[i], span: s };
    }
  }
  for (const l of a.index.pci.labels) {
    if (l.step < 0 || offset < l.nameSpan.start || offset > l.nameSpan.end) continue;
    const run = runs.find((r) => r.sequence === l.sequence);
    const step = run?.sequence.steps[l.step];
    if (run && step) return { run, index: l.step, step, span: l.nameSpan };
  }
  return null;
}

/** `step 6 "size-hi"`, as diagnostics name steps (1-based). */
export function stepName(s: StepAt | { index: number; step: PciStep }): string {
  return s.step.label ? `step ${s.index + 1} "${s.step.label}"` : `step ${s.index + 1}`;
}

const h = (v: number | bigint, digits = 0) => '0x' + v.toString(16).padStart(digits, '0');

/** The step as written, in canonical form: `write 0x14 4 0xffffffff`. */
export function stepText(s: PciStep): string {
  switch (s.op) {
    case 'write':
      return `write ${h(s.offset, 2)} ${s.len} ${h(s.value, 2 * s.len)}`;
    case 'read':
      return `read ${h(s.offset, 2)} ${s.len}${s.expect !== undefined ? ` expect ${h(s.expect, 2 * s.len)}` : ''}`;
    case 'assign':
      return `bar ${s.bar} at ${hex(s.addr)}`;
    case 'reset':
      return 'reset';
  }
}

export interface BarView {
  readonly bar: PciBar;
  /** The register (type bits included; both dwords of a 64-bit BAR). */
  readonly value: bigint;
  /** Where QEMU maps it, or undefined. */
  readonly mapped?: bigint;
  /** Why it is not mapped, in words. */
  readonly why?: string;
}

export interface DeviceView {
  /** `bb:ss.f` with the bus number of that moment. */
  readonly bdf: string;
  readonly powered: boolean;
  readonly command: number;
  readonly bars: readonly BarView[];
  /** A bridge's open windows (size 0: closed). */
  readonly windows?: readonly { kind: 'pref' | 'mem' | 'io'; base: bigint; size: bigint }[];
  /** The legacy VGA ranges it has registered (a bridge: while it forwards them), on or off. */
  readonly vga?: { readonly mem: boolean; readonly io: boolean };
}

const reasons: Record<UnmappedReason, string> = {
  'memory-decode-off': 'memory decode off',
  'io-decode-off': 'I/O decode off',
  'rom-disabled': 'ROM enable bit clear',
  wraps: 'the range would wrap past 2^64',
  'last-is-all-ones': 'its last byte would be 0xffff_ffff_ffff_ffff',
  'zero-address': 'address 0, which this machine does not map',
  'above-4g-32bit': 'a 32-bit BAR ending at or above 0xffff_ffff',
};

/** The register holds all ones in its address bits: what a guest writes to size a BAR. */
function sizingValue(bar: PciBar, value: bigint): boolean {
  const width = bar.kind === 'mem64' ? 64n : 32n;
  const mask = ((1n << width) - 1n) & ~(bar.size - 1n);
  return (value & mask) === mask;
}

/** Reads a device's registers and mappings from the engine in its current state. */
function readDevice(e: PciEngine, dev: PciDevice): DeviceView {
  const powered = e.state.power[dev.index] !== 0;
  const command = e.command(dev);
  const bars: BarView[] = [];
  for (let i = 0; i < NUM_BARS; i++) {
    const bar = dev.bars[i];
    if (!bar) continue;
    const value = e.barValue(dev, i);
    const mapped = e.mappedAt(dev, i);
    if (mapped !== UNMAPPED) {
      bars.push({ bar, value, mapped });
      continue;
    }
    let why = 'device not powered';
    if (powered) {
      const d = barDecode({
        kind: bar.kind, rom: i === ROM_SLOT, size: bar.size, value, command, allowZeroAddress: dev.bus.host.allowZeroAddress,
      });
      why = d.reason ? reasons[d.reason] : 'not mapped';
      const decodeOff = d.reason === 'memory-decode-off' || d.reason === 'io-decode-off' || d.reason === 'rom-disabled';
      if (!decodeOff && sizingValue(bar, value)) why = `sizing value: ${why}`;
    }
    bars.push({ bar, value, why });
  }
  const k = dev.bridge ? e.topo.bridges.indexOf(dev.bridge) : -1;
  const v = dev.vga ?? (k >= 0 && e.state.vga[k] === 1 ? dev.bridge!.vga : undefined);
  const vga = v ? { mem: v.mem.enabled, io: v.ioLo.enabled } : undefined;
  if (k < 0) return { bdf: e.bdf(dev), powered, command, bars, vga };
  // PciState.windows: per bridge pref base/size, mem base/size, io base/size.
  const w = e.state.windows;
  const windows = (['pref', 'mem', 'io'] as const).map((kind, j) => ({ kind, base: w[k * 6 + 2 * j], size: w[k * 6 + 2 * j + 1] }));
  return { bdf: e.bdf(dev), powered, command, bars, windows, vga };
}

/**
 * Runs `f` on the engine put into the state after step `i` of `run` (-1: the start state),
 * then puts the region graph back into the state the analysis shows.
 */
function inStateAfter<T>(a: Analysis, run: SequenceRun, i: number, f: (e: PciEngine) => T): T {
  try {
    return f(run.sim.stateAfter(i));
  } finally {
    (a.pci?.shown ?? run).sim.restoreFinal();
  }
}

/** The device after step `i` of `run`. */
export function deviceAfter(a: Analysis, run: SequenceRun, dev: PciDevice, i: number): DeviceView {
  return inStateAfter(a, run, i, (e) => readDevice(e, dev));
}

/** The device in the state the flat views show (the end of the last sequence). */
export function deviceShown(a: Analysis, dev: PciDevice): DeviceView | null {
  const run = a.pci?.shown;
  if (!run) return null;
  return deviceAfter(a, run, dev, run.sequence.steps.length - 1);
}

/** Where the shown state is: "at the end of sequence `x`", or "in the declared state". */
export function shownStateName(a: Analysis): string {
  const run = a.pci?.shown;
  if (!run || run.sequence.steps.length === 0) return 'in the declared state';
  return `at the end of sequence \`${run.sequence.name}\``;
}

/** The map events step `i` of `run` caused. */
export function stepEvents(run: SequenceRun, i: number): PciEvent[] {
  const r = run.result;
  return r.events.slice(r.eventStart[i], r.eventStart[i + 1]);
}

/** `0x0006 (memory, bus master)`. */
export function commandText(cmd: number): string {
  const bits: string[] = [];
  if (cmd & CMD_IO) bits.push('I/O');
  if (cmd & CMD_MEMORY) bits.push('memory');
  if (cmd & CMD_MASTER) bits.push('bus master');
  return `${h(cmd, 4)} (${bits.length > 0 ? bits.join(', ') : 'decode off'})`;
}

/** `BAR0` or `ROM`. */
export function barName(i: number): string {
  return i === ROM_SLOT ? 'ROM' : `BAR${i}`;
}

/** `mem64 prefetchable`, `io`, `rom`. */
export function barKindText(bar: PciBar): string {
  if (bar.index === ROM_SLOT) return 'rom';
  return bar.prefetchable ? `${bar.kind} prefetchable` : bar.kind;
}

export { declaredBdf };

/** The IOMMUs that translate the device's DMA. */
export function iommusOf(a: Analysis, dev: PciDevice): IommuInitiator[] {
  const inits = a.pci?.model.topology.initiators ?? [];
  return inits.filter((x): x is IommuInitiator => x.kind === 'iommu' && iommuCovers(x, dev));
}

/**
 * The address limits `[start, start + size)` crosses for this device: its IOMMUs' input
 * widths, and the CPUs' physical widths (the `mrd.cpu.physBits` setting when the document
 * declares no CPU, as the memory map does).
 */
export function limitsCrossed(a: Analysis, dev: PciDevice, start: bigint, size: bigint): string[] {
  const last = start + size - 1n;
  const out: string[] = [];
  for (const m of iommusOf(a, dev)) {
    if (last >= 1n << BigInt(m.awBits)) out.push(`beyond the ${m.awBits}-bit IOMMU \`${m.name}\``);
  }
  const cpus = (a.pci?.model.topology.initiators ?? []).filter((x) => x.kind === 'cpu');
  for (const c of cpus) {
    if (last >= 1n << BigInt(c.physBits)) out.push(`beyond CPU \`${c.name}\` (phys-bits ${c.physBits})`);
  }
  if (cpus.length === 0 && last >= 1n << BigInt(a.options.physBits)) {
    out.push(`beyond 2^${a.options.physBits} (\`mrd.cpu.physBits\`; no \`cpu\` declared)`);
  }
  return out;
}

/** `bb:ss.f` → the declared devices at that address (programmed bus numbers). */
export function devicesByAddress(a: Analysis): Map<string, PciDevice> {
  const m = new Map<string, PciDevice>();
  for (const d of a.pci?.model.topology.devices ?? []) {
    const k = declaredBdf(d);
    if (!m.has(k)) m.set(k, d);
  }
  return m;
}
