// PCI statements of the tree → the PCI model (model/pci.ts): host bridges, buses, bridges,
// devices and BARs, CPU and IOMMU initiators, sequences of steps. Two phases, driven by
// build.ts: `collect` evaluates every expression in statement order (constants are visible
// after their definition only), `finish` runs once every region exists and resolves `mem`,
// `io` and `region` references. Invalid pieces are reported at their spans and left out.
import type { Diagnostic, RelatedInfo } from '../base/diagnostic.js';
import { diag } from '../base/catalog/index.js';
import type { Span } from '../base/span.js';
import type { ExprNode, NameNode, RefNode, StatementNode } from '../syntax/ast.js';
import type {
  BdfNode, CpuNode, IommuInitiatorNode, PciAttrNode, PciAttributes, PciBarNode, PciFunctionNode, PciHostNode,
  PciWindowNode, SequenceNode,
} from '../syntax/pciAst.js';
import {
  type AccessLen, type BarKind, type BridgeRange, type CpuInitiator, type HostWindow, type Initiator,
  type IommuInitiator, type PciBus, type PciDevice, type PciSequence, type PciStep, type PciTopology, ROM_SLOT,
  addBar, addBridge, addDevice, addHost, barProblem, bdfString, devfn, newPciTopology,
} from './pci.js';
import { type Machine, type Region, MAX_U64 } from './region.js';

/** The `model` names of QEMU's intel-iommu (`-device intel-iommu`), whose `aw-bits` is 39 or 48 (R-DMA-5). */
const INTEL_IOMMU = new Set(['vtd', 'intel-iommu']);

// ---- what the editor gets ------------------------------------------------------------------

export interface DeviceSymbol {
  readonly device: PciDevice;
  /** The whole `device`/`bridge` statement, body included. */
  readonly declSpan: Span;
  readonly nameSpan: Span;
  /** The written `bb:ss.f`. */
  readonly addressSpan: Span;
}

export interface BarSymbol {
  readonly device: PciDevice;
  readonly bar: number;
  /** The `bar`/`rom` statement. */
  readonly declSpan: Span;
  /** `bar N` or `rom`: what hovers and definitions point at. */
  readonly keywordSpan: Span;
}

export interface SequenceSymbol {
  readonly sequence: PciSequence;
  readonly declSpan: Span;
  readonly nameSpan: Span;
}

export interface LabelSymbol {
  readonly sequence: PciSequence;
  readonly name: string;
  readonly nameSpan: Span;
  /** Index of the step it names in `sequence.steps`, or -1 when nothing follows. */
  readonly step: number;
}

export interface InitiatorSymbol {
  readonly initiator: Initiator;
  readonly declSpan: Span;
  readonly nameSpan: Span;
}

/** A device address used as a reference: `on BDF`, `iommu … { devices BDF }`. */
export interface DeviceReference {
  readonly span: Span;
  readonly role: 'on' | 'iommu';
  /** The device declared at that address, or null. */
  readonly device: PciDevice | null;
}

export interface PciSymbols {
  readonly devices: readonly DeviceSymbol[];
  readonly bars: readonly BarSymbol[];
  readonly sequences: readonly SequenceSymbol[];
  readonly labels: readonly LabelSymbol[];
  readonly initiators: readonly InitiatorSymbol[];
  readonly deviceRefs: readonly DeviceReference[];
}

export const emptyPciSymbols: PciSymbols = Object.freeze({
  devices: [], bars: [], sequences: [], labels: [], initiators: [], deviceRefs: [],
});

export type PciSymbolAt =
  | { kind: 'device'; device: PciDevice; span: Span; declaration: boolean }
  | { kind: 'bar'; device: PciDevice; bar: number; span: Span; declaration: true }
  | { kind: 'sequence'; sequence: PciSequence; span: Span; declaration: true }
  | { kind: 'label'; label: LabelSymbol; span: Span; declaration: true }
  | { kind: 'initiator'; initiator: Initiator; span: Span; declaration: true };

const touches = (s: Span, o: number): boolean => s.start <= o && o <= s.end && s.end > s.start;

/** The PCI symbol whose name or address touches `offset`, or null. */
export function pciSymbolAt(s: PciSymbols, offset: number): PciSymbolAt | null {
  for (const r of s.deviceRefs) if (r.device && touches(r.span, offset)) return { kind: 'device', device: r.device, span: r.span, declaration: false };
  for (const d of s.devices) {
    if (touches(d.nameSpan, offset)) return { kind: 'device', device: d.device, span: d.nameSpan, declaration: true };
    if (touches(d.addressSpan, offset)) return { kind: 'device', device: d.device, span: d.addressSpan, declaration: true };
  }
  for (const b of s.bars) if (touches(b.keywordSpan, offset)) return { kind: 'bar', device: b.device, bar: b.bar, span: b.keywordSpan, declaration: true };
  for (const q of s.sequences) if (touches(q.nameSpan, offset)) return { kind: 'sequence', sequence: q.sequence, span: q.nameSpan, declaration: true };
  for (const l of s.labels) if (touches(l.nameSpan, offset)) return { kind: 'label', label: l, span: l.nameSpan, declaration: true };
  for (const i of s.initiators) if (touches(i.nameSpan, offset)) return { kind: 'initiator', initiator: i.initiator, span: i.nameSpan, declaration: true };
  return null;
}

/** The declaration of a device (its statement) by the symbols, for go-to-definition. */
export function deviceDeclaration(s: PciSymbols, device: PciDevice): DeviceSymbol | undefined {
  return s.devices.find((d) => d.device === device);
}

// ---- the model -----------------------------------------------------------------------------

export interface PciModel {
  readonly topology: PciTopology;
  /** In statement order; the flat views show the end of the last one (docs/pci.md). */
  readonly sequences: readonly PciSequence[];
  /** Initiators declared without a width: the analysis takes it from the settings. */
  readonly openWidths: readonly Initiator[];
}

/** What build.ts lends the PCI builder. */
export interface PciBuildHost {
  readonly machine: Machine;
  evaluate(e: ExprNode): bigint | null;
  resolve(ref: RefNode): Region | null;
  formatValue(v: bigint): string;
}

const I8 = 0xffn;

/** Whether `targets` can be reached from `from` through subregions and alias targets. */
function reaches(from: Region, targets: readonly Region[]): boolean {
  const seen = new Set<Region>();
  const stack = [from];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (targets.includes(x)) return true;
    if (seen.has(x)) continue;
    seen.add(x);
    for (const c of x.children) stack.push(c);
    if (x.alias) stack.push(x.alias);
  }
  return false;
}

/** `0x1_0000`: hex in groups of four from the right (decimal below 10). */
function hexValue(v: bigint): string {
  if (v < 0n) return '-' + hexValue(-v);
  if (v < 10n) return v.toString();
  const h = v.toString(16);
  let out = '';
  for (let i = h.length; i > 0; i -= 4) out = h.slice(Math.max(0, i - 4), i) + (out ? '_' + out : '');
  return '0x' + out;
}
const I16 = 0xffffn;

const VALID: Record<string, ReadonlySet<string>> = {
  'pci-host': new Set(['mem', 'io', 'allow-0', 'bus']),
  device: new Set(['model', 'express', 'vendor-id', 'device-id', 'class', 'command', 'realize-command', 'serr', 'x-vga']),
  bridge: new Set(['model', 'express', 'vendor-id', 'device-id', 'class', 'command', 'realize-command', 'serr',
    'secondary', 'subordinate', 'primary', 'root-port']),
  bar: new Set(['size', 'prefetchable', 'at', 'region']),
  rom: new Set(['size', 'at', 'region']),
  window: new Set(['size', 'limit', 'name']),
  cpu: new Set(['phys-bits']),
  iommu: new Set(['aw-bits', 'model']),
  sequence: new Set(['on', 'start']),
};

const WHAT: Record<string, string> = {
  'pci-host': 'a pci-host', device: 'a device', bridge: 'a bridge', bar: 'a BAR', rom: 'the ROM BAR',
  window: 'a window', cpu: 'a cpu', iommu: 'an iommu', sequence: 'a sequence',
};

type Attrs = Map<string, PciAttrNode>;

export class PciBuilder {
  readonly diagnostics: Diagnostic[] = [];
  private readonly values = new Map<ExprNode, bigint | null>();
  private readonly tops: StatementNode[] = [];
  private refs = 0;
  private readonly t: PciTopology;
  private readonly devices: DeviceSymbol[] = [];
  private readonly bars: BarSymbol[] = [];
  private readonly sequenceSyms: SequenceSymbol[] = [];
  private readonly labels: LabelSymbol[] = [];
  private readonly initiatorSyms: InitiatorSymbol[] = [];
  private readonly deviceRefs: DeviceReference[] = [];
  /** Devices by their written address (`bus << 8 | devfn`), the first of each. */
  private readonly byAddress = new Map<number, { device: PciDevice; span: Span }>();
  private readonly barRegions = new Map<Region, string>();

  constructor(private readonly host: PciBuildHost) {
    this.t = newPciTopology(host.machine);
  }

  /** True when `finish` will resolve region references (build.ts builds its name maps then). */
  get hasRefs(): boolean {
    return this.refs > 0;
  }

  private report(code: string, span: Span, args: Record<string, string | number | bigint> = {}, related?: RelatedInfo[]): void {
    this.diagnostics.push(diag(code, span, args, related));
  }

  // ---- phase 1: evaluate in statement order --------------------------------------------------

  /** A top-level PCI statement; expressions are evaluated now, everything else in `finish`. */
  collect(st: StatementNode): void {
    this.tops.push(st);
    // Bodies nest at most MAX_DEPTH deep (the parser skips deeper groups), so recursion is bounded.
    const visit = (n: StatementNode): void => {
      switch (n.kind) {
        case 'PciHost': case 'PciFunction': case 'Cpu': case 'IommuInitiator': case 'Sequence':
          this.attrValues(n.attributes);
          if ('body' in n && n.body) for (const c of n.body.statements) visit(c);
          break;
        case 'PciBar':
          if (n.index) this.value(n.index);
          this.attrValues(n.attributes);
          break;
        case 'PciWindow':
          this.value(n.base);
          this.attrValues(n.attributes);
          break;
        case 'ReadStep':
          this.value(n.offset); this.value(n.len);
          if (n.expect) this.value(n.expect);
          break;
        case 'WriteStep':
          this.value(n.offset); this.value(n.len); this.value(n.value);
          break;
        case 'BarStep':
          this.value(n.bar); this.value(n.addr);
          break;
        case 'OnBlock':
          if (n.body) for (const c of n.body.statements) visit(c);
          break;
        default:
          break;
      }
    };
    visit(st);
  }

  private attrValues(attrs: PciAttributes): void {
    for (const a of attrs) {
      if (a.kind !== 'PciAttr' || !a.value) continue;
      if (a.value.kind === 'Ref') this.refs++;
      else if (a.value.kind !== 'Name' && a.value.kind !== 'Bdf') this.value(a.value);
    }
  }

  private value(e: ExprNode): void {
    this.values.set(e, this.host.evaluate(e));
  }

  // ---- phase 2: build -------------------------------------------------------------------------

  finish(): { model: PciModel | undefined; symbols: PciSymbols } {
    const symbols: PciSymbols = {
      devices: this.devices, bars: this.bars, sequences: this.sequenceSyms, labels: this.labels,
      initiators: this.initiatorSyms, deviceRefs: this.deviceRefs,
    };
    if (this.tops.length === 0) return { model: undefined, symbols };
    // Topology first: initiators and sequences may name devices declared further down.
    for (const st of this.tops) if (st.kind === 'PciHost') this.hostDecl(st);
    const openWidths: Initiator[] = [];
    const sequences: PciSequence[] = [];
    for (const st of this.tops) {
      if (st.kind === 'Cpu') this.cpuDecl(st, openWidths);
      else if (st.kind === 'IommuInitiator') this.iommuDecl(st, openWidths);
      else if (st.kind === 'Sequence') this.sequenceDecl(st, sequences);
    }
    return { model: { topology: this.t, sequences, openWidths }, symbols };
  }

  /** The attributes by name, after reporting invalid and repeated ones. */
  private attrs(attrs: PciAttributes, stmt: string): Attrs {
    const out: Attrs = new Map();
    const valid = VALID[stmt];
    for (const a of attrs) {
      if (a.kind !== 'PciAttr') continue;
      if (!valid.has(a.name)) {
        this.report('MR2034', a.keywordSpan, { attr: a.name, what: WHAT[stmt] });
        continue;
      }
      const prev = out.get(a.name);
      if (prev) this.report('MR2016', a.keywordSpan, { attr: a.name }, [{ span: prev.span, message: 'given before here' }]);
      out.set(a.name, a);
    }
    return out;
  }

  /** A numeric attribute, range-checked; undefined when absent or invalid. */
  private num(a: PciAttrNode | undefined, what: string, max: bigint, min = 0n): bigint | undefined {
    if (!a || !a.value || a.value.kind === 'Ref' || a.value.kind === 'Name' || a.value.kind === 'Bdf') return undefined;
    return this.checked(a.value, what, max, min);
  }

  private checked(e: ExprNode, what: string, max: bigint, min = 0n): bigint | undefined {
    const v = this.values.get(e);
    if (v === null || v === undefined) return undefined;
    if (v < min || v > max) {
      // Registers, offsets and addresses read best in hex; indices, bus numbers and widths in decimal.
      const f = max > 0xffn && max !== 1n << 64n ? hexValue : this.host.formatValue;
      this.report('MR2004', e.span, { what, value: f(v), range: `${f(min)}..${f(max)}` });
      return undefined;
    }
    return v;
  }

  private word(a: PciAttrNode | undefined): NameNode | undefined {
    return a?.value?.kind === 'Name' && !a.value.missing ? a.value : undefined;
  }

  private choice(a: PciAttrNode | undefined, what: string, choices: readonly string[]): string | undefined {
    const w = this.word(a);
    if (!w) return undefined;
    if (choices.includes(w.text)) return w.text;
    this.report('MR2042', w.span, { value: w.text, what, choices: choices.map((c) => `'${c}'`).join(' or ') });
    return undefined;
  }

  private ref(a: PciAttrNode | undefined): Region | null | undefined {
    if (a?.value?.kind !== 'Ref') return undefined;
    return this.host.resolve(a.value);
  }

  // ---- topology --------------------------------------------------------------------------------

  private hostDecl(n: PciHostNode): void {
    const at = this.attrs(n.attributes, 'pci-host');
    const windows: HostWindow[] = [];
    for (const st of n.body?.statements ?? []) {
      if (st.kind !== 'PciWindow') continue;
      const w = this.window(st, ['mem', 'io']);
      if (w) windows.push({ kind: w.kind as 'mem' | 'io', base: w.base, size: w.limit - w.base + 1n, name: w.name, span: st.span });
    }
    const host = addHost(this.t, {
      name: n.name.text || 'pci-host',
      mem: this.ref(at.get('mem')) ?? undefined,
      io: this.ref(at.get('io')) ?? undefined,
      allowZeroAddress: at.has('allow-0'),
      rootNumber: Number(this.num(at.get('bus'), 'bus number', I8) ?? 0n),
      windows,
      span: n.span,
    });
    this.functions(n.body?.statements ?? [], host.bus, host.bus.rootNumber, `the root bus of ${host.name}`);
  }

  /**
   * `window KIND BASE (size S | limit L) [name N]` → base and limit. A bridge window may have
   * its limit below its base: that is how a closed window looks in the registers (`info pci`).
   */
  private window(n: PciWindowNode, kinds: readonly string[], closedOk = false): { kind: string; base: bigint; limit: bigint; name?: string } | undefined {
    const at = this.attrs(n.attributes, 'window');
    if (n.windowKind.missing) return undefined;
    if (!kinds.includes(n.windowKind.text)) {
      this.report('MR2042', n.windowKind.span, { value: n.windowKind.text, what: 'window kind here', choices: kinds.map((c) => `'${c}'`).join(' or ') });
      return undefined;
    }
    const base = this.checked(n.base, 'window base', MAX_U64);
    const size = this.num(at.get('size'), 'window size', 1n << 64n, 1n);
    const limit = this.num(at.get('limit'), 'window limit', MAX_U64);
    if (!at.has('size') && !at.has('limit')) {
      this.report('MR2035', n.windowKind.span, { attr: 'size', what: 'a window (or limit)' });
      return undefined;
    }
    if (base === undefined || (size === undefined && limit === undefined)) return undefined;
    const last = limit ?? base + size! - 1n;
    if ((last < base && !(closedOk && limit !== undefined)) || last > MAX_U64) {
      const a = (at.get('limit') ?? at.get('size'))!;
      this.report('MR2004', a.value!.span, { what: 'window end', value: this.host.formatValue(last), range: `${this.host.formatValue(base)}..${this.host.formatValue(MAX_U64)}` });
      return undefined;
    }
    return { kind: n.windowKind.text, base, limit: last, name: this.word(at.get('name'))?.text };
  }

  /** Devices and bridges of one bus, in statement order (= realize order, R-PCI-13). */
  private functions(stmts: readonly StatementNode[], bus: PciBus, busNumber: number, busName: string): void {
    for (const st of stmts) if (st.kind === 'PciFunction') this.func(st, bus, busNumber, busName);
  }

  private func(n: PciFunctionNode, bus: PciBus, busNumber: number, busName: string): void {
    const a = n.address;
    if (!a.valid) return;
    const bdf = bdfString(a.bus, a.slot, a.func);
    if (a.bus !== busNumber) this.report('MR2038', a.span, { dev: bdf, bus: a.bus, where: busName, n: busNumber });
    const fn = devfn(a.slot, a.func);
    const taken = bus.devices.get(fn);
    if (taken) {
      const sym = this.devices.find((d) => d.device === taken);
      this.report('MR2030', a.span, { dev: bdf, bus: busName, other: taken.name }, sym ? [{ span: sym.addressSpan, message: `'${taken.name}' is declared here` }] : undefined);
      return;
    }
    const bridge = n.keyword === 'bridge';
    const at = this.attrs(n.attributes, n.keyword);
    const serr = this.choice(at.get('serr'), 'serr value', ['on', 'off']);
    const name = n.name.missing ? bdf : n.name.text;
    const dev = addDevice(this.t, bus, {
      name,
      model: this.word(at.get('model'))?.text,
      slot: a.slot,
      func: a.func,
      headerType: bridge ? 1 : 0,
      configSize: at.has('express') ? 4096 : 256,
      vendorId: this.optNum(at.get('vendor-id'), 'vendor ID', I16),
      deviceId: this.optNum(at.get('device-id'), 'device ID', I16),
      classCode: this.optNum(at.get('class'), 'class code', I16),
      initialCommand: this.optNum(at.get('command'), 'COMMAND value', I16),
      realizeCommand: this.optNum(at.get('realize-command'), 'COMMAND value', I16),
      serrEnable: serr !== 'off',
      vga: at.has('x-vga'),
      span: n.span,
      nameSpan: n.name.span,
    });
    this.devices.push({ device: dev, declSpan: n.span, nameSpan: n.name.span, addressSpan: a.span });
    const key = (a.bus << 8) | fn;
    if (!this.byAddress.has(key)) this.byAddress.set(key, { device: dev, span: a.span });
    const body = n.body?.statements ?? [];
    if (bridge) {
      const ranges: Partial<Record<'io' | 'mem' | 'pref', BridgeRange>> = {};
      for (const st of body) {
        if (st.kind !== 'PciWindow') continue;
        const w = this.window(st, ['io', 'mem', 'pref'], true);
        if (w) ranges[w.kind as 'io' | 'mem' | 'pref'] = { base: w.base, limit: w.limit };
      }
      const secondary = this.optNum(at.get('secondary'), 'bus number', I8);
      addBridge(this.t, dev, {
        busName: name,
        expressSecondary: at.has('express'),
        resetDisablesWindows: at.has('root-port'),
        primaryBus: this.optNum(at.get('primary'), 'bus number', I8),
        secondaryBus: secondary,
        subordinateBus: this.optNum(at.get('subordinate'), 'bus number', I8),
        ioRange: ranges.io,
        memRange: ranges.mem,
        prefRange: ranges.pref,
        span: n.span,
      });
    }
    for (const st of body) if (st.kind === 'PciBar') this.bar(st, dev, bdf);
    if (bridge) this.functions(body, dev.bridge!.secondary, dev.bridge!.secondaryBus ?? 0, `the secondary bus of ${name}`);
  }

  private optNum(a: PciAttrNode | undefined, what: string, max: bigint): number | undefined {
    const v = this.num(a, what, max);
    return v === undefined ? undefined : Number(v);
  }

  private bar(n: PciBarNode, dev: PciDevice, bdf: string): void {
    const stmt = n.keyword;
    const at = this.attrs(n.attributes, stmt);
    let index: number;
    let kind: BarKind;
    if (stmt === 'rom') {
      index = ROM_SLOT;
      kind = 'mem32';
    } else {
      const i = n.index ? this.checked(n.index, 'BAR index', 6n) : undefined;
      if (i === undefined || !n.barKind || n.barKind.missing) return;
      index = Number(i);
      const k = n.barKind.text;
      if (k === 'rom') {
        if (index !== ROM_SLOT) {
          this.report('MR2031', n.barKind.span, { dev: `${dev.name} (${bdf})`, problem: `the ROM is BAR 6, not BAR ${index}` });
          return;
        }
        kind = 'mem32';
      } else if (k === 'io' || k === 'mem32' || k === 'mem64') kind = k;
      else {
        this.report('MR2042', n.barKind.span, { value: k, what: 'BAR kind', choices: "'io', 'mem32', 'mem64' or 'rom'" });
        return;
      }
    }
    const keywordSpan = { start: n.start, end: stmt === 'rom' || !n.index ? n.start + 3 : n.index.end };
    const sizeAttr = at.get('size');
    if (!sizeAttr) {
      this.report('MR2035', keywordSpan, { attr: 'size', what: WHAT[stmt] });
      return;
    }
    const size = this.num(sizeAttr, 'BAR size', 1n << 64n, 1n);
    if (size === undefined) return;
    const init = {
      index, kind, size,
      prefetchable: at.has('prefetchable'),
      initialAddress: this.num(at.get('at'), 'BAR address', MAX_U64),
      span: n.span,
    };
    const problem = barProblem(dev, init);
    if (problem) {
      this.report('MR2031', n.span, { dev: `${dev.name} (${bdf})`, problem });
      return;
    }
    let region: Region | undefined;
    const ra = at.get('region');
    if (ra) {
      const r = this.ref(ra);
      if (r) {
        const host = dev.bus.host.bus;
        const why = r.size !== size ? `it is ${this.host.formatValue(r.size)} bytes, the BAR ${this.host.formatValue(size)}`
          : r.container ? `it is inside '${r.container.name}'; a BAR region must be top level (the simulation maps it)`
            : this.barRegions.has(r) ? `it is already ${this.barRegions.get(r)}`
              : reaches(r, [host.mem, host.io]) ? `it contains (or aliases) the bus container it would be mapped into: rendering would never end`
                : undefined;
        if (why) this.report('MR2039', ra.value!.span, { name: r.name, bar: index, dev: bdf, why });
        else region = r;
      }
    }
    addBar(this.t, dev, { ...init, region });
    const b = dev.bars[index]!;
    this.barRegions.set(b.region, `BAR${index} of ${bdf}`);
    this.bars.push({ device: dev, bar: index, declSpan: n.span, keywordSpan });
  }

  // ---- initiators ------------------------------------------------------------------------------

  private cpuDecl(n: CpuNode, open: Initiator[]): void {
    const at = this.attrs(n.attributes, 'cpu');
    const bits = this.num(at.get('phys-bits'), 'phys-bits', 64n, 1n);
    const cpu: CpuInitiator = { kind: 'cpu', name: n.name.text, physBits: bits === undefined ? 0 : Number(bits), span: n.span };
    if (bits === undefined && at.has('phys-bits')) return;
    if (bits === undefined) open.push(cpu);
    this.t.initiators.push(cpu);
    this.initiatorSyms.push({ initiator: cpu, declSpan: n.span, nameSpan: n.name.span });
  }

  private iommuDecl(n: IommuInitiatorNode, open: Initiator[]): void {
    const at = this.attrs(n.attributes, 'iommu');
    const bits = this.num(at.get('aw-bits'), 'aw-bits', 64n, 1n);
    if (bits === undefined && at.has('aw-bits')) return;
    let devices: PciDevice[] | 'all' = [];
    for (const st of n.body?.statements ?? []) {
      if (st.kind !== 'Devices') continue;
      if (st.all) {
        devices = 'all';
        continue;
      }
      for (const b of st.items) {
        if (!b.valid) continue;
        const d = this.lookup(b, 'iommu');
        if (!d) this.report('MR2032', b.span, { dev: bdfString(b.bus, b.slot, b.func), where: ' (device addresses are the declared ones, with their programmed bus numbers)' });
        else if (devices !== 'all' && !devices.includes(d)) devices.push(d);
      }
    }
    const m: IommuInitiator = {
      kind: 'iommu', name: n.name.text, model: this.word(at.get('model'))?.text ?? '', awBits: bits === undefined ? 0 : Number(bits),
      devices, span: n.span,
    };
    // intel-iommu takes 39 or 48 only (R-DMA-5); a width from the settings is not the file's to report.
    const width = at.get('aw-bits')?.value;
    if (bits !== undefined && width && INTEL_IOMMU.has(m.model) && bits !== 39n && bits !== 48n) {
      this.report('MR4005', width.span, { bits: Number(bits) });
    }
    if (bits === undefined) open.push(m);
    this.t.initiators.push(m);
    this.initiatorSyms.push({ initiator: m, declSpan: n.span, nameSpan: n.name.span });
  }

  private lookup(b: BdfNode, role: 'on' | 'iommu'): PciDevice | null {
    const hit = this.byAddress.get((b.bus << 8) | devfn(b.slot, b.func));
    this.deviceRefs.push({ span: b.span, role, device: hit?.device ?? null });
    return hit?.device ?? null;
  }

  // ---- sequences -------------------------------------------------------------------------------

  private sequenceDecl(n: SequenceNode, out: PciSequence[]): void {
    const at = this.attrs(n.attributes, 'sequence');
    const start = (this.choice(at.get('start'), 'start state', ['programmed', 'reset']) ?? 'programmed') as 'programmed' | 'reset';
    const onAttr = at.get('on');
    const target = onAttr?.value?.kind === 'Bdf' && onAttr.value.valid ? this.onTarget(onAttr.value) : undefined;
    const name = n.name.missing ? `(sequence ${out.length + 1})` : n.name.text;
    const seq: PciSequence = { name, target, start, steps: [], span: n.span };
    const prev = this.sequenceSyms.find((s) => s.sequence.name === name);
    if (prev && !n.name.missing) this.report('MR2036', n.name.span, { what: 'sequence', name, where: '' }, [{ span: prev.nameSpan, message: 'first defined here' }]);
    this.sequenceSyms.push({ sequence: seq, declSpan: n.span, nameSpan: n.name.span });
    const labels = new Map<string, Span>();
    let pending: { name: string; span: Span; at: number } | undefined;
    const steps = seq.steps;
    const push = (s: PciStep) => {
      if (pending) {
        s.label = pending.name;
        this.labels[pending.at] = { ...this.labels[pending.at], step: steps.length };
        pending = undefined;
      }
      steps.push(s);
    };
    const walk = (stmts: readonly StatementNode[], dev: { bus: number; slot: number; func: number } | undefined): void => {
      for (const st of stmts) {
        switch (st.kind) {
          case 'Label': {
            if (st.name.missing) break;
            const first = labels.get(st.name.text);
            if (first) this.report('MR2036', st.name.span, { what: 'label', name: st.name.text, where: ` in sequence '${name}'` }, [{ span: first, message: 'first defined here' }]);
            else labels.set(st.name.text, st.name.span);
            if (pending) this.report('MR2041', pending.span, { name: pending.name });
            pending = { name: st.name.text, span: st.name.span, at: this.labels.length };
            this.labels.push({ sequence: seq, name: st.name.text, nameSpan: st.name.span, step: -1 });
            break;
          }
          case 'ResetStep':
            push({ op: 'reset', span: st.span });
            break;
          case 'OnBlock':
            if (st.body) walk(st.body.statements, st.address.valid ? this.onTarget(st.address) : undefined);
            break;
          case 'ReadStep':
          case 'WriteStep':
          case 'BarStep': {
            if (!dev) {
              this.report('MR2040', { start: st.start, end: st.start + (st.kind === 'BarStep' ? 3 : st.kind === 'ReadStep' ? 4 : 5) });
              break;
            }
            const s = this.step(st, dev);
            if (s) push(s);
            break;
          }
          default:
            break;
        }
      }
    };
    walk(n.body?.statements ?? [], target);
    if (pending) this.report('MR2041', pending.span, { name: pending.name });
    out.push(seq);
  }

  private onTarget(b: BdfNode): { bus: number; slot: number; func: number } {
    if (!this.lookup(b, 'on')) {
      const bus = [...this.byAddress.keys()].some((k) => k >> 8 === b.bus);
      this.report('MR2033', b.span, { dev: bdfString(b.bus, b.slot, b.func), why: bus ? '' : ` (no declared device is on bus ${b.bus.toString(16).padStart(2, '0')})` });
    }
    return { bus: b.bus, slot: b.slot, func: b.func };
  }

  private step(st: StatementNode, dev: { bus: number; slot: number; func: number }): PciStep | undefined {
    if (st.kind === 'BarStep') {
      const bar = this.checked(st.bar, 'BAR index', 6n);
      const addr = this.checked(st.addr, 'BAR address', MAX_U64);
      if (bar === undefined || addr === undefined) return undefined;
      return { op: 'assign', dev, bar: Number(bar), addr, span: st.span };
    }
    if (st.kind !== 'ReadStep' && st.kind !== 'WriteStep') return undefined;
    const offset = this.checked(st.offset, 'config offset', 0xfffn);
    const lenV = this.values.get(st.len);
    let len: AccessLen | undefined;
    if (lenV === 1n || lenV === 2n || lenV === 4n) len = Number(lenV) as AccessLen;
    else if (lenV !== null && lenV !== undefined) this.report('MR2037', st.len.span, { len: this.host.formatValue(lenV) });
    const max = len === undefined ? 0xffffffffn : (1n << BigInt(8 * len)) - 1n;
    const what = `value of a ${len ?? '?'}-byte access`;
    if (st.kind === 'ReadStep') {
      const expect = st.expect ? this.checked(st.expect, what, max) : undefined;
      if (offset === undefined || len === undefined || (st.expect && expect === undefined)) return undefined;
      return { op: 'read', dev, offset: Number(offset), len, expect: expect === undefined ? undefined : Number(expect), span: st.span };
    }
    const value = this.checked(st.value, what, max);
    if (offset === undefined || len === undefined || value === undefined) return undefined;
    return { op: 'write', dev, offset: Number(offset), len, value: Number(value), span: st.span };
  }
}
