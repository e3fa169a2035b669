// PCI topology + steps → .mrd text (docs/pci.md), the output of `mrd import-trace`. Parsing
// the text gives back the same model: host bridges with their bus containers (emitted as
// top-level regions), devices and bridges in realize order with their BARs and windows,
// initiators, and the steps as one sequence grouped into `on bb:ss.f { … }` blocks.
import {
  NUM_BARS, type PciBar, type PciBus, type PciDevice, type PciStep, type PciTopology, ROM_SLOT, bdfString, declaredBdf,
} from '../model/pci.js';
import type { Region } from '../model/region.js';
import { hexNumber, quoteName, sizeText } from './emit.js';

/** PCI words that would be read as keywords or attributes where a name stands. */
const PCI_WORDS = new Set([
  'pci-host', 'bridge', 'device', 'cpu', 'sequence', 'window', 'bar', 'read', 'write', 'label', 'reset',
  'mem', 'allow-0', 'bus', 'model', 'express', 'vendor-id', 'device-id', 'class', 'command', 'realize-command',
  'serr', 'secondary', 'subordinate', 'primary', 'root-port', 'phys-bits', 'aw-bits', 'start', 'expect',
  'devices', 'all', 'limit', 'name', 'prefetchable', 'region', 'x-vga',
]);

export function pciName(name: string): string {
  const q = quoteName(name);
  return q === name && PCI_WORDS.has(name) ? `"${name}"` : q;
}

const hex = (v: number | bigint) => '0x' + v.toString(16);

export interface EmitPciOptions {
  /** Comment lines for the top (without `#`). */
  header?: string[];
  sequenceName?: string;
  start?: 'reset' | 'programmed';
}

export function emitPci(t: PciTopology, steps: readonly PciStep[], opts: EmitPciOptions = {}): string {
  const out: string[] = [];
  for (const h of opts.header ?? []) out.push(h ? `# ${h}` : '#');
  if (out.length) out.push('');

  // The bus containers BARs land in: declared as top-level regions so `mem`/`io` can name them.
  const regions: Region[] = [];
  for (const h of t.hosts) for (const r of [h.bus.mem, h.bus.io]) if (!regions.includes(r)) regions.push(r);
  for (const r of regions) out.push(`${r.kind} ${pciName(r.name)} size ${sizeText(r.size)}`);
  if (regions.length) out.push('');

  // BAR regions that are not the default `<device>-barN` ones cannot be named here; the
  // importers only make default ones.
  for (const h of t.hosts) {
    const attrs = [`mem ${pciName(h.bus.mem.name)}`, `io ${pciName(h.bus.io.name)}`];
    if (h.allowZeroAddress) attrs.push('allow-0');
    if (h.bus.rootNumber !== 0) attrs.push(`bus ${h.bus.rootNumber}`);
    out.push(`pci-host ${pciName(h.name)} ${attrs.join(' ')} {`);
    for (const w of h.windows) {
      out.push(`  window ${w.kind} ${hexNumber(w.base)} size ${sizeText(w.size)}${w.name ? ` name ${pciName(w.name)}` : ''}`);
    }
    emitBus(h.bus, 1, out);
    out.push('}');
  }

  for (const i of t.initiators) {
    if (i.kind === 'cpu') out.push('', `cpu ${pciName(i.name)} phys-bits ${i.physBits}`);
    else {
      const devs = i.devices === 'all' ? 'all' : i.devices.map(declaredBdf).join(' ');
      out.push('', `iommu ${pciName(i.name)} aw-bits ${i.awBits}${i.model ? ` model ${pciName(i.model)}` : ''} { devices ${devs} }`);
    }
  }

  if (steps.length) {
    out.push('', `sequence ${pciName(opts.sequenceName ?? 'trace')} start ${opts.start ?? 'reset'} {`);
    let cur = '';
    for (const s of steps) {
      if (s.op === 'reset') {
        if (cur) out.push('  }');
        cur = '';
        out.push('  reset');
        continue;
      }
      const dev = bdfString(s.dev.bus, s.dev.slot, s.dev.func);
      if (dev !== cur) {
        if (cur) out.push('  }');
        out.push(`  on ${dev} {`);
        cur = dev;
      }
      if (s.label) out.push(`    label ${pciName(s.label)}`);
      if (s.op === 'read') out.push(`    read ${hex(s.offset)} ${s.len}${s.expect !== undefined ? ` expect ${hex(s.expect)}` : ''}`);
      else if (s.op === 'write') out.push(`    write ${hex(s.offset)} ${s.len} ${hex(s.value)}`);
      else out.push(`    bar ${s.bar} at ${hexNumber(s.addr)}`);
    }
    if (cur) out.push('  }');
    out.push('}');
  }
  return out.join('\n') + '\n';
}


function emitBus(bus: PciBus, depth: number, out: string[]): void {
  // Realize order is topology order; a bus lists its devices in that order too.
  const devs = [...bus.devices.values()].sort((a, b) => a.index - b.index);
  for (const d of devs) emitDevice(d, depth, out);
}

function emitDevice(d: PciDevice, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const br = d.bridge;
  const attrs: string[] = [];
  if (d.model) attrs.push(`model ${pciName(d.model)}`);
  if (d.configSize === 4096 || br?.expressSecondary) attrs.push('express');
  if (br?.resetDisablesWindows) attrs.push('root-port');
  if (d.vendorId !== undefined) attrs.push(`vendor-id ${hex(d.vendorId)}`);
  if (d.deviceId !== undefined) attrs.push(`device-id ${hex(d.deviceId)}`);
  if (d.classCode !== undefined) attrs.push(`class ${hex(d.classCode)}`);
  if (br?.primaryBus !== undefined) attrs.push(`primary ${br.primaryBus}`);
  if (br?.secondaryBus !== undefined) attrs.push(`secondary ${br.secondaryBus}`);
  if (br?.subordinateBus !== undefined) attrs.push(`subordinate ${br.subordinateBus}`);
  if (d.initialCommand !== undefined) attrs.push(`command ${hex(d.initialCommand)}`);
  if (d.realizeCommand !== undefined) attrs.push(`realize-command ${hex(d.realizeCommand)}`);
  if (!d.serrEnable) attrs.push('serr off');
  const head = `${pad}${br ? 'bridge' : 'device'} ${declaredBdf(d)} ${pciName(d.name)}${attrs.length ? ' ' + attrs.join(' ') : ''}`;
  const body: string[] = [];
  if (br) {
    for (const [kind, r] of [['io', br.ioRange], ['mem', br.memRange], ['pref', br.prefRange]] as const) {
      if (r) body.push(`${pad}  window ${kind} ${hexNumber(r.base)} limit ${hexNumber(r.limit)}`);
    }
  }
  for (let i = 0; i < NUM_BARS; i++) {
    const b = d.bars[i];
    if (b) body.push(pad + '  ' + barLine(b));
  }
  if (br) {
    const before = body.length;
    emitBus(br.secondary, depth + 1, body);
    if (body.length === before && body.length === 0) {
      out.push(head);
      return;
    }
  }
  if (body.length === 0) {
    out.push(head);
    return;
  }
  out.push(head + ' {', ...body, pad + '}');
}

function barLine(b: PciBar): string {
  const at = b.initialAddress !== undefined ? ` at ${hexNumber(b.initialAddress)}` : '';
  if (b.index === ROM_SLOT) return `rom size ${sizeText(b.size)}${at}`;
  return `bar ${b.index} ${b.kind} size ${sizeText(b.size)}${b.prefetchable ? ' prefetchable' : ''}${at}`;
}
