// Go to definition, find references, highlights and rename, from the builder's symbol index:
// regions (by name or by `id`), constants, address spaces and PCI device addresses. Rename
// refuses what would change the meaning of the file (a name that becomes ambiguous, an invalid
// name).
import type { Span } from '../base/span.js';
import { symbolAt, type SymbolAt } from '../model/build.js';
import { deviceDeclaration, pciSymbolAt } from '../model/buildPci.js';
import { keywordText } from '../syntax/scanner.js';
import type { Analysis } from './analysis.js';
import type { IdeRename } from './types.js';

/** Declaration span(s) of the symbol at `offset`. */
export function definition(a: Analysis, offset: number): Span[] {
  // An include's path: the start of the file (a span in it; `a.includes.locate` places it).
  const linked = a.includes ? a.includes.linkAt(offset) : -1;
  if (linked >= 0) {
    const base = a.includes!.files[linked].base;
    return [{ start: base, end: base }];
  }
  const sym = symbolAt(a.index, offset);
  if (!sym) {
    // A device address (`on 01:10.0`, `devices 01:10.0`) goes to the device's declaration.
    const p = pciSymbolAt(a.index.pci, offset);
    if (p?.kind === 'device') {
      const d = deviceDeclaration(a.index.pci, p.device);
      return d ? [d.addressSpan] : [];
    }
    // An ambiguous reference: offer every candidate.
    const ref = a.index.regionRefs.find((r) => r.span.start <= offset && offset <= r.span.end);
    return ref ? ref.candidates.flatMap((c) => declOf(a, c.id) ?? []) : [];
  }
  switch (sym.kind) {
    case 'region': {
      const d = a.index.decls.symbol(sym.region.id);
      // A reference through an `id` goes to the `id`, a name to the name.
      const viaId = !sym.declaration && a.index.regionRefs.some((r) => r.span.start === sym.span.start && r.viaId);
      return d ? [viaId && d.idSpan ? d.idSpan : d.nameSpan] : [];
    }
    case 'constant':
      return [sym.constant.nameSpan];
    case 'space': {
      const s = a.index.spaces.find((x) => x.space === sym.space);
      return s ? [s.nameSpan] : [];
    }
  }
}

function declOf(a: Analysis, id: number): Span | undefined {
  return a.index.decls.symbol(id)?.nameSpan;
}

/** Every occurrence of the symbol at `offset`, in text order. */
export function references(a: Analysis, offset: number, includeDeclaration: boolean): Span[] {
  const sym = symbolAt(a.index, offset);
  if (!sym) {
    // A device: its declared address and every `on` / `devices` naming it.
    const p = pciSymbolAt(a.index.pci, offset);
    if (p?.kind !== 'device') return [];
    const d = deviceDeclaration(a.index.pci, p.device);
    const refs = a.index.pci.deviceRefs.filter((r) => r.device === p.device).map((r) => r.span);
    return [...(includeDeclaration && d ? [d.addressSpan] : []), ...refs].sort((x, y) => x.start - y.start);
  }
  return occurrences(a, sym)
    .filter((o) => includeDeclaration || !o.declaration)
    .map((o) => o.span);
}

/** An occurrence of a symbol in the document, for highlighting: a declaration, or a use of it. */
export interface IdeHighlight {
  readonly span: Span;
  readonly declaration: boolean;
}

/**
 * The occurrences in this document of the symbol at `offset`: a region's name and `id` where it
 * is declared and every reference to it (by name, path or id), a constant's, a space's, a
 * device's address. Only that symbol's: another region of the same name, in another container,
 * is not one of them. Occurrences in included files are not in this document.
 */
export function highlights(a: Analysis, offset: number): IdeHighlight[] {
  const here = (s: Span) => s.end > s.start && s.end <= a.text.length;
  const sym = symbolAt(a.index, offset);
  if (sym) return occurrences(a, sym).filter((o) => here(o.span)).map((o) => ({ span: o.span, declaration: o.declaration }));
  const p = pciSymbolAt(a.index.pci, offset);
  if (p?.kind !== 'device') return [];
  const d = deviceDeclaration(a.index.pci, p.device);
  const out: IdeHighlight[] = d ? [{ span: d.addressSpan, declaration: true }] : [];
  for (const r of a.index.pci.deviceRefs) if (r.device === p.device) out.push({ span: r.span, declaration: false });
  return out.filter((o) => here(o.span)).sort((x, y) => x.span.start - y.span.start);
}

interface Occurrence {
  span: Span;
  declaration: boolean;
  /** The occurrence spells the region's `id`, not its name. */
  isId: boolean;
}

function occurrences(a: Analysis, sym: SymbolAt): Occurrence[] {
  const out: Occurrence[] = [];
  switch (sym.kind) {
    case 'region': {
      const d = a.index.decls.symbol(sym.region.id);
      if (d) {
        out.push({ span: d.nameSpan, declaration: true, isId: false });
        if (d.idSpan) out.push({ span: d.idSpan, declaration: true, isId: true });
      }
      for (const r of a.index.regionRefs) if (r.target === sym.region) out.push({ span: r.span, declaration: false, isId: r.viaId });
      break;
    }
    case 'constant':
      out.push({ span: sym.constant.nameSpan, declaration: true, isId: false });
      for (const c of a.index.constantRefs) if (c.constant === sym.constant) out.push({ span: c.span, declaration: false, isId: false });
      break;
    case 'space': {
      const s = a.index.spaces.find((x) => x.space === sym.space);
      if (s) out.push({ span: s.nameSpan, declaration: true, isId: false });
      break;
    }
  }
  return out.sort((x, y) => x.span.start - y.span.start);
}

/** The span and current text of what a rename at `offset` would change. */
export function prepareRename(a: Analysis, offset: number): { span: Span; placeholder: string } | null {
  const sym = symbolAt(a.index, offset);
  if (!sym) return null;
  const text = a.text.slice(sym.span.start, sym.span.end);
  return { span: sym.span, placeholder: unquote(text) };
}

const bareName = /^[A-Za-z_.$@][A-Za-z0-9_.$@:-]*$/;
const keywords = new Set(keywordText.filter((k) => k !== ''));

function unquote(t: string): string {
  return t.startsWith('"') && t.endsWith('"') && t.length >= 2 ? t.slice(1, -1).replace(/\\(["\\])/g, '$1') : t;
}

function spell(name: string): string {
  return bareName.test(name) && !keywords.has(name) ? name : `"${name.replace(/[\\"]/g, (c) => '\\' + c)}"`;
}

export function rename(a: Analysis, offset: number, newName: string): IdeRename {
  const sym = symbolAt(a.index, offset);
  if (!sym) return { ok: false, reason: 'there is no region, constant or address space here' };
  newName = unquote(newName.trim());
  if (newName.length === 0) return { ok: false, reason: 'the new name is empty' };
  const occ = occurrences(a, sym);
  // Edits apply to this document only; an included file is not changed behind the user's back.
  if (occ.some((o) => o.span.end > a.text.length)) {
    return { ok: false, reason: `'${a.text.slice(sym.span.start, sym.span.end)}' is also declared or used in an included file` };
  }
  if (sym.kind === 'constant') {
    // Constants are bare words only.
    if (!bareName.test(newName) || keywords.has(newName)) return { ok: false, reason: `'${newName}' is not a valid constant name` };
    if (a.index.constants.some((c) => c.name === newName && c !== sym.constant)) {
      return { ok: false, reason: `a constant '${newName}' already exists` };
    }
    return { ok: true, edits: occ.map((o) => ({ span: o.span, text: newName })) };
  }
  if (sym.kind === 'space') return { ok: true, edits: occ.map((o) => ({ span: o.span, text: spell(newName) })) };
  // A region: rename its id if the rename started on the id (or a reference through it),
  // else its name; references spelled the other way stay as they are.
  const onId = occ.some((o) => o.isId && o.span.start === sym.span.start);
  if (onId) {
    if (!bareName.test(newName)) return { ok: false, reason: `'${newName}' is not a valid id` };
    const owner = a.index.ids.get(newName);
    if (owner && owner !== sym.region) return { ok: false, reason: `the id '${newName}' is already used` };
    return { ok: true, edits: occ.filter((o) => o.isId).map((o) => ({ span: o.span, text: newName })) };
  }
  let clash = false;
  for (let i = 0, d = a.index.decls; i < d.count && !clash; i++) clash = d.region(i) !== sym.region && d.region(i).name === newName;
  if (clash && occ.some((o) => !o.declaration && !o.isId)) {
    return { ok: false, reason: `another region is already named '${newName}': references by name would become ambiguous` };
  }
  return { ok: true, edits: occ.filter((o) => !o.isId).map((o) => ({ span: o.span, text: spell(newName) })) };
}

/** The document's include paths that name a file read, with that file's path (document links). */
export function includeLinks(a: Analysis): { span: Span; path: string }[] {
  if (!a.includes) return [];
  return a.includes.links
    .filter((l) => l.span.end <= a.text.length)
    .map((l) => ({ span: l.span, path: a.includes!.files[l.file].path }));
}

/**
 * The path being typed in `include "…` at `offset` (from the line's text, so it works while the
 * string is still open): what is typed so far and the span of its last segment (after the last
 * '/'), which a file-name completion replaces. Null elsewhere.
 */
export function includePathAt(text: string, offset: number): { typed: string; replace: Span } | null {
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  const m = /^[ \t]*include[ \t]+"([^"\\]*)$/.exec(text.slice(lineStart, offset));
  if (!m) return null;
  const typed = m[1];
  return { typed, replace: { start: offset - typed.length + typed.lastIndexOf('/') + 1, end: offset } };
}
