// Hovers on the PCI side: a device (address, model, BARs where the flat views show them,
// the IOMMU and address space its DMA goes through), a BAR declaration (its absolute window
// in every address space that sees it, why: priority 1 in the bus container, hidden parts),
// a sequence step (each BAR of the device it addresses after the step, COMMAND, and the map
// events it caused), sequences and initiators. Every number comes from the simulation.
import type { PciSymbolAt } from '../model/buildPci.js';
import type { Initiator, PciBar, PciDevice } from '../model/pci.js';
import type { Analysis } from './analysis.js';
import { hex, hexRange, humanSize } from './format.js';
import { placementLines } from './hover.js';
import {
  type BarView, type StepAt, barKindText, barName, commandText, declaredBdf, deviceAfter, deviceShown, iommusOf,
  limitsCrossed, shownStateName, stepEvents, stepName, stepText,
} from './pciInfo.js';
import { placements } from './regionInfo.js';

const code = (s: string): string => '`' + s.replace(/`/g, "'") + '`';
const MAX_SHOWN = 8;

export function pciSymbolHover(a: Analysis, sym: PciSymbolAt): string | null {
  switch (sym.kind) {
    case 'device':
      return deviceHover(a, sym.device);
    case 'bar':
      return barHover(a, sym.device, sym.bar);
    case 'sequence':
      return sequenceHover(a, sym.sequence.name, sym.span.start);
    case 'label':
      return null;
    case 'initiator':
      return initiatorHover(a, sym.initiator);
  }
}

/** `01:10.0 (`nvme0`)`. */
function devLabel(dev: PciDevice, bdf = declaredBdf(dev)): string {
  return `${bdf} (${code(dev.name)})`;
}

/** One BAR's state in a line: `BAR0 mem64, 16 KiB: 0x…..0x…` or `…: unmapped (why)`. */
function barLine(a: Analysis, dev: PciDevice, v: BarView): string {
  const head = `${barName(v.bar.index)} ${barKindText(v.bar)}, ${humanSize(v.bar.size)}`;
  if (v.mapped === undefined) return `${head}: unmapped (${v.why}) · register ${hex(v.value)}`;
  const beyond = limitsCrossed(a, dev, v.mapped, v.bar.size);
  return `${head}: ${hexRange(v.mapped, v.mapped + v.bar.size)}${beyond.length ? ` — **${beyond.join(', ')}**` : ''}`;
}

export function deviceHover(a: Analysis, dev: PciDevice): string {
  const lines: string[] = [];
  const kind = dev.headerType === 1 ? 'bridge' : 'device';
  const facts = [dev.model ? code(dev.model) : undefined, dev.configSize === 4096 ? 'PCI Express' : 'conventional PCI'];
  lines.push(`**${kind}** ${code(dev.name)} — ${declaredBdf(dev)} · ${facts.filter(Boolean).join(' · ')}`);
  const ids: string[] = [];
  if (dev.vendorId !== undefined) ids.push(`vendor ${hex(BigInt(dev.vendorId))}`);
  if (dev.deviceId !== undefined) ids.push(`device ${hex(BigInt(dev.deviceId))}`);
  if (dev.classCode !== undefined) ids.push(`class 0x${dev.classCode.toString(16).padStart(4, '0')}`);
  const where = dev.bus.parent ? `behind bridge ${devLabel(dev.bus.parent)}` : `on the root bus of ${code(dev.bus.host.name)}`;
  lines.push('', [where, ...ids].join(' · '));
  if (dev.bridge) {
    const b = dev.bridge;
    lines.push('', `secondary bus ${b.secondaryBus ?? 0}, subordinate ${b.subordinateBus ?? 0}${b.resetDisablesWindows ? ' · root port' : ''}`);
  }
  const v = deviceShown(a, dev);
  if (v) {
    lines.push('', `${shownStateName(a)}: COMMAND ${commandText(v.command)}`);
    for (const b of v.bars) lines.push(`- ${barLine(a, dev, b)}`);
    for (const w of v.windows ?? []) lines.push(`- window ${w.kind}: ${w.size > 0n ? hexRange(w.base, w.base + w.size) : 'closed'}`);
    if (v.vga) {
      const onOff = (on: boolean) => (on ? 'on' : 'off');
      lines.push(`- legacy VGA${dev.bridge ? ', forwarded' : ''}: memory 0xa_0000..0xb_ffff ${onOff(v.vga.mem)}, I/O 0x3b0..0x3bb and 0x3c0..0x3df ${onOff(v.vga.io)}`);
    }
    if (v.bars.length === 0 && !v.windows && !v.vga) lines.push('- no BARs');
  }
  lines.push('', dmaLine(a, dev));
  return lines.join('\n');
}

/** Behind which IOMMU the device's DMA goes, and into which address space. */
function dmaLine(a: Analysis, dev: PciDevice): string {
  const ms = iommusOf(a, dev);
  // QEMU names a PCI device's bus-master address space after the device (pci_dev->name).
  const own = a.machine.spaces.find((s) => s.name === dev.name || (dev.model !== undefined && s.name === dev.model));
  const space = own ? ` · its bus-master address space ${code(own.name)}` : '';
  if (ms.length > 0) {
    const m = ms.map((x) => `IOMMU ${code(x.name)} (aw-bits ${x.awBits}: DMA addresses up to ${hex((1n << BigInt(x.awBits)) - 1n)})`);
    return `DMA: translated by ${m.join(', ')}${space}`;
  }
  const memory = a.machine.spaces.find((s) => s.name === 'memory');
  const into = memory ? ` into ${code(memory.name)}` : '';
  return `DMA: no IOMMU translates it, bus-master accesses go${into} untranslated${space}`;
}

export function barHover(a: Analysis, dev: PciDevice, index: number): string {
  const bar = dev.bars[index];
  if (!bar) return `**${barName(index)}** of ${devLabel(dev)} — not declared`;
  const lines: string[] = [];
  const v = deviceShown(a, dev)?.bars.find((x) => x.bar === bar);
  const state = shownStateName(a);
  const what = `${barKindText(bar)}, ${humanSize(bar.size)}`;
  const mapped = v?.mapped;
  if (mapped === undefined) {
    lines.push(`**${barName(index)}** of ${devLabel(dev)} — ${what}: unmapped ${state}${v ? ` (${v.why})` : ''}`);
  } else {
    lines.push(`**${barName(index)}** of ${devLabel(dev)}: ${hexRange(mapped, mapped + bar.size)} (${humanSize(bar.size)}), ${barKindText(bar)} — ${state}`);
  }
  const facts: string[] = [];
  if (mapped !== undefined) {
    // R-PCI-5: pci_update_mappings adds the BAR's region to the bus container at priority 1.
    facts.push(`in ${code(busContainer(dev, bar).name)} (${busText(dev)}) at +${hex(mapped)}, priority 1`);
  }
  facts.push(`region ${code(bar.region.name)}`);
  if (bar.initialAddress !== undefined) facts.push(`declared at ${hex(bar.initialAddress)}`);
  if (v) facts.push(`register ${hex(v.value)}`);
  lines.push('', facts.join(' · '));
  if (mapped !== undefined) {
    const beyond = limitsCrossed(a, dev, mapped, bar.size);
    if (beyond.length) lines.push('', `**${beyond.join(', ')}**`);
    const ps = placements(a, bar.region);
    lines.push('');
    if (ps.length === 0) lines.push(`${code(busContainer(dev, bar).name)} is not reachable from any address space: the BAR is not visible.`);
    for (const p of ps.slice(0, MAX_SHOWN)) lines.push(...placementLines(a, bar.region, p), '');
    if (ps.length > MAX_SHOWN) lines.push(`…and ${ps.length - MAX_SHOWN} more placements`);
  }
  return lines.join('\n').trimEnd();
}

function busContainer(dev: PciDevice, bar: PciBar) {
  return bar.kind === 'io' ? dev.bus.io : dev.bus.mem;
}

function busText(dev: PciDevice): string {
  const p = dev.bus.parent;
  if (!p) return `the root bus of ${code(dev.bus.host.name)}`;
  return `bus ${(p.bridge?.secondaryBus ?? 0).toString(16).padStart(2, '0')} behind ${code(p.name)}`;
}

export function stepHover(a: Analysis, s: StepAt): string {
  const { run, index, step } = s;
  const o = run.result.outcomes[index];
  const lines: string[] = [];
  const dev = o && o.device >= 0 ? run.sim.topo.devices[o.device] : undefined;
  const to = step.op === 'reset' ? '' : dev ? ` to ${devLabel(dev, o.dev)}` : '';
  // The step as written (numbers keep the user's spelling), on one line.
  const written = step.span ? a.text.slice(step.span.start, step.span.end).replace(/\s+/g, ' ') : stepText(step);
  lines.push(`**${stepName(s)}** of sequence ${code(run.sequence.name)}: ${code(written)}${to}`);
  if (o?.read && step.op === 'read') {
    let got = '';
    for (let k = step.len - 1; k >= 0; k--) {
      got += ((o.read.known >>> (8 * k)) & 0xff) === 0xff ? ((o.read.value >>> (8 * k)) & 0xff).toString(16).padStart(2, '0') : '??';
    }
    lines.push('', `reads 0x${got}${step.expect !== undefined ? ` (expected 0x${step.expect.toString(16).padStart(2 * step.len, '0')})` : ''}`);
  }
  if (step.op === 'reset') lines.push('', 'system reset: every device reset, every mapped BAR deleted');
  else if (!dev) lines.push('', `no device answers ${o?.absent === 'bus' ? '(no bridge routes that bus number at this moment)' : '(no such function on that bus)'}`);
  else {
    const v = deviceAfter(a, run, dev, index);
    lines.push('', `After it: COMMAND ${commandText(v.command)}`);
    for (const b of v.bars) lines.push(`- ${barLine(a, dev, b)}`);
  }
  const ev = stepEvents(run, index);
  lines.push('');
  if (ev.length === 0) lines.push('No map events.');
  else {
    lines.push('Map events:');
    for (const e of ev.slice(0, MAX_SHOWN)) {
      lines.push(`- ${e.kind} ${barName(e.bar)} of ${e.dev} at ${hexRange(e.addr, e.addr + e.size)}`);
    }
    if (ev.length > MAX_SHOWN) lines.push(`- …and ${ev.length - MAX_SHOWN} more`);
  }
  return lines.join('\n');
}

function sequenceHover(a: Analysis, name: string, at: number): string {
  const run = a.pci?.runs.find((r) => r.sequence.name === name && r.sequence.span && r.sequence.span.start <= at && at <= r.sequence.span.end);
  if (!run) return `**sequence** ${code(name)}`;
  const q = run.sequence;
  const steps = q.steps.length;
  const lines = [`**sequence** ${code(q.name)} — ${steps} step${steps === 1 ? '' : 's'}, start ${q.start}`];
  const ev = run.result.events.length - (run.result.eventStart[0] ?? 0);
  lines.push('', `${ev} map event${ev === 1 ? '' : 's'} over the steps${run === a.pci?.shown ? ' · the flat views show its end' : ''}`);
  return lines.join('\n');
}

function initiatorHover(a: Analysis, i: Initiator): string {
  const fromSetting = a.pci?.model.openWidths.includes(i) ? ' (from the settings)' : '';
  if (i.kind === 'cpu') {
    return `**cpu** ${code(i.name)} — phys-bits ${i.physBits}${fromSetting}: reaches addresses up to ${hex((1n << BigInt(i.physBits)) - 1n)}`;
  }
  const devs = i.devices === 'all' ? 'every device'
    : i.devices.length === 0 ? 'no device' : i.devices.map((d) => devLabel(d)).join(', ');
  return `**iommu** ${code(i.name)} — aw-bits ${i.awBits}${fromSetting}${i.model ? `, model ${code(i.model)}` : ''}: ` +
    `DMA addresses up to ${hex((1n << BigInt(i.awBits)) - 1n)}\n\ntranslates ${devs}`;
}
