// Document symbols (outline): address spaces, constants and regions with their subregions
// (PCI hosts, devices, BARs, initiators and sequences: pciSymbols.ts), from the statements
// as written, so the outline survives any semantic error: the builder's statement outline
// where it suffices, else the syntax tree.
import { type Outline, OutlineKind } from '../model/build.js';
import type { RegionNode, StatementNode } from '../syntax/ast.js';
import { type Analysis, statementOutline } from './analysis.js';
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
  const o = a.pci ? undefined : statementOutline(a);
  return (o && outlineFromStatements(a, o, limit)) ?? outlineFromTree(a, limit);
}

/**
 * The same outline from the builder's statement outline and the model, without a syntax tree
 * (at 100k regions the tree would be parsed again after every edit); null when a statement
 * needs its syntax node (PCI statements: the caller then uses the tree).
 */
function outlineFromStatements(a: Analysis, o: Outline, limit: number): { symbols: IdeSymbol[]; truncated: boolean } | null {
  const text = a.text;
  const consts = new Map(a.index.constants.map((c) => [c.declSpan.start, c]));
  const spaces = new Map(a.index.spaces.map((s) => [s.declSpan.start, s]));
  const regions = a.machine.regions;
  const missing = (sp: { start: number; end: number }) => sp.start === sp.end;
  // undefined: this statement needs the tree.
  const symbolOf = (x: number): IdeSymbol | null | undefined => {
    const start = o.start[x];
    const span = { start, end: o.end[x] };
    if (o.kind[x] === OutlineKind.Region) {
      const r = regions[o.region[x]];
      const nameSpan = r.nameSpan!;
      let k = start;
      while (k < text.length && text.charCodeAt(k) >= 97 && text.charCodeAt(k) <= 122) k++;
      return {
        name: missing(nameSpan) ? '(unnamed)' : r.name,
        detail: `${text.slice(start, k)} · ${humanSize(r.size)}`,
        kind: r.kind === 'container' ? 'container' : r.kind === 'alias' ? 'alias' : 'region',
        span,
        selection: nameSpan,
        children: [],
      };
    }
    if (o.kind[x] === OutlineKind.Error) return null;
    const c = consts.get(start);
    if (c) return { name: c.name, kind: 'const', span, selection: c.nameSpan, children: [] };
    const sp = spaces.get(start);
    if (sp) {
      if (missing(sp.nameSpan)) return null;
      return { name: sp.space.name, detail: `address space, root ${sp.rootText}`, kind: 'space', span, selection: sp.nameSpan, children: [] };
    }
    if (text.startsWith('include', start) || text.startsWith('const', start)) return null;
    return undefined;
  };
  const symbols: IdeSymbol[] = [];
  let left = limit;
  // Entries [from, to) are one body's statements (preorder: a statement's subtree follows it).
  const queue: { from: number; to: number; out: IdeSymbol[] }[] = [{ from: 0, to: o.length, out: symbols }];
  for (let q = 0; q < queue.length; q++) {
    const { from, to, out } = queue[q];
    for (let x = from; x < to; x += o.size[x]) {
      const sym = symbolOf(x);
      if (sym === undefined) return null;
      if (sym === null) continue;
      if (left === 0) return { symbols, truncated: true };
      left--;
      out.push(sym);
      if (o.size[x] > 1) queue.push({ from: x + 1, to: x + o.size[x], out: sym.children as IdeSymbol[] });
    }
  }
  return { symbols, truncated: false };
}

function outlineFromTree(a: Analysis, limit: number): { symbols: IdeSymbol[]; truncated: boolean } {
  const sizes = new Map<RegionNode, bigint>();
  const d = a.index.decls;
  for (let i = 0; i < d.count; i++) sizes.set(d.node(i), d.region(i).size);
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
