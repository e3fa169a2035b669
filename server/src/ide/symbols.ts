// Document symbols (outline): address spaces, constants and regions with their subregions
// (PCI hosts, devices, BARs, initiators and sequences: pciSymbols.ts),
// straight from the syntax tree so the outline survives any semantic error.
import type { RegionNode, StatementNode } from '../syntax/ast.js';
import type { Analysis } from './analysis.js';
import { humanSize } from './format.js';
import { pciSymbol } from './pciSymbols.js';
import type { IdeSymbol } from './types.js';

export function documentSymbols(a: Analysis): IdeSymbol[] {
  const sizes = new Map<RegionNode, bigint>();
  for (const s of a.index.regions) sizes.set(s.node, s.region.size);
  const walk = (stmts: readonly StatementNode[]): IdeSymbol[] => {
    const out: IdeSymbol[] = [];
    for (const st of stmts) {
      switch (st.kind) {
        case 'Const':
          if (!st.name.missing) out.push({ name: st.name.text, kind: 'const', span: st.span, selection: st.name.span, children: [] });
          break;
        case 'AddressSpace':
          if (!st.name.missing) {
            const root = st.root ? st.root.segments.map((x) => x.text).join('/') : 'none';
            out.push({ name: st.name.text, detail: `address space, root ${root}`, kind: 'space', span: st.span, selection: st.name.span, children: [] });
          }
          break;
        case 'Region': {
          const size = sizes.get(st);
          const kind = st.regionKind === 'container' ? 'container' : st.regionKind === 'alias' ? 'alias' : 'region';
          out.push({
            name: st.name.missing ? '(unnamed)' : st.name.text,
            detail: `${st.keyword}${size !== undefined ? ` · ${humanSize(size)}` : ''}`,
            kind,
            span: st.span,
            selection: st.name.span,
            children: st.body ? walk(st.body.statements) : [],
          });
          break;
        }
        default: {
          const p = pciSymbol(a, st);
          if (p) out.push(p);
          break;
        }
      }
    }
    return out;
  };
  return walk(a.file.statements);
}
