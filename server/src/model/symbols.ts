// The symbol index of a build: every region, constant and address-space name and every reference,
// with lookups by offset for the editor features. An index is never changed once returned, so
// what is derived from it (declaration order) is cached per index.
import type { Span } from '../base/span.js';
import type { FileNode, RegionNode, StatementNode } from '../syntax/ast.js';
import type { AddressSpace, Region } from './region.js';
import type { PendingAlias } from './aliases.js';
import type { PciSymbols } from './buildPci.js';

export interface RegionSymbol {
  readonly region: Region;
  readonly node: RegionNode;
  /** The whole statement, body included. */
  readonly declSpan: Span;
  readonly nameSpan: Span;
  /** `id IDENT`, if given. */
  readonly id?: string;
  readonly idSpan?: Span;
}

export type RefRole = 'alias-target' | 'root' | 'path' | 'pci';

/** One name inside a reference; a path `a/b/c` gives three, the first two with role `path`. */
export interface RegionReference {
  readonly span: Span;
  readonly text: string;
  readonly role: RefRole;
  /** What it resolved to; null when dangling, ambiguous, or missing. */
  readonly target: Region | null;
  /** For an ambiguous reference: every region it could mean. */
  readonly candidates: readonly Region[];
  /** Resolved through an `id` rather than a name. */
  readonly viaId: boolean;
}

export interface ConstantSymbol {
  readonly name: string;
  readonly declSpan: Span;
  readonly nameSpan: Span;
  /** null when the expression had an error. */
  readonly value: bigint | null;
}

export interface ConstantReference {
  readonly span: Span;
  readonly name: string;
  readonly constant: ConstantSymbol | null;
}

export interface SpaceSymbol {
  readonly space: AddressSpace;
  readonly declSpan: Span;
  readonly nameSpan: Span;
  /** The root as written (`a/b`), `none` for `root none` or none written. */
  readonly rootText: string;
}

export interface SymbolIndex {
  /**
   * Indexed by `Region.id`: a symbol object per region, made when first read. Features read
   * one region's symbol, or go through them all, with `decls` instead, which makes none.
   */
  readonly regions: readonly RegionSymbol[];
  /** The declared regions (those with a symbol), read without a symbol object per region. */
  readonly decls: RegionDecls;
  readonly regionRefs: readonly RegionReference[];
  readonly constants: readonly ConstantSymbol[];
  readonly constantRefs: readonly ConstantReference[];
  readonly spaces: readonly SpaceSymbol[];
  /** `id IDENT` handles (the first declaration of each). */
  readonly ids: ReadonlyMap<string, Region>;
  /** Devices, BARs, sequences, labels and initiators (buildPci.ts; `pciSymbolAt` finds them). */
  readonly pci: PciSymbols;
}

export type SymbolAt =
  | { kind: 'region'; region: Region; span: Span; declaration: boolean }
  | { kind: 'constant'; constant: ConstantSymbol; span: Span; declaration: boolean }
  | { kind: 'space'; space: AddressSpace; span: Span; declaration: true };

const inside = (s: Span, o: number): boolean => s.start <= o && o <= s.end;

/** The symbol whose name (declaration or reference) touches `offset`, or null. */
export function symbolAt(index: SymbolIndex, offset: number): SymbolAt | null {
  for (const r of index.regionRefs) {
    if (r.target && inside(r.span, offset)) return { kind: 'region', region: r.target, span: r.span, declaration: false };
  }
  for (const c of index.constantRefs) {
    if (c.constant && inside(c.span, offset)) return { kind: 'constant', constant: c.constant, span: c.span, declaration: false };
  }
  const r = regionDeclarationAt(index, offset);
  if (r) return { kind: 'region', region: r.region, span: r.span, declaration: true };
  for (const c of index.constants) {
    if (inside(c.nameSpan, offset)) return { kind: 'constant', constant: c, span: c.nameSpan, declaration: true };
  }
  for (const s of index.spaces) {
    if (inside(s.nameSpan, offset)) return { kind: 'space', space: s.space, span: s.nameSpan, declaration: true };
  }
  return null;
}

/** Per analysis (an index is never changed once returned): region declarations by position. */
export interface DeclarationOrder {
  /**
   * Name spans come one after the other in region id order (each starts at or after the end
   * of the one before): true for one document's regions, in creation order.
   */
  readonly sorted: boolean;
  /** Regions with an `id IDENT`, in id order. */
  readonly withId: readonly number[];
}
const declarationOrders = new WeakMap<SymbolIndex, DeclarationOrder>();

/**
 * What the builder learnt while creating the regions of an index (Builder.order): the order of
 * their declarations and, when the builder created every region of the machine (no PCI), the
 * aliases among them. Kept so that the first hover after an analysis does not walk every region.
 */
export interface BuiltOrder {
  readonly sorted: boolean;
  readonly withId: readonly number[];
  /** The aliases in id order, or null when the machine has regions the builder did not create. */
  readonly aliases: readonly PendingAlias[] | null;
}
const builtOrders = new WeakMap<SymbolIndex, BuiltOrder>();

/** Records what the builder knows of a fresh index (it equals what a scan of the index finds). */
export function recordOrder(index: SymbolIndex, o: BuiltOrder): void {
  builtOrders.set(index, o);
  declarationOrders.set(index, { sorted: o.sorted, withId: o.withId });
}

/** What the builder recorded for an index (tests compare it with scanDeclarationOrder). */
export function recordedOrder(index: SymbolIndex): BuiltOrder | undefined {
  return builtOrders.get(index);
}

/** The alias regions of an index in id order, when the builder recorded them; else null (scan the machine). */
export function aliasRegions(index: SymbolIndex): Region[] | null {
  const list = builtOrders.get(index)?.aliases;
  return list ? list.map((p) => p.region) : null;
}

function declarationOrder(index: SymbolIndex): DeclarationOrder {
  let o = declarationOrders.get(index);
  if (o) return o;
  o = scanDeclarationOrder(index);
  declarationOrders.set(index, o);
  return o;
}

/** The declaration order found by reading every declared region (what Builder.order must equal). */
export function scanDeclarationOrder(index: SymbolIndex): DeclarationOrder {
  const d = index.decls;
  const withId: number[] = [];
  let sorted = true;
  let prevEnd = -Infinity;
  for (let i = 0; i < d.count; i++) {
    const n = d.region(i).nameSpan!;
    if (n.start < prevEnd) sorted = false;
    prevEnd = n.end;
    if (d.idSpan(i)) withId.push(i);
  }
  return { sorted, withId };
}

/**
 * The first region (lowest id) whose non-empty name or whose id touches `offset`, with that
 * span: the linear search in id order, done by binary search when names follow each other.
 */
function regionDeclarationAt(index: SymbolIndex, offset: number): { region: Region; span: Span } | null {
  const d = index.decls;
  const o = declarationOrder(index);
  let best = -1;
  let bestSpan: Span | null = null;
  if (!o.sorted) {
    for (let i = 0; i < d.count; i++) {
      const r = d.region(i);
      const n = r.nameSpan!;
      if (inside(n, offset) && n.end > n.start) return { region: r, span: n };
      const idSpan = d.idSpan(i);
      if (idSpan && inside(idSpan, offset)) return { region: r, span: idSpan };
    }
    return null;
  }
  // Names starting at or before `offset` are a prefix [0, p); their ends ascend too, so those
  // reaching `offset` are a suffix of it: the first non-empty one there is the answer.
  let lo = 0;
  let hi = d.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (d.region(mid).nameSpan!.start <= offset) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0; i--) {
    const n = d.region(i).nameSpan!;
    if (n.end < offset) break;
    if (n.end > n.start) {
      best = i;
      bestSpan = n;
    }
  }
  for (const i of o.withId) {
    if (best >= 0 && i >= best) break;
    if (inside(d.idSpan(i)!, offset)) {
      best = i;
      bestSpan = d.idSpan(i)!;
      break;
    }
  }
  return best < 0 ? null : { region: d.region(best), span: bestSpan! };
}

/**
 * The ids of the declared regions whose name span meets `[start, end]` (touching counts), in id
 * order: by binary search when names follow each other (one document's regions), else by
 * reading every declared region.
 */
export function declaredRegionsMeeting(index: SymbolIndex, start: number, end: number): number[] {
  const d = index.decls;
  const out: number[] = [];
  if (!declarationOrder(index).sorted) {
    for (let i = 0; i < d.count; i++) {
      const n = d.region(i).nameSpan!;
      if (n.end >= start && n.start <= end) out.push(i);
    }
    return out;
  }
  // Sorted: name starts and ends both ascend, so the names ending at or after `start` are a
  // suffix; of those, the ones starting at or before `end` are a prefix.
  let lo = 0;
  let hi = d.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (d.region(mid).nameSpan!.end < start) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < d.count && d.region(i).nameSpan!.start <= end; i++) out.push(i);
  return out;
}

/** Every reference span that resolved to `region`. */
export function referencesTo(index: SymbolIndex, region: Region): Span[] {
  return index.regionRefs.filter((r) => r.target === region).map((r) => r.span);
}

// ---- Region symbols ----------------------------------------------------------------------

/**
 * The syntax node of each region statement, by `Region.id`: region statements in the order the
 * builder meets them (preorder through region bodies) are the regions in creation order.
 */
export interface RegionNodes {
  node(id: number): RegionNode;
}

/** The region statements of `file` in creation order, collected on first use. */
export function treeNodes(file: FileNode): RegionNodes {
  let list: RegionNode[] | undefined;
  return {
    node(id: number): RegionNode {
      if (!list) {
        list = [];
        const todo: StatementNode[] = file.statements.slice().reverse();
        while (todo.length > 0) {
          const st = todo.pop()!;
          if (st.kind !== 'Region') continue;
          list.push(st);
          if (st.body) for (let i = st.body.statements.length - 1; i >= 0; i--) todo.push(st.body.statements[i]);
        }
      }
      return list[id];
    },
  };
}

/** An `id IDENT` of a region: the name and where it is written. */
export interface RegionHandle {
  readonly id: string;
  readonly span: Span;
}

/**
 * The regions the region statements of a build declared, ids 0 .. count-1 of its machine (the
 * machine's regions after them, if any, are PCI's): their symbols are made when asked for, so
 * that a large machine has no symbol object per region.
 */
export class RegionDecls {
  private all: RegionSymbol[] | undefined;
  constructor(
    /** The machine's regions (at least `count`). */
    private readonly regions: readonly Region[],
    readonly count: number,
    private readonly nodes: RegionNodes,
    /** The regions with an `id IDENT`. */
    private readonly handles: ReadonlyMap<Region, RegionHandle>,
  ) {}
  /** The declared region `id` (0 <= id < count). */
  region(id: number): Region {
    return this.regions[id];
  }
  /** The statement that declared region `id` (from a tree parsed when first needed). */
  node(id: number): RegionNode {
    return this.nodes.node(id);
  }
  /** The span of region `id`'s `id IDENT`, if it has one. */
  idSpan(id: number): Span | undefined {
    return this.handles.size === 0 ? undefined : this.handles.get(this.regions[id])?.span;
  }
  /** A symbol for region `id`, or undefined when no statement declared it. */
  symbol(id: number): RegionSymbol | undefined {
    if (!Number.isInteger(id) || id < 0 || id >= this.count) return undefined;
    const r = this.regions[id];
    const h = this.handles.size === 0 ? undefined : this.handles.get(r);
    return h ? new RegionSymWithId(r, this.nodes, h.id, h.span) : new RegionSym(r, this.nodes);
  }
  /** Every symbol, in id order (made once). */
  symbols(): RegionSymbol[] {
    if (this.all) return this.all;
    const out: RegionSymbol[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.symbol(i)!);
    return (this.all = out);
  }
}

/**
 * A region symbol whose syntax node is looked up when asked for (see RegionNodes). Its spans are
 * read from the region (which moves them after an edit), so a symbol is two fields; few regions
 * have an `id`.
 */
export class RegionSym implements RegionSymbol {
  constructor(
    readonly region: Region,
    private readonly nodes: RegionNodes,
  ) {}
  get nameSpan(): Span {
    return this.region.nameSpan!;
  }
  /** The name until the statement ends (its body may follow its header), then the statement. */
  get declSpan(): Span {
    return this.region.span ?? this.region.nameSpan!;
  }
  get id(): string | undefined {
    return undefined;
  }
  get idSpan(): Span | undefined {
    return undefined;
  }
  get node(): RegionNode {
    return this.nodes.node(this.region.id);
  }
}

/** A region symbol with an `id IDENT`. */
export class RegionSymWithId extends RegionSym {
  constructor(
    region: Region,
    nodes: RegionNodes,
    private readonly idText: string,
    private readonly idSpanOf: Span,
  ) {
    super(region, nodes);
  }
  override get id(): string {
    return this.idText;
  }
  override get idSpan(): Span {
    return this.idSpanOf;
  }
}
