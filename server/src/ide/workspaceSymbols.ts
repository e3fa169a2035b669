// Workspace symbols: the outline of each document given (the open ones; the language server
// adds the workspace's closed files, lsp/workspaceFiles.ts) flattened to regions, constants,
// address spaces and PCI hosts/devices, filtered by a fuzzy query (the query's characters in
// order, case-insensitive), as editors expect of `workspace/symbol`.
import type { Analysis } from './analysis.js';
import { documentSymbols } from './symbols.js';
import type { IdeSymbol, IdeSymbolKind } from './types.js';

export interface IdeWorkspaceSymbol {
  readonly name: string;
  readonly kind: IdeSymbolKind;
  /** The enclosing outline entry's name (container, host bridge), if any. */
  readonly container?: string;
  /** The document and the name's span in it. */
  readonly uri: string;
  readonly span: IdeSymbol['selection'];
}

const wanted = new Set<IdeSymbolKind>(['region', 'container', 'alias', 'space', 'const', 'pci']);

/** True if `query`'s characters occur in `name` in order (an empty query matches all). */
export function fuzzyMatch(query: string, name: string): boolean {
  const q = query.toLowerCase();
  const n = name.toLowerCase();
  let j = 0;
  for (let i = 0; i < n.length && j < q.length; i++) if (n[i] === q[j]) j++;
  return j === q.length;
}

export function workspaceSymbols(
  docs: Iterable<{ readonly uri: string; readonly analysis: Analysis }>, query: string, limit = 1000,
): IdeWorkspaceSymbol[] {
  const out: IdeWorkspaceSymbol[] = [];
  for (const d of docs) {
    // Iterative walk: outlines nest as deep as the document does.
    const stack: { s: IdeSymbol; container?: string }[] =
      documentSymbols(d.analysis).map((s) => ({ s })).reverse();
    while (stack.length > 0 && out.length < limit) {
      const { s, container } = stack.pop()!;
      if (wanted.has(s.kind) && fuzzyMatch(query, s.name)) {
        out.push({ name: s.name, kind: s.kind, container, uri: d.uri, span: s.selection });
      }
      for (let i = s.children.length - 1; i >= 0; i--) stack.push({ s: s.children[i], container: s.name });
    }
  }
  return out;
}
