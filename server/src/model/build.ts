// Syntax tree → Machine. The Builder reads statements in source order, from a tree or as the
// parser streams them: constants and expressions are evaluated exactly (evaluate.ts) and regions
// created and nested in statement order (regionStatement.ts). `finish` then resolves references
// (resolve.ts), breaks alias loops and fills alias sizes (aliases.ts) and builds the PCI model.
// Every name and reference is recorded in a SymbolIndex (symbols.ts) for the editor features.
import type { Diagnostic, RelatedInfo } from '../base/diagnostic.js';
import { diag } from '../base/catalog/index.js';
import type { Span } from '../base/span.js';
import type { AddressSpaceNode, ConstNode, FileNode, IncludeNode, RegionNode, StatementNode } from '../syntax/ast.js';
import type { PlainRegion, StatementSink } from '../syntax/parser.js';
import { isPciStatement } from '../syntax/pciAst.js';
import { type AddressSpace, type Machine, type Region, newMachine } from './region.js';
import { PciBuilder, type PciModel, type PciSymbols } from './buildPci.js';
import type { Includes } from './include.js';
import { AliasLoops, type PendingAlias, checkAliasWindows, defaultAliasSizes } from './aliases.js';
import { type UnknownConst, decideUnknownConsts, evaluate, formatValue } from './evaluate.js';
import { Outline, OutlineKind } from './outline.js';
import { type OpenRegion, beginPlainRegion, beginRegion, endRegion } from './regionStatement.js';
import { type NameTable, resolve, resolveAll } from './resolve.js';
import {
  type BuiltOrder,
  type ConstantReference,
  type ConstantSymbol,
  type RegionNodes,
  type RegionReference,
  type RegionHandle,
  type SpaceSymbol,
  type SymbolIndex,
  RegionDecls,
  recordOrder,
  treeNodes,
} from './symbols.js';

export type { PendingAlias } from './aliases.js';
export { formatValue } from './evaluate.js';
export { Outline, OutlineKind, emptyOutline } from './outline.js';
export { addInOrder } from './regionStatement.js';
export type { NameTable } from './resolve.js';
export type {
  BuiltOrder,
  ConstantReference,
  ConstantSymbol,
  DeclarationOrder,
  RefRole,
  RegionHandle,
  RegionNodes,
  RegionReference,
  RegionSymbol,
  SpaceSymbol,
  SymbolAt,
  SymbolIndex,
} from './symbols.js';
export {
  RegionDecls, aliasRegions, declaredRegionsMeeting, recordOrder, recordedOrder, referencesTo, scanDeclarationOrder, symbolAt, treeNodes,
} from './symbols.js';

/** Texts from this length on have their regions array sized ahead (Builder), at a region per TEXT_PER_REGION characters. */
const PRESIZE_MIN = 1 << 16;
const TEXT_PER_REGION = 40;

export interface BuildResult {
  machine: Machine;
  diagnostics: Diagnostic[];
  index: SymbolIndex;
  /** The PCI topology and sequences, when the file has PCI statements. */
  pci?: PciModel;
}

export function buildMachine(file: FileNode): BuildResult {
  const b = new Builder(treeNodes(file));
  for (const st of file.statements) b.statement(st, 0);
  return b.finish();
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
 * The builder. Exported for model/incremental.ts, which keeps one alive per document and
 * patches its state; everything else goes through buildMachine, streamingBuilder, analyzeText.
 */
export class Builder implements StatementSink {
  readonly machine = newMachine();
  diagnostics: Diagnostic[] = [];
  /**
   * Regions created by region statements: ids 0 .. declared-1 (symbols: RegionDecls). Until
   * `finish`, `machine.regions` may be longer (sized ahead, see the constructor): count with this.
   */
  declared = 0;
  /** The `id IDENT` of each region that has one. */
  readonly regionHandles = new Map<Region, RegionHandle>();
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
  /**
   * How many regions' names start before the end of the name of the region before them (id
   * order): none when the names follow each other (scanDeclarationOrder's `sorted`). A count, so
   * that an edit can take out the pairs it replaces and add the new ones (model/incremental.ts).
   */
  namesOutOfOrder = 0;
  /** The last name's end. */
  namesEnd = -Infinity;
  /** Indexes in `regions` of the regions with an `id IDENT`. */
  withId: number[] = [];
  readonly pendingSpaces: { space: AddressSpace; node: AddressSpaceNode }[] = [];
  topLevel: Region[] = [];
  readonly pci: PciBuilder = new PciBuilder({
    machine: this.machine,
    evaluate: (e) => evaluate(this, e),
    resolve: (r) => resolve(this, r, 'pci'),
    formatValue,
  });
  /** Regions whose statement has begun and not ended, innermost last. */
  private readonly open: OpenRegion[] = [];
  /** `const` uses before their definition, decided in `finish` (evaluate.ts). */
  readonly unknownConsts: UnknownConst[] = [];
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
   * statement takes a line; the columns grow if there are more) and, for a large text, the
   * regions array: grown by push from empty it would be copied some 25 times, the last copies
   * into fresh memory. It is sized for a region per TEXT_PER_REGION characters (its unused
   * end cut off in `finish`; more regions grow it as push would).
   */
  constructor(readonly nodes: RegionNodes, textLength = 0) {
    this.outline = new Outline(Math.max(64, (textLength / 24) | 0));
    if (textLength >= PRESIZE_MIN) this.machine.regions = new Array<Region>(Math.floor(textLength / TEXT_PER_REGION));
  }

  // ---- statements, as the parser delivers them (StatementSink) ---------------------------

  statement(st: StatementNode, depth: number): void {
    if (depth === 0 && st.kind === 'Const' && !st.name.missing && !this.allConstDecls.has(st.name.text)) {
      this.allConstDecls.set(st.name.text, st);
    }
    const entry = this.entry(st.start, st.kind === 'Region' ? OutlineKind.Region : st.kind === 'Error' ? OutlineKind.Error : OutlineKind.Other);
    const before = this.declared;
    const r = this.statementRegion(st, depth);
    this.outline.end[entry] = st.end;
    if (r) {
      this.outline.region[entry] = r.id;
      this.placed(r);
    } else if (this.declared > before) {
      // An include: its files' regions come before the next statement's; its entry holds the
      // last of their ids, so that ids can be counted along the outline (model/incremental.ts).
      this.outline.region[entry] = this.declared - 1;
    }
  }

  openRegion(header: RegionNode, depth: number, open: number): void {
    this.openBody(header.start, open, beginRegion(this, header, depth));
  }

  closeRegion(end: number, close: number): void {
    const o = this.open.pop()!;
    const entry = this.openEntries.pop()!;
    this.outline.end[entry] = end;
    this.outline.close[entry] = close;
    this.outline.size[entry] = this.outline.length - entry;
    this.placed(endRegion(o.region, o.start, end, o.kids));
  }

  plainRegion(h: Readonly<PlainRegion>, depth: number, open: number): void {
    const r = beginPlainRegion(this, h, depth);
    if (open >= 0) {
      this.openBody(h.start, open, r);
      return;
    }
    const entry = this.entry(h.start, OutlineKind.Region);
    endRegion(r, h.start, h.end, null);
    this.outline.end[entry] = h.end;
    this.outline.region[entry] = r.id;
    this.placed(r);
  }

  /** A region statement whose header `r` was made, its body (at `open`) about to be read. */
  private openBody(start: number, open: number, r: Region): void {
    const entry = this.entry(start, OutlineKind.Region);
    this.outline.open[entry] = open;
    this.openEntries.push(entry);
    this.outline.region[entry] = r.id;
    this.open.push({ region: r, start, kids: [] });
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
    // The regions array sized ahead: no holes past the last region (PCI regions come next).
    if (this.machine.regions.length > this.declared) this.machine.regions.length = this.declared;
    const localCount = this.diagnostics.length;
    this.resolveAll();
    this.breakCycles();
    this.finishAliases();
    const pci = this.pci.finish();
    this.pciResult = pci;
    for (const d of this.pci.diagnostics) this.diagnostics.push(d);
    this.decideUnknownConsts();
    this.local = this.diagnostics.slice(0, localCount);
    this.global = this.diagnostics.slice(localCount);
    // Phases report in their own order; users read diagnostics top to bottom.
    this.diagnostics.sort((a, b) => a.span.start - b.span.start);
    const index = this.symbolIndex(pci.symbols);
    recordOrder(index, this.order());
    return { machine: this.machine, diagnostics: this.diagnostics, index, pci: pci.model };
  }

  /** The symbol index of the builder's current state (its region symbols are made when read). */
  symbolIndex(pci: PciSymbols): SymbolIndex {
    const decls = new RegionDecls(this.machine.regions, this.declared, this.nodes, this.regionHandles);
    return {
      get regions() {
        return decls.symbols();
      },
      decls,
      regionRefs: this.regionRefs,
      constants: this.constants,
      constantRefs: this.constantRefs,
      spaces: this.spaces,
      ids: this.ids,
      pci,
    };
  }

  /** What the builder learnt of its regions' order while creating them (recordOrder). */
  order(): BuiltOrder {
    const complete = this.machine.regions.length === this.declared;
    return { sorted: this.namesOutOfOrder === 0, withId: this.withId, aliases: complete ? this.aliases : null };
  }

  /**
   * Diagnostics own their spans (copies), so that shifting the spans of the model after an
   * edit (model/incremental.ts) never moves a diagnostic's span twice.
   */
  report(
    code: string, span: Span, args: Record<string, string | number | bigint> = {}, related?: RelatedInfo[], fix?: Diagnostic['fix'],
  ): void {
    const own = related?.map((r) => ({ ...r, span: { start: r.span.start, end: r.span.end } }));
    const d = diag(code, { start: span.start, end: span.end }, args, own);
    if (!fix) this.diagnostics.push(d);
    else this.diagnostics.push({ ...d, fix: { title: fix.title, edits: fix.edits.map((e) => ({ span: { start: e.span.start, end: e.span.end }, text: e.text })) } });
  }

  /** Returns the region a (complete) statement created, if any. */
  private statementRegion(st: StatementNode, depth: number): Region | null {
    switch (st.kind) {
      case 'Const':
        this.constDecl(st);
        return null;
      case 'Include':
        if (this.includes) this.includeFiles(st, depth);
        else this.report('MR2019', st.span, { path: st.path.text });
        return null;
      case 'AddressSpace': {
        const space: AddressSpace = { name: st.name.text, root: null, span: st.span };
        this.machine.spaces.push(space);
        const rootText = st.root ? st.root.segments.map((x) => x.text).join('/') : 'none';
        this.spaces.push({ space, declSpan: st.span, nameSpan: st.name.span, rootText });
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

  /**
   * Follows an include. The included files' statements are not the document's: they stay out
   * of its outline, whose entries are the document's statements in text order.
   */
  private includeFiles(st: IncludeNode, depth: number): void {
    const outline = this.outline;
    this.outline = new Outline(16);
    try {
      this.includes!.include(st, depth, this);
    } finally {
      this.outline = outline;
    }
  }

  private constDecl(st: ConstNode): void {
    const value = evaluate(this, st.value);
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
    const r = beginRegion(this, node, depth);
    let kids: Region[] | null = null;
    if (node.body) {
      kids = [];
      for (const st of node.body.statements) {
        const c = this.statementRegion(st, depth + 1);
        if (c) kids.push(c);
      }
    }
    return endRegion(r, node.start, node.end, kids);
  }

  // ---- the phases after the statements (incremental.ts runs them again) ------------------

  /**
   * Regions by name, all and top-level: built when first needed, then kept up to date by
   * model/incremental.ts. `byName` holds only the names in `byNameKeys` when that is not null.
   */
  byName: NameTable | null = null;
  byNameKeys: Set<string> | null = null;
  topByName: NameTable | null = null;
  private readonly loops = new AliasLoops();

  /** Resolves every reference (into `regionRefs`, which the caller has emptied for a re-run). */
  resolveAll(): void {
    resolveAll(this);
  }

  breakCycles(): void {
    this.loops.breakCycles(this);
  }

  /** Fills in omitted alias sizes (MR2017), then checks every alias window against its target (MR3001). */
  finishAliases(): void {
    defaultAliasSizes(this);
    checkAliasWindows(this);
  }

  decideUnknownConsts(): void {
    decideUnknownConsts(this);
  }
}
