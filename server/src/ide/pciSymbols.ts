// Outline entries of the PCI statements: host bridges with their devices and bridges (nested
// by bus), BARs, CPU and IOMMU initiators, sequences with their labels. From the syntax tree,
// like the region outline, so it survives semantic errors; details come from the builder's
// index where it has the statement.
import { ROM_SLOT } from '../model/pci.js';
import type { StatementNode } from '../syntax/ast.js';
import type { CpuNode, IommuInitiatorNode, PciAttributes } from '../syntax/pciAst.js';
import type { Analysis } from './analysis.js';
import { humanSize } from './format.js';
import { barKindText, barName } from './pciInfo.js';
import type { IdeSymbol } from './types.js';

/** The outline entry of a top-level PCI statement, or null for other statements. */
export function pciSymbol(a: Analysis, st: StatementNode): IdeSymbol | null {
  switch (st.kind) {
    case 'PciHost': {
      const mem = attrText(a, st.attributes, 'mem');
      return {
        name: st.name.missing ? '(pci-host)' : st.name.text,
        detail: `pci-host${mem ? ` · mem ${mem}` : ''}`,
        kind: 'pci', span: st.span, selection: st.name.span,
        children: functions(a, st.body?.statements ?? []),
      };
    }
    case 'Cpu':
      return initiator(a, st, 'cpu', 'phys-bits');
    case 'IommuInitiator':
      return initiator(a, st, 'iommu', 'aw-bits');
    case 'Sequence': {
      const q = a.index.pci.sequences.find((x) => x.declSpan.start === st.start)?.sequence;
      const on = attrText(a, st.attributes, 'on');
      const n = q?.steps.length;
      const labels: IdeSymbol[] = a.index.pci.labels
        .filter((l) => l.sequence === q)
        .map((l) => ({
          name: l.name, detail: l.step >= 0 ? `label · step ${l.step + 1}` : 'label',
          kind: 'label', span: l.nameSpan, selection: l.nameSpan, children: [],
        }));
      return {
        name: st.name.missing ? '(sequence)' : st.name.text,
        detail: `sequence${on ? ` on ${on}` : ''}${n !== undefined ? ` · ${n} step${n === 1 ? '' : 's'}` : ''}`,
        kind: 'sequence', span: st.span, selection: st.name.span, children: labels,
      };
    }
    default:
      return null;
  }
}

function initiator(a: Analysis, st: CpuNode | IommuInitiatorNode, what: string, width: string): IdeSymbol {
  const bits = attrText(a, st.attributes, width);
  return {
    name: st.name.missing ? `(${what})` : st.name.text,
    detail: `${what}${bits ? ` · ${width} ${bits}` : ''}`,
    kind: 'pci', span: st.span, selection: st.name.span, children: [],
  };
}

/** Devices and bridges of a bus body, bridges with their secondary bus inside. */
function functions(a: Analysis, stmts: readonly StatementNode[]): IdeSymbol[] {
  const out: IdeSymbol[] = [];
  for (const st of stmts) {
    if (st.kind !== 'PciFunction') continue;
    const addr = st.address.missing ? '' : a.text.slice(st.address.start, st.address.end);
    const model = attrText(a, st.attributes, 'model');
    const body = st.body?.statements ?? [];
    out.push({
      name: st.name.missing ? addr || `(${st.keyword})` : st.name.text,
      detail: [`${st.keyword} ${addr}`.trim(), model].filter(Boolean).join(' · '),
      kind: 'pci',
      span: st.span,
      selection: st.name.missing ? st.address.span : st.name.span,
      children: [...bars(a, body), ...(st.keyword === 'bridge' ? functions(a, body) : [])],
    });
  }
  return out;
}

function bars(a: Analysis, stmts: readonly StatementNode[]): IdeSymbol[] {
  const out: IdeSymbol[] = [];
  for (const st of stmts) {
    if (st.kind !== 'PciBar') continue;
    const sym = a.index.pci.bars.find((b) => b.declSpan.start === st.start);
    const bar = sym?.device.bars[sym.bar];
    const index = st.keyword === 'rom' ? ROM_SLOT : sym?.bar;
    const written = st.index ? a.text.slice(st.index.start, st.index.end) : '';
    out.push({
      name: index !== undefined ? barName(index) : `BAR${written}`,
      detail: bar ? `${barKindText(bar)} · ${humanSize(bar.size)}` : st.barKind?.text ?? st.keyword,
      kind: 'bar',
      span: st.span,
      selection: sym?.keywordSpan ?? { start: st.start, end: st.index?.end ?? st.start + 3 },
      children: [],
    });
  }
  return out;
}

/** The written value of attribute `name`, or undefined. */
function attrText(a: Analysis, attrs: PciAttributes, name: string): string | undefined {
  for (const x of attrs) {
    if (x.kind === 'PciAttr' && x.name === name && x.value) return a.text.slice(x.value.start, x.value.end);
  }
  return undefined;
}
