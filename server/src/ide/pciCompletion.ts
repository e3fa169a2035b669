// Completion inside PCI statements: declared device addresses after `on` and in an iommu's
// `devices` list, BAR indexes after `bar` (the BARs a sequence's device has, or the free
// slots of the device being declared), and config offsets after `read`/`write` (COMMAND and
// the BAR registers of the device the step addresses). Context comes from the syntax tree.
import { NUM_BARS, type PciDevice, ROM_SLOT, bdfString } from '../model/pci.js';
import { barOffset } from '../engine/pci/config.js';
import type { StatementNode } from '../syntax/ast.js';
import type { BdfNode } from '../syntax/pciAst.js';
import type { Analysis } from './analysis.js';
import { humanSize } from './format.js';
import { barKindText, barName, declaredBdf, devicesByAddress } from './pciInfo.js';
import type { IdeCompletion } from './types.js';

type Context =
  | { kind: 'sequence'; target: BdfNode | undefined }
  | { kind: 'device'; device: PciDevice }
  | { kind: 'iommu' }
  | { kind: 'none' };

/**
 * Items for a PCI context, or null when the cursor is not in one. `words` are the tokens of
 * the statement before the partial word (after the last brace), `prev` the last of them.
 */
export function pciCompletions(a: Analysis, offset: number, words: readonly string[]): IdeCompletion[] | null {
  const prev = words[words.length - 1];
  const head = words[0];
  const ctx = contextAt(a, offset);
  if (prev === 'on' && (ctx.kind === 'sequence' || words.includes('sequence'))) return deviceItems(a, []);
  if (ctx.kind === 'iommu' && head === 'devices') return deviceItems(a, words.slice(1));
  if (ctx.kind === 'sequence') {
    const dev = ctx.target && devicesByAddress(a).get(bdfString(ctx.target.bus, ctx.target.slot, ctx.target.func));
    if (head === 'bar' && words.length === 1) return dev ? declaredBarItems(dev) : [];
    if ((head === 'read' || head === 'write') && words.length === 1) return dev ? offsetItems(dev) : [];
    return null;
  }
  if (ctx.kind === 'device' && head === 'bar' && words.length === 1) return freeBarItems(ctx.device);
  return null;
}

/** The innermost PCI statement around `offset` that decides what completes. */
function contextAt(a: Analysis, offset: number): Context {
  const inside = (n: { start: number; end: number }) => n.start < offset && offset <= n.end;
  for (const st of a.file.statements) {
    if (!inside(st)) continue;
    if (st.kind === 'Sequence') {
      const on = st.attributes.find((x) => x.kind === 'PciAttr' && x.name === 'on');
      let target = on?.kind === 'PciAttr' && on.value?.kind === 'Bdf' && on.value.valid ? on.value : undefined;
      // An `on BDF { … }` block switches the device for the steps inside it.
      let stmts: readonly StatementNode[] = st.body?.statements ?? [];
      for (let depth = 0; depth < 64; depth++) {
        const block = stmts.find((x) => x.kind === 'OnBlock' && x.body && inside(x.body));
        if (!block || block.kind !== 'OnBlock') break;
        if (block.address.valid) target = block.address;
        stmts = block.body?.statements ?? [];
      }
      return { kind: 'sequence', target };
    }
    if (st.kind === 'IommuInitiator') return { kind: 'iommu' };
    if (st.kind === 'PciHost') {
      // The innermost device or bridge whose body holds the cursor.
      let best: { device: PciDevice; size: number } | undefined;
      for (const d of a.index.pci.devices) {
        const size = d.declSpan.end - d.declSpan.start;
        if (inside(d.declSpan) && (!best || size < best.size)) best = { device: d.device, size };
      }
      return best ? { kind: 'device', device: best.device } : { kind: 'none' };
    }
    return { kind: 'none' };
  }
  return { kind: 'none' };
}

function deviceItems(a: Analysis, already: readonly string[]): IdeCompletion[] {
  const out: IdeCompletion[] = [];
  for (const [bdf, d] of devicesByAddress(a)) {
    if (already.includes(bdf)) continue;
    out.push({
      label: bdf, kind: 'device', sortText: bdf,
      detail: [d.name, d.model, d.headerType === 1 ? 'bridge' : undefined].filter(Boolean).join(' · '),
    });
  }
  return out;
}

/** `bar N at ADDR` in a sequence: the device's declared BARs. */
function declaredBarItems(dev: PciDevice): IdeCompletion[] {
  return dev.bars.flatMap((b) => (b ? [{
    label: String(b.index), kind: 'value' as const, sortText: String(b.index),
    detail: `${barName(b.index)} of ${declaredBdf(dev)} · ${barKindText(b)} · ${humanSize(b.size)}`,
  }] : []));
}

/** `bar N KIND` in a device body: the slots still free (a 64-bit BAR takes the next one too). */
function freeBarItems(dev: PciDevice): IdeCompletion[] {
  const out: IdeCompletion[] = [];
  const last = dev.headerType === 1 ? 1 : 5;
  for (let i = 0; i <= last; i++) {
    if (dev.bars[i] || (i > 0 && dev.bars[i - 1]?.kind === 'mem64')) continue;
    out.push({ label: String(i), kind: 'value', sortText: String(i), detail: `${barName(i)} (free, config offset 0x${barOffset(dev, i).toString(16)})` });
  }
  if (!dev.bars[ROM_SLOT]) out.push({ label: '6 rom', kind: 'value', sortText: '6', detail: 'the expansion ROM (BAR 6)' });
  return out;
}

/** Config offsets a step may name: COMMAND and each BAR register (both dwords of a 64-bit BAR). */
function offsetItems(dev: PciDevice): IdeCompletion[] {
  const out: IdeCompletion[] = [{ label: '0x04', kind: 'value', sortText: '04', detail: 'COMMAND (2 bytes): bit 0 I/O, bit 1 memory, bit 2 bus master' }];
  for (let i = 0; i < NUM_BARS; i++) {
    const b = dev.bars[i];
    if (!b) continue;
    const off = barOffset(dev, i);
    const hex2 = (n: number) => '0x' + n.toString(16).padStart(2, '0');
    const what = `${barName(i)} · ${barKindText(b)} · ${humanSize(b.size)}`;
    out.push({ label: hex2(off), kind: 'value', sortText: hex2(off).slice(2), detail: b.kind === 'mem64' ? `${what} (low dword)` : what });
    if (b.kind === 'mem64') out.push({ label: hex2(off + 4), kind: 'value', sortText: hex2(off + 4).slice(2), detail: `${what} (high dword)` });
  }
  return out;
}
