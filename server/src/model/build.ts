// Syntax tree → Machine. Evaluates constants and expressions exactly (bigint, range-checked,
// never wrapped), creates regions in statement order and adds subregions in statement order
// (so QEMU's list order, R-ORD-1/2, falls out of addSubregion), then resolves references,
// breaks alias cycles (the engine may follow aliases without a guard) and fills alias sizes.
// Every name and reference is recorded in a SymbolIndex for the editor features.
import type { Diagnostic, RelatedInfo } from '../base/diagnostic.js';
import { diag } from '../base/catalog/index.js';
import type { Span } from '../base/span.js';
import type {
  AddressSpaceNode,
  AttributeNode,
  ConstNode,
  ErrorNode,
  ExprNode,
  FileNode,
  NameNode,
  RefNode,
  RegionNode,
  StatementNode,
} from '../syntax/ast.js';
import type { StatementSink } from '../syntax/parser.js';
import { type AddressSpace, type Machine, type Region, MAX_U64, TWO_64, addSubregion, createRegion, newMachine, ownChildren } from './region.js';
import { isPciStatement } from '../syntax/pciAst.js';
import { PciBuilder, type PciModel, type PciSymbols } from './buildPci.js';
import type { Includes } from './include.js';

// ---- The symbol index ----------------------------------------------------------------------

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
}

export interface SymbolIndex {
  /** Indexed by `Region.id`. */
  readonly regions: readonly RegionSymbol[];
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

/** The declaration order found by reading every region symbol (what Builder.order must equal). */
export function scanDeclarationOrder(index: SymbolIndex): DeclarationOrder {
  const rs = index.regions;
  const withId: number[] = [];
  let sorted = true;
  let prevEnd = -Infinity;
  for (let i = 0; i < rs.length; i++) {
    const n = rs[i].region.nameSpan!;
    if (n.start < prevEnd) sorted = false;
    prevEnd = n.end;
    if (rs[i].idSpan) withId.push(i);
  }
  return { sorted, withId };
}

/**
 * The first region (lowest id) whose non-empty name or whose id touches `offset`, with that
 * span: the linear search in id order, done by binary search when names follow each other.
 */
function regionDeclarationAt(index: SymbolIndex, offset: number): { region: Region; span: Span } | null {
  const rs = index.regions;
  const o = declarationOrder(index);
  let best = -1;
  let bestSpan: Span | null = null;
  if (!o.sorted) {
    for (let i = 0; i < rs.length; i++) {
      const r = rs[i];
      if (inside(r.nameSpan, offset) && r.nameSpan.end > r.nameSpan.start) return { region: r.region, span: r.nameSpan };
      if (r.idSpan && inside(r.idSpan, offset)) return { region: r.region, span: r.idSpan };
    }
    return null;
  }
  // Names starting at or before `offset` are a prefix [0, p); their ends ascend too, so those
  // reaching `offset` are a suffix of it: the first non-empty one there is the answer.
  let lo = 0;
  let hi = rs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rs[mid].nameSpan.start <= offset) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0 && rs[i].nameSpan.end >= offset; i--) {
    const n = rs[i].nameSpan;
    if (n.end > n.start) {
      best = i;
      bestSpan = n;
    }
  }
  for (const i of o.withId) {
    if (best >= 0 && i >= best) break;
    if (inside(rs[i].idSpan!, offset)) {
      best = i;
      bestSpan = rs[i].idSpan!;
      break;
    }
  }
  return best < 0 ? null : { region: rs[best].region, span: bestSpan! };
}

/** Every reference span that resolved to `region`. */
export function referencesTo(index: SymbolIndex, region: Region): Span[] {
  return index.regionRefs.filter((r) => r.target === region).map((r) => r.span);
}

// ---- Values ------------------------------------------------------------------------------

/** Intermediate values are bounded so that `2^2^40` cannot exhaust memory. */
const MAX_BITS = 4096;
const LITERAL_LIMIT = 1n << BigInt(MAX_BITS);
const I32_MIN = -(1n << 31n);
const I32_MAX = (1n << 31n) - 1n;

function bitLength(v: bigint): number {
  if (v < 0n) v = -v;
  return v === 0n ? 0 : v.toString(16).length * 4;
}

/** Decimal below 64K, otherwise hex in groups of four (`0xffff_ffff_febe_0000`). */
export function formatValue(v: bigint): string {
  if (v < 0n) return '-' + formatValue(-v);
  if (v < 0x10000n) return v.toString();
  const h = v.toString(16);
  let out = '';
  for (let i = h.length; i > 0; i -= 4) out = h.slice(Math.max(0, i - 4), i) + (out ? '_' + out : '');
  return '0x' + out;
}

// ---- The builder -------------------------------------------------------------------------

function attrKey(a: AttributeNode | ErrorNode): string {
  switch (a.kind) {
    case 'ValueAttr':
      return a.name;
    case 'FlagAttr':
      return a.name === 'disabled' || a.name === 'enabled' ? 'enabled/disabled' : a.name;
    case 'RomdAttr':
      return 'romd';
    case 'TargetAttr':
      return '->';
    case 'IdAttr':
      return 'id';
    case 'Error':
      return '';
  }
}

/** Bodies up to this many subregions go through addSubregion one by one. */
const SMALL_BODY = 64;

/**
 * memory_region_add_subregion_overlap for each of `kids` in statement order. Inserting one by
 * one before the first sibling of priority ≤ the new one's (R-ORD-1) is quadratic when many
 * equal-priority siblings are each prepended; for large bodies the same list is produced
 * directly: priority descending, and among equal priorities the later statement first.
 */
export function addInOrder(parent: Region, kids: readonly Region[]): void {
  if (parent.children.length > 0 || kids.length <= SMALL_BODY) {
    for (const c of kids) addSubregion(parent, c.addr, c, c.priority);
    return;
  }
  for (const c of kids) c.container = parent;
  const p0 = kids[0].priority;
  if (kids.every((c) => c.priority === p0)) {
    // All equal (the common case): newest first is the reverse of statement order.
    const list = ownChildren(parent);
    for (let i = kids.length - 1; i >= 0; i--) list.push(kids[i]);
    return;
  }
  const order = kids.map((_, i) => i);
  order.sort((a, b) => kids[b].priority - kids[a].priority || b - a);
  const list = ownChildren(parent);
  for (const i of order) list.push(kids[i]);
}

/**
 * Regions by name. Most names are unique, so a name maps to its region and only shared names
 * to a list (in creation order): no array per region.
 */
export type NameTable = Map<string, Region | Region[]>;

function nameTable(regions: readonly Region[]): NameTable {
  const m: NameTable = new Map();
  for (const r of regions) {
    const l = m.get(r.name);
    if (l === undefined) m.set(r.name, r);
    else if (Array.isArray(l)) l.push(r);
    else m.set(r.name, [l, r]);
  }
  return m;
}

function named(m: NameTable, name: string): readonly Region[] {
  const l = m.get(name);
  return l === undefined ? [] : Array.isArray(l) ? l : [l];
}

export interface BuildResult {
  machine: Machine;
  diagnostics: Diagnostic[];
  index: SymbolIndex;
  /** The PCI topology and sequences, when the file has PCI statements. */
  pci?: PciModel;
}

export interface PendingAlias {
  region: Region;
  target: RefNode | null;
  sizeGiven: boolean;
  /** Span of `offset E` for the MR2017 warning. */
  offsetSpan: Span | null;
  /** Span of the first `-> REF`, where an alias loop this alias closes is reported (MR2014). */
  targetAttrSpan: Span | null;
}

export function buildMachine(file: FileNode): BuildResult {
  const b = new Builder(treeNodes(file));
  for (const st of file.statements) b.statement(st, 0);
  return b.finish();
}

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

/**
 * A builder that reads statements as the parser streams them (parser.ts `parseInto`), so that
 * no syntax tree is kept: `finish()` returns what `buildMachine` would for the same text.
 * Region symbols then find their nodes through `nodes` (a tree parsed again, on demand).
 */
export function streamingBuilder(nodes: RegionNodes, textLength = 0): StatementSink & { finish(): BuildResult } {
  return new Builder(nodes, textLength);
}

/**
 * A region symbol whose syntax node is looked up when asked for (see RegionNodes). Its spans are
 * the region's own (the same objects), so a symbol is two fields; few regions have an `id`.
 */
class RegionSym implements RegionSymbol {
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
class RegionSymWithId extends RegionSym {
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

/** A region whose statement has begun (header read) and not yet ended. */
interface OpenRegion {
  readonly region: Region;
  /** Where the statement starts (its keyword). */
  readonly start: number;
  readonly depth: number;
  readonly at: bigint;
  readonly priority: number;
  /** Subregions in statement order. */
  readonly kids: Region[];
}

/** A `const` reference that was not defined at its use: MR2003 or MR2001, decided at the end. */
interface UnknownConst {
  /** Where its diagnostic goes in `diagnostics` (a placeholder until then). */
  readonly index: number;
  readonly name: NameNode;
  /** The MR2001 quick fix when the part before a '-' is a constant (`RAM-1`). */
  readonly fixed: string | null;
}

/**
 * The statements of a streamed build in source order (preorder through region bodies), one
 * entry each, for incremental analysis (model/incremental.ts): where each statement starts
 * and ends, its body's braces, its parent, its region and how many entries its subtree has.
 * Columns of typed arrays, valid up to `length` (a 100k-region file has some 115k entries).
 */
export class Outline {
  length = 0;
  start: Int32Array;
  end: Int32Array;
  /** Index of the enclosing region statement's entry, -1 at the top level. */
  parent: Int32Array;
  /** The `{` and `}` of a region's body; -1 when there is none (or `}` is missing). */
  open: Int32Array;
  close: Int32Array;
  /** Region id, -1 for other statements. */
  region: Int32Array;
  /** OutlineKind. */
  kind: Uint8Array;
  /** Entries in the subtree, this one included. */
  size: Int32Array;

  constructor(capacity = 64) {
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.parent = new Int32Array(capacity);
    this.open = new Int32Array(capacity);
    this.close = new Int32Array(capacity);
    this.region = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.size = new Int32Array(capacity);
  }

  /** Room for `n` entries (capacity doubles). */
  reserve(n: number): void {
    let cap = this.start.length;
    if (n <= cap) return;
    while (cap < n) cap = cap * 2 + 16;
    const grow = <A extends Int32Array | Uint8Array>(a: A): A => {
      const b = new (a.constructor as new (n: number) => A)(cap);
      b.set(a.subarray(0, this.length));
      return b;
    };
    this.start = grow(this.start);
    this.end = grow(this.end);
    this.parent = grow(this.parent);
    this.open = grow(this.open);
    this.close = grow(this.close);
    this.region = grow(this.region);
    this.kind = grow(this.kind);
    this.size = grow(this.size);
  }

  /** A new entry (end = start, no body, no region, size 1); returns its index. */
  push(start: number, kind: OutlineKind, parent: number): number {
    const i = this.length;
    if (i === this.start.length) this.reserve(i + 1);
    this.start[i] = start;
    this.end[i] = start;
    this.parent[i] = parent;
    this.open[i] = -1;
    this.close[i] = -1;
    this.region[i] = -1;
    this.kind[i] = kind;
    this.size[i] = 1;
    this.length = i + 1;
    return i;
  }

  /**
   * Entries [from, to) replaced by those of `sub`, whose parents (-1: `parent`) and regions
   * (-1: none) are moved by `from` and `regionAt`; the entries after `to` move, their values not.
   */
  replace(from: number, to: number, sub: Outline, parent: number, regionAt: number): void {
    const n = sub.length;
    const len = this.length - (to - from) + n;
    this.reserve(len);
    const cols = [this.start, this.end, this.parent, this.open, this.close, this.region, this.kind, this.size];
    if (n !== to - from) for (const c of cols) c.copyWithin(from + n, to, this.length);
    for (let j = 0; j < n; j++) {
      const i = from + j;
      this.start[i] = sub.start[j];
      this.end[i] = sub.end[j];
      this.parent[i] = sub.parent[j] < 0 ? parent : sub.parent[j] + from;
      this.open[i] = sub.open[j];
      this.close[i] = sub.close[j];
      this.region[i] = sub.region[j] < 0 ? sub.region[j] : sub.region[j] + regionAt;
      this.kind[i] = sub.kind[j];
      this.size[i] = sub.size[j];
    }
    this.length = len;
  }
}

export enum OutlineKind {
  Region,
  /** Skipped tokens: no effect on the model. */
  Error,
  /** const, include, address-space and PCI statements. */
  Other,
}

export function emptyOutline(capacity?: number): Outline {
  return new Outline(capacity);
}

/**
 * The builder. Exported for model/incremental.ts, which keeps one alive per document and
 * patches its state; everything else goes through buildMachine, streamingBuilder, analyzeText.
 */
export class Builder implements StatementSink {
  readonly machine = newMachine();
  diagnostics: Diagnostic[] = [];
  regions: RegionSymbol[] = [];
  regionRefs: RegionReference[] = [];
  readonly constants: ConstantSymbol[] = [];
  constantRefs: ConstantReference[] = [];
  readonly spaces: SpaceSymbol[] = [];
  readonly constByName = new Map<string, ConstantSymbol>();
  /** Constants declared anywhere in the file, to explain use-before-definition. */
  allConstDecls = new Map<string, ConstNode>();
  readonly ids = new Map<string, Region>();
  readonly idSpans = new Map<string, Span>();
  aliases: PendingAlias[] = [];
  /** Region names so far follow each other (scanDeclarationOrder's `sorted`); the last name's end. */
  namesSorted = true;
  namesEnd = -Infinity;
  /** Indexes in `regions` of the regions with an `id IDENT`. */
  withId: number[] = [];
  readonly pendingSpaces: { space: AddressSpace; node: AddressSpaceNode }[] = [];
  topLevel: Region[] = [];
  readonly pci = new PciBuilder({
    machine: this.machine,
    evaluate: (e) => this.evaluate(e),
    resolve: (r) => this.resolve(r, 'pci'),
    formatValue,
  });
  /** Regions whose statement has begun and not ended, innermost last. */
  private readonly open: OpenRegion[] = [];
  private readonly unknownConsts: UnknownConst[] = [];
  outline: Outline;
  /** Outline entries of the open regions, innermost last. */
  private readonly openEntries: number[] = [];
  /** After `finish`: the statements' own diagnostics (in statement order), and those of the phases after. */
  local: Diagnostic[] = [];
  global: Diagnostic[] = [];
  /** After `finish`: the PCI model (when there are top-level PCI statements) and symbols. */
  pciResult: { model: PciModel | undefined; symbols: PciSymbols } | undefined;
  /** Follows `include` statements (model/include.ts); without it they are ignored (MR2019). */
  includes: Includes | undefined;

  /**
   * `textLength`: the length of the text to be built, if known, to size the outline once (a
   * statement takes a line; the columns grow if there are more).
   */
  constructor(readonly nodes: RegionNodes, textLength = 0) {
    this.outline = new Outline(Math.max(64, (textLength / 24) | 0));
  }

  // ---- statements, as the parser delivers them (StatementSink) ---------------------------

  statement(st: StatementNode, depth: number): void {
    if (depth === 0 && st.kind === 'Const' && !st.name.missing && !this.allConstDecls.has(st.name.text)) {
      this.allConstDecls.set(st.name.text, st);
    }
    const entry = this.entry(st.start, st.kind === 'Region' ? OutlineKind.Region : st.kind === 'Error' ? OutlineKind.Error : OutlineKind.Other);
    const r = this.statementRegion(st, depth);
    this.outline.end[entry] = st.end;
    if (r) {
      this.outline.region[entry] = r.id;
      this.placed(r);
    }
  }

  openRegion(header: RegionNode, depth: number, open: number): void {
    const entry = this.entry(header.start, OutlineKind.Region);
    this.outline.open[entry] = open;
    this.openEntries.push(entry);
    const o = this.beginRegion(header, depth);
    this.outline.region[entry] = o.region.id;
    this.open.push(o);
  }

  closeRegion(end: number, close: number): void {
    const o = this.open.pop()!;
    const entry = this.openEntries.pop()!;
    this.outline.end[entry] = end;
    this.outline.close[entry] = close;
    this.outline.size[entry] = this.outline.length - entry;
    this.placed(this.endRegion(o, end));
  }

  /** A new outline entry inside the innermost open region. */
  private entry(start: number, kind: OutlineKind): number {
    const open = this.openEntries;
    return this.outline.push(start, kind, open.length > 0 ? open[open.length - 1] : -1);
  }


  /** A region whose statement ended: a subregion of the open one, or (none open) a top-level one. */
  private placed(r: Region): void {
    if (this.open.length === 0) this.topLevel.push(r);
    else this.open[this.open.length - 1].kids.push(r);
  }

  finish(): BuildResult {
    const localCount = this.diagnostics.length;
    this.resolveAll();
    this.breakCycles();
    this.defaultAliasSizes();
    const pci = this.pci.finish();
    this.pciResult = pci;
    for (const d of this.pci.diagnostics) this.diagnostics.push(d);
    this.decideUnknownConsts();
    this.local = this.diagnostics.slice(0, localCount);
    this.global = this.diagnostics.slice(localCount);
    // Phases report in their own order; users read diagnostics top to bottom.
    this.diagnostics.sort((a, b) => a.span.start - b.span.start);
    const index: SymbolIndex = {
      regions: this.regions,
      regionRefs: this.regionRefs,
      constants: this.constants,
      constantRefs: this.constantRefs,
      spaces: this.spaces,
      ids: this.ids,
      pci: pci.symbols,
    };
    recordOrder(index, this.order());
    return { machine: this.machine, diagnostics: this.diagnostics, index, pci: pci.model };
  }

  /** What the builder learnt of its regions' order while creating them (recordOrder). */
  order(): BuiltOrder {
    const complete = this.machine.regions.length === this.regions.length;
    return { sorted: this.namesSorted, withId: this.withId, aliases: complete ? this.aliases : null };
  }

  /**
   * Diagnostics own their spans (copies), so that shifting the spans of the model after an
   * edit (model/incremental.ts) never moves a diagnostic's span twice.
   */
  report(code: string, span: Span, args: Record<string, string | number | bigint> = {}, related?: RelatedInfo[]): void {
    const own = related?.map((r) => ({ ...r, span: { start: r.span.start, end: r.span.end } }));
    this.diagnostics.push(diag(code, { start: span.start, end: span.end }, args, own));
  }

  /** Returns the region a (complete) statement created, if any. */
  private statementRegion(st: StatementNode, depth: number): Region | null {
    switch (st.kind) {
      case 'Const':
        this.constDecl(st);
        return null;
      case 'Include':
        if (this.includes) this.includes.include(st, depth, this);
        else this.report('MR2019', st.span, { path: st.path.text });
        return null;
      case 'AddressSpace': {
        const space: AddressSpace = { name: st.name.text, root: null, span: st.span };
        this.machine.spaces.push(space);
        this.spaces.push({ space, declSpan: st.span, nameSpan: st.name.span });
        this.pendingSpaces.push({ space, node: st });
        return null;
      }
      case 'Region':
        return this.region(st, depth);
      case 'Error':
        return null;
      default:
        // PCI statements count at the top level only (the parser reports them elsewhere).
        if (depth === 0 && isPciStatement(st)) this.pci.collect(st);
        return null;
    }
  }

  private constDecl(st: ConstNode): void {
    const value = this.evaluate(st.value);
    if (st.name.missing) return;
    const sym: ConstantSymbol = { name: st.name.text, declSpan: st.span, nameSpan: st.name.span, value };
    const prev = this.constByName.get(sym.name);
    if (prev) {
      this.report('MR2002', st.name.span, { name: sym.name }, [{ span: prev.nameSpan, message: 'first defined here' }]);
      this.constants.push(sym);
      return;
    }
    this.constByName.set(sym.name, sym);
    this.constants.push(sym);
  }

  /** A complete region statement, body included (the tree's way). */
  private region(node: RegionNode, depth: number): Region {
    const o = this.beginRegion(node, depth);
    if (node.body) {
      for (const st of node.body.statements) {
        const c = this.statementRegion(st, depth + 1);
        if (c) o.kids.push(c);
      }
    }
    return this.endRegion(o, node.end);
  }

  /** The region's header: created (in statement order) and its attributes applied. */
  private beginRegion(node: RegionNode, depth: number): OpenRegion {
    const kind = node.regionKind;
    const nameSpan = node.name.span;
    const r = createRegion(this.machine, { name: node.name.text, kind, span: undefined, nameSpan });
    let at = 0n;
    let priority = 0;
    let sizeGiven = false;
    let target: RefNode | null = null;
    let arrow = false;
    let offsetSpan: Span | null = null;
    let targetAttrSpan: Span | null = null;
    let id: string | undefined;
    let idSpan: Span | undefined;
    const attrs = node.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs[i];
      if (a.kind === 'Error') continue;
      this.checkRepeated(attrs, i);
      switch (a.kind) {
        case 'ValueAttr': {
          const v = this.evaluate(a.value);
          if (a.name === 'size') {
            const s = this.checkRange(v, a.value, 'size', 0n, TWO_64, '0..2^64');
            if (s !== null) r.size = s;
            sizeGiven = true;
          } else if (a.name === 'at') {
            if (depth === 0) this.report('MR2018', a.keywordSpan, { attr: 'at' });
            const s = this.checkRange(v, a.value, 'address', 0n, MAX_U64, '0..2^64-1');
            if (s !== null) at = s;
          } else if (a.name === 'priority') {
            if (depth === 0) this.report('MR2018', a.keywordSpan, { attr: 'priority' });
            const s = this.checkRange(v, a.value, 'priority', I32_MIN, I32_MAX, '-2^31..2^31-1');
            if (s !== null) priority = Number(s);
          } else {
            if (kind !== 'alias') this.report('MR2015', a.keywordSpan, { attr: 'offset', kind: node.keyword });
            offsetSpan = a.span;
            const s = this.checkRange(v, a.value, 'alias offset', 0n, MAX_U64, '0..2^64-1');
            if (s !== null && kind === 'alias') r.aliasOffset = s;
          }
          break;
        }
        case 'FlagAttr':
          if (a.name === 'disabled' || a.name === 'enabled') r.enabled = a.name === 'enabled';
          else if (a.name === 'readonly') r.readonly = true;
          else r.nonvolatile = true;
          break;
        case 'RomdAttr':
          if (kind !== 'romd') this.report('MR2015', a.span, { attr: 'romd', kind: node.keyword });
          else r.romdMode = a.on;
          break;
        case 'TargetAttr':
          arrow = true;
          if (targetAttrSpan === null) targetAttrSpan = a.span;
          if (kind !== 'alias') this.report('MR2015', a.arrowSpan, { attr: '->', kind: node.keyword });
          else target = a.target;
          break;
        case 'IdAttr': {
          if (a.id.missing) break;
          const prev = this.ids.get(a.id.text);
          if (prev) {
            this.report('MR2012', a.id.span, { id: a.id.text }, [
              { span: this.idSpans.get(a.id.text)!, message: `first used by '${prev.name}'` },
            ]);
          } else {
            this.ids.set(a.id.text, r);
            this.idSpans.set(a.id.text, a.id.span);
          }
          id = a.id.text;
          idSpan = a.id.span;
          break;
        }
      }
    }
    const symbol = id === undefined ? new RegionSym(r, this.nodes) : new RegionSymWithId(r, this.nodes, id, idSpan!);
    this.regions.push(symbol);
    if (nameSpan.start < this.namesEnd) this.namesSorted = false;
    this.namesEnd = nameSpan.end;
    if (id !== undefined) this.withId.push(this.regions.length - 1);
    if (kind === 'alias') {
      if (!target && !arrow) this.report('MR2013', node.name.missing ? node.keywordSpan : nameSpan, { name: r.name });
      this.aliases.push({ region: r, target, sizeGiven, offsetSpan, targetAttrSpan });
    }
    return { region: r, start: node.start, depth, at, priority, kids: [] };
  }

  /** The statement's end: its span, and its subregions added in statement order. */
  private endRegion(o: OpenRegion, end: number): Region {
    const r = o.region;
    const declSpan: Span = { start: o.start, end };
    r.span = declSpan; // and so the symbol's declSpan
    // Children: created and added in statement order (R-ORD-1: newest first among equals).
    if (o.kids.length > 0) addInOrder(r, o.kids);
    // `addSubregion` sets addr/priority; until the parent adds it, keep them on the region.
    if (o.depth > 0) {
      r.addr = o.at;
      r.priority = o.priority;
    }
    return r;
  }

  /** MR2016 when attribute `i` repeats an earlier one (`enabled`/`disabled` count as one). */
  private checkRepeated(attrs: readonly (AttributeNode | ErrorNode)[], i: number): void {
    const key = attrKey(attrs[i]);
    for (let j = i - 1; j >= 0; j--) {
      if (attrKey(attrs[j]) !== key) continue;
      const here = attrs[i];
      const s = here.kind === 'ValueAttr' ? here.keywordSpan : here.kind === 'TargetAttr' ? here.arrowSpan : here.span;
      this.report('MR2016', s, { attr: key }, [{ span: attrs[j].span, message: 'given before here' }]);
      return;
    }
  }

  private checkRange(v: bigint | null, at: ExprNode, what: string, min: bigint, max: bigint, range: string): bigint | null {
    if (v === null) return null;
    if (v < min || v > max) {
      this.report('MR2004', at.span, { what, value: formatValue(v), range });
      return null;
    }
    return v;
  }

  // ---- expressions (iterative: `1+1+…+1` makes a tree as deep as it is long) -------------

  private evaluate(root: ExprNode): bigint | null {
    if (root.kind === 'Number') return this.literal(root.value, root.span);
    if (root.kind === 'ConstRef') return this.constRef(root.name);
    const work: ExprNode[] = [root];
    const phase: boolean[] = [false];
    const vals: (bigint | null)[] = [];
    while (work.length > 0) {
      const e = work.pop()!;
      const second = phase.pop()!;
      switch (e.kind) {
        case 'Number':
          vals.push(this.literal(e.value, e.span));
          break;
        case 'MissingExpr':
          vals.push(null);
          break;
        case 'ConstRef':
          vals.push(this.constRef(e.name));
          break;
        case 'Paren':
          work.push(e.expr);
          phase.push(false);
          break;
        case 'Unary':
          if (!second) {
            work.push(e, e.operand);
            phase.push(true, false);
          } else {
            const v = vals.pop()!;
            vals.push(v === null ? null : -v);
          }
          break;
        case 'Binary':
          if (!second) {
            work.push(e, e.right, e.left);
            phase.push(true, false, false);
          } else {
            const r = vals.pop()!;
            const l = vals.pop()!;
            vals.push(l === null || r === null ? null : this.binary(e.op, l, r, e.span, e.opSpan));
          }
          break;
      }
    }
    return vals.pop() ?? null;
  }

  /** A literal is bounded like every intermediate value (the scanner caps long ones). */
  private literal(v: bigint, span: Span): bigint | null {
    if (v >= LITERAL_LIMIT) {
      this.report('MR2005', span, { bits: MAX_BITS });
      return null;
    }
    return v;
  }

  private binary(op: string, l: bigint, r: bigint, span: Span, opSpan: Span): bigint | null {
    let v: bigint;
    switch (op) {
      case '|':
        if (l < 0n || r < 0n) {
          this.report('MR2006', opSpan, { what: 'operand', value: formatValue(l < 0n ? l : r), op });
          return null;
        }
        v = l | r;
        break;
      case '<<':
        if (r < 0n) {
          this.report('MR2006', opSpan, { what: 'shift count', value: formatValue(r), op });
          return null;
        }
        if (l !== 0n && BigInt(bitLength(l)) + r > BigInt(MAX_BITS)) {
          this.report('MR2005', span, { bits: MAX_BITS });
          return null;
        }
        v = l << r;
        break;
      case '+':
        v = l + r;
        break;
      case '-':
        v = l - r;
        break;
      case '*':
        v = l * r;
        break;
      default: {
        // '^'
        if (r < 0n) {
          this.report('MR2006', opSpan, { what: 'exponent', value: formatValue(r), op });
          return null;
        }
        const lb = bitLength(l);
        if (lb > 1 && BigInt(lb - 1) * r > BigInt(MAX_BITS)) {
          this.report('MR2005', span, { bits: MAX_BITS });
          return null;
        }
        v = l ** r;
      }
    }
    if (bitLength(v) > MAX_BITS) {
      this.report('MR2005', span, { bits: MAX_BITS });
      return null;
    }
    return v;
  }

  private constRef(name: NameNode): bigint | null {
    const c = this.constByName.get(name.text) ?? null;
    this.constantRefs.push({ span: name.span, name: name.text, constant: c });
    if (c) return c.value;
    // Not defined so far: MR2003 if a top-level `const` declares it further down, else MR2001.
    // While statements stream in, later declarations are unknown, so the diagnostic is decided
    // in `finish` and takes this place in the list. `RAM-1` scans as one name: the fix with
    // spaces is offered when the part before a '-' is a constant defined by now.
    const dash = name.text.indexOf('-');
    const fixed = dash > 0 && !name.quoted && this.constByName.has(name.text.slice(0, dash))
      ? `${name.text.slice(0, dash)} - ${name.text.slice(dash + 1)}` : null;
    this.unknownConsts.push({ index: this.diagnostics.length, name, fixed });
    this.diagnostics.push(null as unknown as Diagnostic);
    return null;
  }

  decideUnknownConsts(): void {
    for (const u of this.unknownConsts) {
      const text = u.name.text;
      const later = this.allConstDecls.get(text);
      let d: Diagnostic;
      if (later) d = diag('MR2003', u.name.span, { name: text }, [{ span: later.name.span, message: 'defined here' }]);
      else if (u.fixed !== null) {
        const hint = ` ('-' can be part of a name: write '${u.fixed}')`;
        const fix = { title: `Write '${u.fixed}'`, edits: [{ span: u.name.span, text: u.fixed }] };
        d = { ...diag('MR2001', u.name.span, { name: text, hint }), fix };
      } else d = diag('MR2001', u.name.span, { name: text, hint: '' });
      this.diagnostics[u.index] = d;
    }
  }

  // ---- references ------------------------------------------------------------------------

  /**
   * Regions by name, all and top-level: built when first needed, then kept up to date by
   * model/incremental.ts. `byName` holds only the names in `byNameKeys` when that is not null.
   */
  byName: NameTable | null = null;
  byNameKeys: Set<string> | null = null;
  topByName: NameTable | null = null;

  /** Resolves every reference (into `regionRefs`, which the caller has emptied for a re-run). */
  resolveAll(): void {
    if (this.pendingSpaces.length === 0 && this.aliases.length === 0 && !this.pci.hasRefs) return;
    this.indexReferencedNames();
    this.topByName ??= nameTable(this.topLevel);
    for (const { space, node } of this.pendingSpaces) {
      if (node.root) space.root = this.resolve(node.root, 'root');
    }
    for (const a of this.aliases) {
      if (a.target) a.region.alias = this.resolve(a.target, 'alias-target');
    }
  }

  /**
   * `byName` for the names that references start with, which are all it is asked for: the
   * first names of alias targets and address-space roots (of 100k regions, a few names). PCI
   * references are resolved later, from the PCI model: with any, it holds every name.
   */
  private indexReferencedNames(): void {
    const regions = this.machine.regions;
    if (this.pci.hasRefs) {
      if (!this.byName || this.byNameKeys) this.byName = nameTable(regions);
      this.byNameKeys = null;
      return;
    }
    if (this.byName && !this.byNameKeys) return;
    const keys = this.byNameKeys ?? new Set<string>();
    const missing = new Set<string>();
    const want = (ref: RefNode | null) => {
      if (ref && ref.segments.length > 0 && !keys.has(ref.segments[0].text)) missing.add(ref.segments[0].text);
    };
    for (const { node } of this.pendingSpaces) want(node.root);
    for (const a of this.aliases) want(a.target);
    const table: NameTable = this.byName ?? new Map();
    this.byName = table;
    this.byNameKeys = keys;
    if (missing.size === 0) return;
    for (const name of missing) keys.add(name);
    // In id order, so that each shared name's list is in creation order.
    for (const r of regions) {
      if (!missing.has(r.name)) continue;
      const l = table.get(r.name);
      if (l === undefined) table.set(r.name, r);
      else if (Array.isArray(l)) l.push(r);
      else table.set(r.name, [l, r]);
    }
  }

  private candidatesRelated(list: readonly Region[]): RelatedInfo[] {
    return list.slice(0, 20).map((c) => ({
      span: c.nameSpan ?? c.span ?? { start: 0, end: 0 },
      message: `candidate '${this.pathOf(c)}'`,
    }));
  }

  /** `a/b/c` from the top-level region down, for messages. */
  private pathOf(r: Region): string {
    const parts: string[] = [];
    for (let x: Region | null = r, g = 0; x && g < 300; x = x.container, g++) parts.push(x.name);
    return parts.reverse().join('/');
  }

  private resolve(ref: RefNode, role: RefRole): Region | null {
    const segs = ref.segments;
    let cur: Region | null = null;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i];
      const segRole: RefRole = i === segs.length - 1 ? role : 'path';
      if (seg.missing) return null;
      let viaId = false;
      let candidates: readonly Region[] = [];
      let found: Region | null = null;
      if (i === 0) {
        const byId = this.ids.get(seg.text);
        if (byId) {
          found = byId;
          viaId = true;
        } else {
          candidates = named(segs.length === 1 ? this.byName! : this.topByName!, seg.text);
        }
      } else {
        candidates = cur!.children.filter((c) => c.name === seg.text).sort((a, b) => a.id - b.id);
      }
      if (!found) {
        if (candidates.length === 1) found = candidates[0];
        else if (candidates.length > 1) {
          this.report('MR2011', seg.span, { name: seg.text, count: candidates.length }, this.candidatesRelated(candidates));
        } else if (i === 0) {
          const nested = segs.length > 1 ? named(this.byName!, seg.text) : [];
          this.report(
            'MR2010',
            seg.span,
            { name: seg.text, where: segs.length > 1 ? ' at the top level' : '' },
            this.candidatesRelated(nested),
          );
        } else {
          this.report('MR2010', seg.span, { name: seg.text, where: ` inside '${this.pathOf(cur!)}'` });
        }
      }
      this.regionRefs.push({
        span: seg.span,
        text: seg.text,
        role: segRole,
        target: found,
        candidates: found ? [] : candidates,
        viaId,
      });
      if (!found) return null;
      cur = found;
    }
    return cur;
  }

  // ---- alias cycles ------------------------------------------------------------------------

  /**
   * Rendering follows children and alias targets (R-FLAT-2), so a loop through both (an alias
   * onto its own ancestor, or a chain of aliases returning to its start) would never end. An
   * iterative DFS over that graph finds every such loop; each is broken by dropping the alias
   * edge closest to where the loop closes.
   */
  /** Per-region search state, reused across runs (incremental analysis runs this per edit). */
  private cycleStamp = new Uint32Array(0);
  private cycleState = new Uint8Array(0);
  private cyclePos = new Int32Array(0);
  private cycleRun = 0;

  breakCycles(): void {
    const regions = this.machine.regions;
    const n = regions.length;
    if (this.cycleStamp.length < n) {
      const cap = n + (n >> 2) + 16;
      this.cycleStamp = new Uint32Array(cap);
      this.cycleState = new Uint8Array(cap);
      this.cyclePos = new Int32Array(cap);
      this.cycleRun = 0;
    }
    const stamp = this.cycleStamp;
    const state = this.cycleState; // 0 new, 1 on stack, 2 done
    const stackPos = this.cyclePos;
    const run = ++this.cycleRun;
    // A loop needs an alias edge, so a region without an alias among itself and its subregions
    // (at any depth) is on no loop and leads to none: it counts as done from the start, which
    // changes nothing else the search finds. Only the others (stamped with this run) are searched,
    // in creation order as before; on a large machine they are few.
    const roots: Region[] = [];
    for (const p of this.aliases) {
      if (!p.region.alias) continue;
      for (let x: Region | null = p.region; x && stamp[x.id] !== run; x = x.container) {
        stamp[x.id] = run;
        state[x.id] = 0;
        stackPos[x.id] = -1;
        roots.push(x);
      }
    }
    if (roots.length === 0) return;
    roots.sort((p, q) => p.id - q.id);
    const stateOf = (r: Region): number => (stamp[r.id] === run ? state[r.id] : 2);
    const stack: Region[] = [];
    const edge: number[] = []; // next edge index per frame
    const viaAlias: boolean[] = []; // frame reached through its parent's alias edge
    for (const root of roots) {
      if (stateOf(root) !== 0) continue;
      stack.push(root);
      edge.push(0);
      viaAlias.push(false);
      state[root.id] = 1;
      stackPos[root.id] = 0;
      while (stack.length > 0) {
        const top = stack.length - 1;
        const u = stack[top];
        const e = edge[top]++;
        let v: Region | null = null;
        let isAlias = false;
        if (e < u.children.length) v = u.children[e];
        else if (e === u.children.length && u.alias) {
          v = u.alias;
          isAlias = true;
        }
        if (e > u.children.length) {
          state[u.id] = 2;
          stackPos[u.id] = -1;
          stack.pop();
          edge.pop();
          viaAlias.pop();
          continue;
        }
        if (!v) continue;
        const sv = stateOf(v);
        if (sv === 0) {
          state[v.id] = 1;
          stackPos[v.id] = stack.length;
          stack.push(v);
          edge.push(0);
          viaAlias.push(isAlias);
        } else if (sv === 1) {
          this.reportCycle(stack.slice(stackPos[v.id]), viaAlias.slice(stackPos[v.id]), isAlias);
        }
      }
    }
  }

  /** `cycle` runs from the region the back edge returns to, down to its source. */
  private reportCycle(cycle: Region[], arrivedByAlias: boolean[], backIsAlias: boolean): void {
    let breaker: Region;
    if (backIsAlias) breaker = cycle[cycle.length - 1];
    else {
      let j = arrivedByAlias.length - 1;
      while (j > 0 && !arrivedByAlias[j]) j--;
      breaker = cycle[j > 0 ? j - 1 : cycle.length - 1];
    }
    // Name the loop starting at the alias that closes it: `a1 → a2 → a1`.
    const k = cycle.indexOf(breaker);
    const rotated = cycle.slice(k).concat(cycle.slice(0, k));
    const chain = rotated.map((r) => r.name).concat(breaker.name).join(' → ');
    const ref = [...this.regionRefs].reverse().find((x) => x.role === 'alias-target' && x.target === breaker.alias);
    const sym = this.regions[breaker.id];
    const at = this.aliases.find((a) => a.region === breaker)?.targetAttrSpan;
    const span = at ?? ref?.span ?? sym.nameSpan;
    const related: RelatedInfo[] = cycle
      .filter((r) => r !== breaker)
      .slice(0, 20)
      .map((r) => ({ span: r.nameSpan ?? r.span ?? { start: 0, end: 0 }, message: `'${r.name}' is part of the loop` }));
    this.report('MR2014', span, { name: breaker.name, chain }, related);
    breaker.alias = null;
  }

  // ---- alias sizes -------------------------------------------------------------------------

  /** `size` omitted on an alias: the target's size minus the offset (targets first, iteratively). */
  defaultAliasSizes(): void {
    const pending = new Map<Region, PendingAlias>();
    for (const a of this.aliases) if (!a.sizeGiven) pending.set(a.region, a);
    for (const a of this.aliases) {
      if (!pending.has(a.region)) continue;
      const chain: PendingAlias[] = [];
      for (let p: PendingAlias | undefined = a; p; p = p.region.alias ? pending.get(p.region.alias) : undefined) {
        chain.push(p);
        if (chain.length > this.aliases.length) break; // cycles are broken already; belt and braces
      }
      for (let i = chain.length - 1; i >= 0; i--) {
        const p = chain[i];
        const t = p.region.alias;
        pending.delete(p.region);
        if (!t) continue;
        if (p.region.aliasOffset > t.size) {
          this.report('MR2017', p.offsetSpan ?? p.region.nameSpan!, {
            offset: formatValue(p.region.aliasOffset),
            target: t.name,
            size: formatValue(t.size),
          });
          p.region.size = 0n;
        } else p.region.size = t.size - p.region.aliasOffset;
      }
    }
  }
}
