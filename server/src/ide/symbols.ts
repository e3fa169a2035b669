// Document symbols (outline): address spaces, constants and regions with their subregions
// (PCI hosts, devices, BARs, initiators and sequences: pciSymbols.ts),
// straight from the syntax tree so the outline survives any semantic error.
import type { RegionNode, StatementNode } from '../syntax/ast.js';
import type { Analysis } from './analysis.js';
import { humanSize } from './format.js';
import { pciSymbol } from './pciSymbols.js';
import type { IdeSymbol } from './types.js';

/**
 * The outline, breadth first within `limit` symbols: a huge machine (100k regions) shows its
 * upper levels whole and as many of the deeper ones as fit, instead of a reply of megabytes
 * that an editor re-reads after every change. The children of a symbol are kept in
 * document order; `truncated` says whether some were left out.
 */
export function outline(a: Analysis, limit = Infinity): { symbols: IdeSymbol[]; truncated: boolean } {
  const sizes = new Map<RegionNode, bigint>();
  for (const s of a.index.regions) sizes.set(s.node, s.region.size);
  const symbolOf = (st: StatementNode): IdeSymbol | null => {
    switch (st.kind) {
      case 'Const':
        return st.name.missing ? null : { name: st.name.text, kind: 'const', span: st.span, selection: st.name.span, children: [] };
      case 'AddressSpace': {
        if (st.name.missing) return null;
        const root = st.root ? st.root.segments.map((x) => x.text).join('/') : 'none';
        return { name: st.name.text, detail: `address space, root ${root}`, kind: 'space', span: st.span, selection: st.name.span, children: [] };
      }
      case 'Region': {
        const size = sizes.get(st);
        return {
          name: st.name.missing ? '(unnamed)' : st.name.text,
          detail: `${st.keyword}${size !== undefined ? ` · ${humanSize(size)}` : ''}`,
          kind: st.regionKind === 'container' ? 'container' : st.regionKind === 'alias' ? 'alias' : 'region',
          span: st.span,
          selection: st.name.span,
          children: [],
        };
      }
      default:
        return pciSymbol(a, st);
    }
  };
  const symbols: IdeSymbol[] = [];
  let left = limit;
  let truncated = false;
  const queue: { stmts: readonly StatementNode[]; out: IdeSymbol[] }[] = [{ stmts: a.file.statements, out: symbols }];
  for (let q = 0; q < queue.length; q++) {
    const { stmts, out } = queue[q];
    for (const st of stmts) {
      const sym = symbolOf(st);
      if (!sym) continue;
      const n = count(sym);
      if (n > left) {
        truncated = true;
        return { symbols, truncated };
      }
      left -= n;
      out.push(sym);
      if (st.kind === 'Region' && st.body) queue.push({ stmts: st.body.statements, out: sym.children as IdeSymbol[] });
    }
  }
  return { symbols, truncated };
}

/** The whole outline. */
export function documentSymbols(a: Analysis): IdeSymbol[] {
  return outline(a).symbols;
}

/** Symbols in a subtree (a PCI statement's comes whole). */
function count(s: IdeSymbol): number {
  let n = 1;
  for (const c of s.children) n += count(c);
  return n;
}
