// The step simulator: runs a sequence of config accesses over a topology and reports, per
// step, the map-add/map-del events QEMU would trace, what a read returns and how the BAR
// registers changed. Incremental: the state is snapshotted every K steps; after an edit the
// run restarts from the nearest snapshot at or before the first changed step, and when the
// state meets the previous run's snapshot again (same steps from there on) the rest of the
// previous result is reused.
import { type PciStep, type PciTopology, type StartState, NUM_BARS, ROM_SLOT } from '../../model/pci.js';
import { UNMAPPED } from './barAddress.js';
import {
  PCI_BRIDGE_CONTROL, PCI_COMMAND, PCI_IO_BASE, PCI_IO_LIMIT, PCI_MEMORY_BASE, PCI_MEMORY_LIMIT,
  PCI_PREF_BASE_UPPER32, PCI_PREF_LIMIT_UPPER32, PCI_PREF_MEMORY_BASE, PCI_PREF_MEMORY_LIMIT,
  PCI_PRIMARY_BUS, PCI_SECONDARY_BUS, PCI_SUBORDINATE_BUS, barOffset, overlaps,
} from './config.js';
import { type PciEvent, PciEngine, type ReadValue } from './engine.js';
import type { Snapshot } from './state.js';

export interface BarChange {
  bar: number;
  /** Register value before/after (type bits included; both dwords of a 64-bit BAR). */
  before: bigint;
  after: bigint;
  mappedBefore: bigint;
  mappedAfter: bigint;
}

export interface StepOutcome {
  /** The device that answered (index into `topology.devices`), or -1: nobody (R-PCI-16). */
  device: number;
  /** Its `bb:ss.f` at that moment. */
  dev?: string;
  /** COMMAND of that device before the step. */
  commandBefore?: number;
  read?: ReadValue;
  /** BARs whose register the step wrote. */
  bars?: BarChange[];
  /** Nobody answered: the bus number is not routed, or the bus has no such function. */
  absent?: 'bus' | 'function';
}

export interface SimResult {
  readonly steps: readonly PciStep[];
  /** All events: those of the start state (step -1) first, then step by step. */
  readonly events: PciEvent[];
  /** eventStart[i] = index in `events` of step i's first event; eventStart[n] = events.length. */
  readonly eventStart: number[];
  readonly outcomes: StepOutcome[];
}

export interface SimOptions {
  start?: StartState;
  /** Snapshot interval; default max(32, steps / 256). */
  snapshotEvery?: number;
}

/** Step contents that influence the simulation (spans and labels do not). */
export function sameStep(a: PciStep, b: PciStep): boolean {
  if (a.op !== b.op) return false;
  switch (a.op) {
    case 'reset':
      return true;
    case 'write':
    case 'read': {
      const c = b as typeof a;
      return a.dev.bus === c.dev.bus && a.dev.slot === c.dev.slot && a.dev.func === c.dev.func &&
        a.offset === c.offset && a.len === c.len &&
        (a.op === 'write' ? a.value === (c as typeof a).value : true);
    }
    case 'assign': {
      const c = b as typeof a;
      return a.dev.bus === c.dev.bus && a.dev.slot === c.dev.slot && a.dev.func === c.dev.func &&
        a.bar === c.bar && a.addr === c.addr;
    }
  }
}

export class PciSimulator {
  readonly engine: PciEngine;
  private readonly startEvents: PciEvent[];
  private snapshots: Snapshot[] = [];
  private k = 32;
  private last?: SimResult;
  private finalSnap?: Snapshot;

  constructor(readonly topo: PciTopology, private readonly opts: SimOptions = {}) {
    const e = (this.engine = new PciEngine(topo));
    e.events = [];
    e.currentStep = -1;
    e.realizeAll();
    e.systemReset();
    if ((opts.start ?? 'reset') === 'programmed') this.loadProgrammed();
    this.startEvents = e.events;
    this.snapshots = [e.state.snapshot()];
  }

  /** The declared bus numbers, windows, BAR addresses and COMMAND values (start `programmed`). */
  private loadProgrammed(): void {
    const e = this.engine;
    for (const d of this.topo.devices) {
      const br = d.bridge;
      if (br) {
        const bus = (br.primaryBus ?? 0) | ((br.secondaryBus ?? 0) << 8) | ((br.subordinateBus ?? 0) << 16);
        e.poke(d, PCI_PRIMARY_BUS, 3, bus);
        if (br.ioRange) {
          e.poke(d, PCI_IO_BASE, 1, Number((br.ioRange.base >> 8n) & 0xf0n));
          e.poke(d, PCI_IO_LIMIT, 1, Number((br.ioRange.limit >> 8n) & 0xf0n));
        }
        if (br.memRange) {
          e.poke(d, PCI_MEMORY_BASE, 2, Number((br.memRange.base >> 16n) & 0xfff0n));
          e.poke(d, PCI_MEMORY_LIMIT, 2, Number((br.memRange.limit >> 16n) & 0xfff0n));
        }
        if (br.prefRange) {
          e.poke(d, PCI_PREF_MEMORY_BASE, 2, Number((br.prefRange.base >> 16n) & 0xfff0n));
          e.poke(d, PCI_PREF_MEMORY_LIMIT, 2, Number((br.prefRange.limit >> 16n) & 0xfff0n));
          e.poke(d, PCI_PREF_BASE_UPPER32, 4, Number(br.prefRange.base >> 32n));
          e.poke(d, PCI_PREF_LIMIT_UPPER32, 4, Number(br.prefRange.limit >> 32n));
        }
        e.poke(d, PCI_BRIDGE_CONTROL, 2, 0);
      }
      for (let i = 0; i < NUM_BARS; i++) {
        const b = d.bars[i];
        if (!b || b.initialAddress === undefined) continue;
        const off = barOffset(d, i);
        e.poke(d, off, 4, Number(b.initialAddress & 0xffffffffn) | (i === ROM_SLOT ? 1 : 0));
        if (b.kind === 'mem64') e.poke(d, off + 4, 4, Number(b.initialAddress >> 32n));
      }
    }
    // Apply COMMAND last, through the real write path: mappings and windows follow.
    for (const d of this.topo.devices) {
      e.write(d, PCI_COMMAND, 2, d.initialCommand ?? 0);
    }
    e.afterRestore();
  }

  private interval(n: number): number {
    return this.opts.snapshotEvery ?? Math.max(32, Math.ceil(n / 256));
  }

  /** Simulate from the start state. */
  run(steps: readonly PciStep[]): SimResult {
    this.last = undefined;
    return this.update(steps);
  }

  /** Simulate, reusing the previous run up to the first changed step (and after, if it converges). */
  update(steps: readonly PciStep[]): SimResult {
    const old = this.last;
    const n = steps.length;
    let p = 0;
    if (old && this.interval(old.steps.length) === this.interval(n)) {
      const m = Math.min(n, old.steps.length);
      while (p < m && sameStep(old.steps[p], steps[p])) p++;
      if (p === n && p === old.steps.length) {
        this.last = { ...old, steps };
        return this.last;
      }
    } else {
      this.snapshots.length = 1;
    }
    this.k = this.interval(n);
    const k = this.k;
    // The last snapshot at or before the first changed step (none is taken past the end).
    const j = Math.min(Math.floor(p / k), this.snapshots.length - 1);
    const startAt = j * k;
    const e = this.engine;
    e.state.restore(this.snapshots[j]);
    e.afterRestore();
    const events = old ? old.events.slice(0, old.eventStart[startAt]) : this.startEvents.slice();
    const eventStart = old ? old.eventStart.slice(0, startAt) : [];
    const outcomes = old ? old.outcomes.slice(0, startAt) : [];
    const oldSnaps = this.snapshots;
    this.snapshots = oldSnaps.slice(0, j + 1);
    // The previous result can be reused from a snapshot point on when the steps from there
    // are the same and the state is the same.
    let suffix = n;
    if (old && old.steps.length === n) {
      suffix = n;
      while (suffix > p && sameStep(old.steps[suffix - 1], steps[suffix - 1])) suffix--;
    }
    e.events = events;
    for (let i = startAt; i < n; i++) {
      if (i % k === 0 && i > startAt) {
        if (old && i >= suffix && oldSnaps[i / k] && e.state.equals(oldSnaps[i / k])) {
          const shift = events.length - old.eventStart[i];
          for (let x = old.eventStart[i]; x < old.events.length; x++) events.push(old.events[x]);
          for (let x = i; x < n; x++) {
            eventStart.push(old.eventStart[x] + shift);
            outcomes.push(old.outcomes[x]);
          }
          eventStart.push(events.length);
          this.snapshots.push(...oldSnaps.slice(i / k));
          e.state.restore(this.finalSnap!);
          e.afterRestore();
          this.last = { steps, events, eventStart, outcomes };
          return this.last;
        }
        this.snapshots.push(e.state.snapshot());
      }
      eventStart.push(events.length);
      outcomes.push(this.exec(steps[i], i));
    }
    eventStart.push(events.length);
    this.finalSnap = e.state.snapshot();
    this.last = { steps, events, eventStart, outcomes };
    return this.last;
  }

  /** Execute one step on the live engine. */
  private exec(step: PciStep, i: number): StepOutcome {
    const e = this.engine;
    e.currentStep = i;
    if (step.op === 'reset') {
      e.systemReset();
      return { device: -1 };
    }
    const d = e.route(step.dev);
    if (!d) {
      const len = step.op === 'assign' ? 4 : step.len;
      const all = len === 4 ? 0xffffffff : (1 << (8 * len)) - 1;
      const absent = e.findBus(step.dev.bus) ? 'function' : 'bus';
      return step.op === 'read' ? { device: -1, absent, read: { value: all, known: all } } : { device: -1, absent };
    }
    const out: StepOutcome = { device: d.index, dev: e.bdf(d), commandBefore: e.command(d) };
    if (step.op === 'read') {
      out.read = e.read(d, step.offset, step.len);
      return out;
    }
    const touched: number[] = [];
    // Only writes overlapping 0x10..0x27 or a ROM BAR can touch BAR registers.
    const nearBars = step.op === 'assign' || overlaps(step.offset, step.len, 0x10, 0x18) ||
      overlaps(step.offset, step.len, 0x30, 4) || overlaps(step.offset, step.len, 0x38, 4);
    for (let b = 0; nearBars && b < NUM_BARS; b++) {
      const bar = d.bars[b];
      if (!bar) continue;
      const hit = step.op === 'assign'
        ? step.bar === b
        : overlaps(step.offset, step.len, barOffset(d, b), bar.kind === 'mem64' ? 8 : 4);
      if (hit) touched.push(b);
    }
    const before = touched.length ? touched.map((b) => ({ v: e.barValue(d, b), m: e.mappedAt(d, b) })) : [];
    if (step.op === 'write') e.write(d, step.offset, step.len, step.value);
    else e.assign(d, step.bar, step.addr);
    if (touched.length) {
      out.bars = touched.map((b, x) => ({
        bar: b,
        before: before[x].v,
        after: e.barValue(d, b),
        mappedBefore: before[x].m,
        mappedAfter: e.mappedAt(d, b),
      }));
    }
    return out;
  }

  /**
   * Put the live engine (registers and region graph) into the state after step `i` of the
   * last run (`-1`: the start state) and return it. Replays at most K steps.
   */
  stateAfter(i: number): PciEngine {
    const last = this.last;
    const e = this.engine;
    const target = Math.min(i + 1, last ? last.steps.length : 0);
    const j = Math.min(Math.floor(target / this.k), this.snapshots.length - 1);
    e.state.restore(this.snapshots[j]);
    e.afterRestore();
    const saved = e.events;
    e.events = [];
    for (let x = j * this.k; x < target; x++) this.exec(last!.steps[x], x);
    e.events = saved;
    return e;
  }

  /** Mapped BARs after step `i`: `{device, bar, addr}` for every mapped BAR. */
  mappingsAfter(i: number): { device: number; bar: number; addr: bigint }[] {
    const e = this.stateAfter(i);
    const out: { device: number; bar: number; addr: bigint }[] = [];
    const m = e.state.mapped;
    for (let x = 0; x < m.length; x++) {
      if (m[x] !== UNMAPPED) out.push({ device: Math.floor(x / NUM_BARS), bar: x % NUM_BARS, addr: m[x] });
    }
    return out;
  }

  /** Restore the state at the end of the last run (after `stateAfter`). */
  restoreFinal(): void {
    if (!this.finalSnap) return;
    this.engine.state.restore(this.finalSnap);
    this.engine.afterRestore();
  }
}

/** One-shot convenience: simulate `steps` on a fresh simulator. */
export function simulate(topo: PciTopology, steps: readonly PciStep[], opts: SimOptions = {}): SimResult {
  return new PciSimulator(topo, opts).run(steps);
}
