// Width, placement and sequence checks over a simulated PCI sequence: every mapping QEMU
// would make is tested against the initiators' address widths (MR4xxx), BAR declarations and
// assignments against what the registers can hold (MR5xxx), and the sequence itself for
// transient sizing mappings, failed expectations and unanswered accesses (MR6xxx).
// Pure: diagnostics are returned, spans come from the model (steps, BARs, devices).
import { diag } from '../../base/catalog/index.js';
import type { Diagnostic, RelatedInfo } from '../../base/diagnostic.js';
import { type Span, noSpan } from '../../base/span.js';
import {
  NUM_BARS, type PciBar, type PciDevice, type PciStep, type PciTopology, ROM_SLOT, bdfString, declaredBdf, iommuCovers,
  upstreamBridges,
} from '../../model/pci.js';
import { UNMAPPED, barDecode } from './barAddress.js';
import { CMD_IO, CMD_MEMORY, PCI_COMMAND, barOffset } from './config.js';
import type { PciEvent } from './engine.js';
import type { PciSimulator, SimResult } from './simulate.js';

const FOUR_G = 1n << 32n;

/** `0xffff_ffff_febe_0000`: 16 digits in groups of four. */
export function addr64(v: bigint): string {
  return '0x' + v.toString(16).padStart(16, '0').match(/.{4}/g)!.join('_');
}

const hex = (v: number | bigint, digits = 0) => '0x' + v.toString(16).padStart(digits, '0');

export interface CheckInput {
  topology: PciTopology;
  steps: readonly PciStep[];
  result: SimResult;
  /** For the end-of-sequence window check; its final state is restored. */
  sim?: PciSimulator;
  /** The document, to indent quick-fix lines like the step they go next to. */
  text?: string;
}

/** All PCI checks, in a stable order: declarations, then steps, then the end state. */
export function checkPci(input: CheckInput): Diagnostic[] {
  const c = new Checker(input);
  c.declarations();
  c.assignments();
  c.widths();
  c.transients();
  c.reads();
  c.absent();
  c.windows();
  return c.out;
}

class Checker {
  readonly out: Diagnostic[] = [];
  private readonly t: PciTopology;
  private readonly steps: readonly PciStep[];
  private readonly res: SimResult;

  constructor(private readonly input: CheckInput) {
    this.t = input.topology;
    this.steps = input.steps;
    this.res = input.result;
  }

  // ---- naming and spans ------------------------------------------------------------------

  private stepName(i: number): string {
    if (i < 0) return 'the start state';
    const l = this.steps[i]?.label;
    return l ? `step ${i + 1} "${l}"` : `step ${i + 1}`;
  }

  private stepSpan(i: number, dev?: PciDevice, bar?: number): Span {
    return (i >= 0 ? this.steps[i]?.span : undefined) ?? (dev && bar !== undefined ? dev.bars[bar]?.span : undefined) ?? dev?.span ?? noSpan;
  }

  private related(span: Span | undefined, message: string): RelatedInfo[] {
    return span ? [{ span, message }] : [];
  }

  /** What step `i` did to BAR `bar` of `d`, for "after step 6 (…)". */
  private why(i: number, d: PciDevice, bar: number): string {
    if (i < 0) return 'as declared';
    const s = this.steps[i];
    const o = this.res.outcomes[i];
    if (s.op === 'reset') return 'system reset';
    if (s.op === 'assign') return `bar ${s.bar} assigned ${hex(s.addr)}`;
    if (s.op === 'read') return 'read';
    const b = d.bars[bar];
    const off = barOffset(d, bar);
    let what: string;
    if (s.offset === off + 4 && b?.kind === 'mem64') what = `high dword written ${hex(s.value, 8)}`;
    else if (s.offset === off && b?.kind === 'mem64') what = `low dword written ${hex(s.value, 8)}`;
    else if (s.offset === off) what = `${bar === ROM_SLOT ? 'ROM BAR' : 'BAR'} written ${hex(s.value, 8)}`;
    else if (s.offset <= PCI_COMMAND && PCI_COMMAND < s.offset + s.len) {
      return `COMMAND written ${hex((s.value >>> (8 * (PCI_COMMAND - s.offset))) & 0xffff, 4)}`;
    } else what = `${hex(s.offset, 2)} written ${hex(s.value)}`;
    const decodeBit = b?.kind === 'io' ? CMD_IO : CMD_MEMORY;
    if (o?.commandBefore !== undefined && o.commandBefore & decodeBit) what += ` while ${b?.kind === 'io' ? 'I/O' : 'memory'} decode is on`;
    return what;
  }

  private devName(e: PciEvent | undefined, d: PciDevice): string {
    return e?.dev ?? declaredBdf(d);
  }

  // ---- BAR values that registers cannot hold (MR5001, MR5002, MR5004, MR5005) -----------

  private placement(d: PciDevice, b: PciBar, addr: bigint, dev: string, span: Span): void {
    const args = { bar: b.index, dev, given: hex(addr), size: hex(b.size) };
    if (b.kind !== 'mem64' && addr >= FOUR_G) {
      this.out.push(diag('MR5002', span, { ...args, kind: b.kind === 'io' ? 'I/O' : 'memory', actual: hex((addr & 0xffffffffn) & ~(b.size - 1n)) }));
      return;
    }
    const aligned = addr & ~(b.size - 1n);
    if (aligned !== addr) this.out.push(diag('MR5001', span, { ...args, actual: hex(aligned) }));
    const dec = barDecode({ kind: b.kind, rom: false, size: b.size, value: aligned, command: CMD_IO | CMD_MEMORY, allowZeroAddress: d.bus.host.allowZeroAddress });
    if (dec.reason === 'last-is-all-ones' || dec.reason === 'wraps') this.out.push(diag('MR5004', span, args));
    else if (dec.reason === 'zero-address') this.out.push(diag('MR5005', span, args));
  }

  declarations(): void {
    for (const d of this.t.devices) {
      for (const b of d.bars) {
        if (b?.initialAddress !== undefined) this.placement(d, b, b.initialAddress, this.devName(undefined, d), b.span ?? d.span ?? noSpan);
      }
    }
  }

  assignments(): void {
    this.steps.forEach((s, i) => {
      const o = this.res.outcomes[i];
      if (!o || o.device < 0) return;
      const d = this.t.devices[o.device];
      if (s.op === 'assign') {
        const b = d.bars[s.bar];
        if (b) this.placement(d, b, s.addr, o.dev!, this.stepSpan(i, d, s.bar));
      } else if (s.op === 'write' && s.len === 4 && o.bars) {
        // A full-dword address written with bits below the BAR size set (sizing patterns
        // 0xffffffff / 0xfffff800 excepted) is silently aligned down.
        for (const bc of o.bars) {
          const b = d.bars[bc.bar]!;
          if (s.offset !== barOffset(d, bc.bar) || ((s.value & 0xfffff800) >>> 0) === 0xfffff800) continue;
          const typeBits = b.kind === 'io' ? 0x3 : bc.bar === ROM_SLOT ? 0x7ff : 0xf;
          const addrBits = BigInt((s.value & ~typeBits) >>> 0);
          if (addrBits & (b.size - 1n)) {
            this.out.push(diag('MR5001', this.stepSpan(i, d, bc.bar), {
              bar: bc.bar, dev: o.dev!, size: hex(b.size), given: hex(addrBits), actual: hex(addrBits & ~(b.size - 1n)),
            }));
          }
        }
      }
    });
  }

  // ---- widths (MR4001, MR4002, MR4003) ---------------------------------------------------

  widths(): void {
    const seen = new Set<string>();
    const cpus = this.t.initiators.filter((x) => x.kind === 'cpu');
    const iommus = this.t.initiators.filter((x) => x.kind === 'iommu');
    for (const e of this.res.events) {
      if (e.kind !== 'map-add') continue;
      const d = this.t.devices[e.device];
      const b = d.bars[e.bar]!;
      if (b.kind === 'io') continue;
      const last = e.addr + e.size - 1n;
      const once = (key: string) => !seen.has(key) && !!seen.add(key);
      const base = { bar: e.bar, dev: e.dev, start: addr64(e.addr), end: addr64(last), step: this.stepName(e.step) };
      const span = this.stepSpan(e.step, d, e.bar);
      for (const m of iommus) {
        if (!iommuCovers(m, d) || last < 1n << BigInt(m.awBits)) continue;
        if (!once(`4001 ${m.name} ${e.device} ${e.bar} ${e.addr}`)) continue;
        this.out.push(diag('MR4001', span, {
          ...base, bits: m.awBits, max: addr64((1n << BigInt(m.awBits)) - 1n), why: this.why(e.step, d, e.bar),
        }, this.related(m.span, `the ${m.awBits}-bit IOMMU ${m.name}`)));
      }
      for (const cpu of cpus) {
        if (last < 1n << BigInt(cpu.physBits)) continue;
        if (!once(`4002 ${cpu.name} ${e.device} ${e.bar} ${e.addr}`)) continue;
        this.out.push(diag('MR4002', span, {
          ...base, bits: cpu.physBits, max: addr64((1n << BigInt(cpu.physBits)) - 1n), why: this.why(e.step, d, e.bar),
        }, this.related(cpu.span, `CPU ${cpu.name} with phys-bits ${cpu.physBits}`)));
      }
      if (e.addr < FOUR_G && last >= FOUR_G && once(`4003 ${e.device} ${e.bar} ${e.addr}`)) {
        this.out.push(diag('MR4003', span, { ...base, what: `BAR${e.bar} of ${e.dev}` }));
      }
    }
  }

  // ---- sizing with decode on (MR6001, MR6002) --------------------------------------------

  transients(): void {
    const ev = this.res.events;
    // next[k]: the next event of the same device and BAR after event k.
    const next = new Int32Array(ev.length).fill(-1);
    const lastSeen = new Map<number, number>();
    for (let k = ev.length - 1; k >= 0; k--) {
      const key = ev[k].device * NUM_BARS + ev[k].bar;
      next[k] = lastSeen.get(key) ?? -1;
      lastSeen.set(key, k);
    }
    this.steps.forEach((s, i) => {
      const o = this.res.outcomes[i];
      if (s.op !== 'write' || !o?.bars || o.device < 0) return;
      const d = this.t.devices[o.device];
      for (const bc of o.bars) {
        const b = d.bars[bc.bar]!;
        const sizing = s.len === 4 && (bc.bar === ROM_SLOT ? ((s.value & 0xfffff800) >>> 0) === 0xfffff800 : s.value === 0xffffffff);
        const bit = b.kind === 'io' ? CMD_IO : CMD_MEMORY;
        if (!sizing || !((o.commandBefore ?? 0) & bit) || bc.mappedBefore === bc.mappedAfter) continue;
        // The event this step made for the BAR, and the one that undoes it.
        let k = -1;
        for (let x = this.res.eventStart[i]; x < this.res.eventStart[i + 1]; x++) {
          if (ev[x].device === d.index && ev[x].bar === bc.bar) k = x;
        }
        const end = k >= 0 ? next[k] : -1;
        const endStep = end >= 0 ? ev[end].step : -1;
        const until = endStep >= 0 ? this.stepName(endStep) : 'the end of the sequence';
        const args = { bar: bc.bar, dev: o.dev!, decode: b.kind === 'io' ? 'I/O' : 'memory', step: this.stepName(i), until };
        const rel = endStep >= 0 ? this.related(this.steps[endStep].span, bc.mappedAfter !== UNMAPPED ? 'the mapping ends here' : 'mapped again here') : [];
        if (bc.mappedAfter !== UNMAPPED) {
          const dg = diag('MR6001', this.stepSpan(i, d, bc.bar), {
            ...args, start: addr64(bc.mappedAfter), end: addr64(bc.mappedAfter + b.size - 1n),
          }, rel);
          this.out.push(this.withDecodeFix(dg, i, endStep, o.commandBefore!, bit));
        } else {
          this.out.push(diag('MR6002', this.stepSpan(i, d, bc.bar), args, rel));
        }
      }
    });
  }

  /** Quick fix: clear the decode bit before the sizing write, restore COMMAND after the restore. */
  private withDecodeFix(dg: Diagnostic, from: number, to: number, cmd: number, bit: number): Diagnostic {
    const a = this.steps[from]?.span;
    const b = to >= 0 ? this.steps[to]?.span : undefined;
    if (!a || !b) return dg;
    const text = this.input.text ?? '';
    const indent = (off: number) => {
      const ls = text.lastIndexOf('\n', off - 1) + 1;
      return /^[ \t]*/.exec(text.slice(ls, off))![0];
    };
    // A `label` naming the sizing step stays on it: the decode write goes in before the label.
    const label = this.steps[from].label;
    const from0 = Math.max(0, a.start - 512);
    const m = label === undefined ? null : /label[ \t]+("?)([^\s"]+)\1[ \t]*(#[^\n]*)?\r?\n[ \t]*$/.exec(text.slice(from0, a.start));
    const at = m && m[2] === label ? from0 + m.index : a.start;
    const ia = indent(at);
    // The restoring write goes after the step's line, so a trailing comment stays with its step.
    const eol = /^[ \t]*(#[^\r\n]*)?/.exec(text.slice(b.end, b.end + 4096))![0].length;
    const next = text.charAt(b.end + eol);
    const after = next === '\n' || next === '\r' || next === '' ? b.end + eol : b.end;
    return {
      ...dg,
      fix: {
        title: `clear ${bit === CMD_IO ? 'I/O' : 'memory'} decode around the sizing`,
        edits: [
          { span: { start: at, end: at }, text: `write 0x04 2 ${hex(cmd & ~bit & 0xffff, 4)}\n${ia}` },
          { span: { start: after, end: after }, text: `\n${indent(b.start)}write 0x04 2 ${hex(cmd & 0xffff, 4)}` },
        ],
      },
    };
  }

  // ---- reads and absent devices (MR6003, MR6004) -----------------------------------------

  reads(): void {
    this.steps.forEach((s, i) => {
      const o = this.res.outcomes[i];
      if (s.op !== 'read' || s.expect === undefined || !o?.read) return;
      const { value, known } = o.read;
      if ((((value ^ s.expect) & known) >>> 0) === 0) return;
      let got = '';
      for (let k = s.len - 1; k >= 0; k--) {
        const kb = (known >>> (8 * k)) & 0xff;
        got += kb === 0xff ? ((value >>> (8 * k)) & 0xff).toString(16).padStart(2, '0') : '??';
      }
      const d = o.device >= 0 ? this.t.devices[o.device] : undefined;
      this.out.push(diag('MR6003', this.stepSpan(i, d), {
        len: s.len, offset: hex(s.offset, 2), dev: o.dev ?? bdfString(s.dev.bus, s.dev.slot, s.dev.func),
        step: this.stepName(i), got: '0x' + got, expected: hex(s.expect, 2 * s.len),
      }));
    });
  }

  absent(): void {
    this.steps.forEach((s, i) => {
      const o = this.res.outcomes[i];
      if (s.op === 'reset' || !o || o.device >= 0) return;
      const dev = bdfString(s.dev.bus, s.dev.slot, s.dev.func);
      const why = o.absent === 'bus'
        ? `no bridge routes bus ${hex(s.dev.bus, 2)} at that moment (secondary/subordinate bus numbers)`
        : `bus ${hex(s.dev.bus, 2)} has no function ${dev.slice(3)}`;
      this.out.push(diag('MR6004', this.stepSpan(i), { dev, step: this.stepName(i), why }));
    });
  }

  // ---- windows at the end of the sequence (MR5003) ---------------------------------------

  windows(): void {
    const sim = this.input.sim;
    if (!sim) return;
    sim.restoreFinal();
    const e = sim.engine;
    const lastAdd = new Map<number, PciEvent>();
    for (const ev of this.res.events) if (ev.kind === 'map-add') lastAdd.set(ev.device * NUM_BARS + ev.bar, ev);
    const bridgeIndex = new Map(this.t.bridges.map((b, k) => [b, k]));
    for (const d of this.t.devices) {
      for (let i = 0; i < NUM_BARS; i++) {
        const b = d.bars[i];
        const a = e.state.mapped[d.index * NUM_BARS + i];
        if (!b || a === UNMAPPED) continue;
        const last = a + b.size - 1n;
        const ev = lastAdd.get(d.index * NUM_BARS + i);
        const span = this.stepSpan(ev ? ev.step : -1, d, i);
        const args = { bar: i, dev: e.bdf(d), start: addr64(a), end: addr64(last) };
        const inside = (base: bigint, size: bigint) => size > 0n && a >= base && last <= base + size - 1n;
        for (const br of upstreamBridges(d).reverse()) {
          const k = bridgeIndex.get(br)!;
          const w = e.state.windows;
          const kinds = b.kind === 'io' ? [[4, 'I/O']] as const : [[2, 'memory'], [0, 'prefetchable']] as const;
          if (kinds.some(([j]) => inside(w[k * 6 + j], w[k * 6 + j + 1]))) continue;
          const desc = kinds.map(([j, n]) => {
            const size = w[k * 6 + j + 1];
            return size > 0n ? `${n} ${addr64(w[k * 6 + j])}..${addr64(w[k * 6 + j] + size - 1n)}` : `${n} closed`;
          }).join(', ');
          this.out.push(diag('MR5003', span, { ...args, where: `windows of bridge ${e.bdf(br.device)}`, why: desc }, this.related(br.span ?? br.device.span, 'the bridge')));
          break;
        }
        const hw = d.bus.host.windows.filter((x) => x.kind === (b.kind === 'io' ? 'io' : 'mem'));
        if (hw.length && !hw.some((x) => inside(x.base, x.size))) {
          const desc = hw.map((x) => `${x.name ?? x.kind} ${addr64(x.base)}..${addr64(x.base + x.size - 1n)}`).join(', ');
          this.out.push(diag('MR5003', span, { ...args, where: `windows of host bridge ${d.bus.host.name}`, why: desc }, this.related(d.bus.host.span, 'the host bridge')));
        }
      }
    }
  }
}
