// The PCI statements of docs/pci.md, read on the main parser's token cursor: `pci-host`,
// `device`, `bridge`, `bar`, `rom`, `window`, `cpu`, `iommu … aw-bits`, `sequence` and the steps.
// Same guarantees as parser.ts: never throws, every loop consumes a token or leaves (the shared
// step counter backs that up), missing pieces are zero-width nodes, skipped tokens Error nodes.
// Statements are line-oriented: a value or name slot never takes a word that starts a new line.
import type { Diagnostic, RelatedInfo } from '../base/diagnostic.js';
import { span, type Span } from '../base/span.js';
import { BlockNode, ErrorNode, MissingExprNode, NameNode, type ExprNode, type RefNode, type StatementNode } from './ast.js';
import {
  BarStepNode, BdfNode, CpuNode, DevicesNode, IommuInitiatorNode, LabelNode, OnBlockNode, PciAttrNode, PciBarNode,
  PciFunctionNode, PciHostNode, PciWindowNode, ReadStepNode, ResetStepNode, SequenceNode, WriteStepNode,
  type PciAttrValue, type PciStatementNode,
} from './pciAst.js';
import { MAX_DEPTH } from './parser.js';
import { Kw, Tok, keywordText } from './scanner.js';

/**
 * The parts of the main parser this file drives (parser.ts hands itself over at the statement
 * dispatch): the token cursor, the step counter, the one-diagnostic-per-offset report, names,
 * references and expressions.
 */
export interface ParserCore {
  readonly text: string;
  i: number;
  depth: number;
  readonly diagnostics: Diagnostic[];
  tok(): Tok;
  /** The token `k` ahead (k ≤ 8), or the last one (EOF). */
  peekTok(k: number): Tok;
  peekStart(k: number): number;
  peekEnd(k: number): number;
  /** The value of the current String, Bdf or large Number token. */
  tokValue(): bigint | string;
  kw(): Kw;
  readonly start: number;
  readonly end: number;
  readonly atNewline: boolean;
  readonly prevEnd: number;
  tokenText(): string;
  describe(): string;
  next(): void;
  step(): boolean;
  report(code: string, s: Span, args?: Record<string, string | number>, related?: RelatedInfo[]): void;
  missingName(what: string): NameNode;
  nameFromToken(): NameNode;
  parseRef(what: string): RefNode;
  skipUntil(stop: () => boolean): ErrorNode | null;
  skipBalanced(open: Tok, close: Tok): Span;
  parseExpr(): ExprNode;
  parseStatement(inBlock: boolean): StatementNode;
}

/** Where a statement stands: it decides what is allowed and what a keyword means. */
export type PciContext = 'top' | 'region' | 'host' | 'bridge' | 'device' | 'iommu' | 'sequence';

type AttrType = 'expr' | 'ref' | 'name' | 'bdf' | 'flag';

/** Every PCI attribute keyword and what follows it; the builder checks which statement may have it. */
const ATTRS: ReadonlyMap<string, AttrType> = new Map<string, AttrType>([
  ['size', 'expr'], ['at', 'expr'], ['limit', 'expr'], ['bus', 'expr'], ['vendor-id', 'expr'],
  ['device-id', 'expr'], ['class', 'expr'], ['command', 'expr'], ['realize-command', 'expr'],
  ['secondary', 'expr'], ['subordinate', 'expr'], ['primary', 'expr'], ['phys-bits', 'expr'], ['aw-bits', 'expr'],
  ['mem', 'ref'], ['io', 'ref'], ['region', 'ref'],
  ['model', 'name'], ['name', 'name'], ['start', 'name'], ['serr', 'name'],
  ['on', 'bdf'],
  ['allow-0', 'flag'], ['express', 'flag'], ['root-port', 'flag'], ['prefetchable', 'flag'], ['x-vga', 'flag'],
]);

const BAR_KINDS = new Set(['io', 'mem32', 'mem64', 'rom']);
const WINDOW_KINDS = new Set(['mem', 'io', 'pref']);
const BDF_RE = /^([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\.([0-7])$/;

const where: Record<PciContext, string> = {
  top: 'at the top level',
  region: 'inside a region body',
  host: 'in a pci-host body',
  bridge: 'in a bridge body',
  device: 'in a device body',
  iommu: 'in an iommu body',
  sequence: 'in a sequence',
};
const expected: Record<PciContext, string> = {
  top: 'a statement',
  region: 'a region',
  host: 'window, device or bridge',
  bridge: 'window, device, bridge, bar or rom',
  device: 'bar or rom',
  iommu: "'devices'",
  sequence: 'a step (read, write, bar, label, reset, on)',
};

const isWordText = (p: ParserCore, s: string): boolean =>
  p.tok() === Tok.Word && p.end - p.start === s.length && p.text.startsWith(s, p.start);

/** Statement starts of the whole language (parser.ts's list plus the PCI ones). */
function isStatementKw(k: Kw): boolean {
  return (k >= Kw.Const && k <= Kw.AddressSpace) || (k >= Kw.Container && k <= Kw.Alias) || (k >= Kw.PciHost && k <= Kw.Sequence);
}

/** `iommu NAME aw-bits …` / `iommu NAME model …` is an initiator; any other `iommu` a region. */
function isIommuInitiator(p: ParserCore): boolean {
  const k1 = p.peekTok(1);
  // Past the last token (EOF) there is nothing: peekTok(2) then is EOF, not a word.
  if ((k1 !== Tok.Word && k1 !== Tok.String) || p.peekTok(2) !== Tok.Word) return false;
  const len = p.peekEnd(2) - p.peekStart(2);
  return (len === 7 && p.text.startsWith('aw-bits', p.peekStart(2))) || (len === 5 && p.text.startsWith('model', p.peekStart(2)));
}

/**
 * A PCI statement at the current token, or null when the token starts none (then the caller
 * goes on). Statements outside their place are reported and still read.
 */
export function parsePciStatement(p: ParserCore, ctx: PciContext): PciStatementNode | null {
  const k = p.kw();
  const here = span(p.start, p.end);
  const misplaced = (allowed: boolean, hint: string) => {
    if (allowed) return;
    if (ctx === 'region') p.report('MR1016', here, { keyword: keywordText[k] });
    else p.report('MR1032', here, { keyword: keywordText[k] ?? p.tokenText(), where: `${where[ctx]}${hint}` });
  };
  switch (k) {
    case Kw.PciHost:
      misplaced(ctx === 'top', ': host bridges are top-level statements');
      return parseHost(p);
    case Kw.Cpu:
      misplaced(ctx === 'top', ': initiators are top-level statements');
      return parseCpu(p);
    case Kw.Iommu:
      if (!isIommuInitiator(p)) return null;
      misplaced(ctx === 'top', ': initiators are top-level statements');
      return parseIommu(p);
    case Kw.Sequence:
      misplaced(ctx === 'top', ': sequences are top-level statements');
      return parseSequence(p);
    case Kw.Device:
    case Kw.Bridge:
      misplaced(ctx === 'host' || ctx === 'bridge', ': put it in a pci-host or bridge body');
      return parseFunction(p, k === Kw.Device ? 'device' : 'bridge');
    case Kw.Window:
      misplaced(ctx === 'host' || ctx === 'bridge', ': windows belong to a pci-host or bridge');
      return parseWindow(p);
    case Kw.Bar:
      if (ctx === 'sequence') return parseBarStep(p);
      misplaced(ctx === 'device' || ctx === 'bridge', ': BARs belong to a device or bridge');
      return parseBar(p);
    case Kw.Rom:
      // `rom` is a region kind everywhere outside PCI bodies.
      if (ctx === 'top' || ctx === 'region') return null;
      misplaced(ctx === 'device' || ctx === 'bridge', ': the ROM BAR belongs to a device or bridge');
      return parseBar(p);
    case Kw.Read:
    case Kw.Write:
    case Kw.Label:
    case Kw.Reset:
      misplaced(ctx === 'sequence', ': steps belong in a sequence');
      return k === Kw.Read ? parseRead(p) : k === Kw.Write ? parseWrite(p) : k === Kw.Label ? parseLabel(p) : parseReset(p);
    case Kw.On:
      if (ctx !== 'sequence') return null;
      return parseOnBlock(p);
    default:
      if (ctx === 'iommu' && isWordText(p, 'devices')) return parseDevices(p);
      return null;
  }
}

// ---- slots -------------------------------------------------------------------------------

/** Attribute words that, right after the keyword, mean the statement's name is missing. */
const OWN_ATTRS: Record<string, ReadonlySet<string>> = {
  'pci-host': new Set(['mem', 'io', 'allow-0', 'bus']),
  device: new Set(['model', 'express', 'vendor-id', 'device-id', 'class', 'command', 'realize-command', 'serr',
    'secondary', 'subordinate', 'primary', 'root-port', 'x-vga']),
  cpu: new Set(['phys-bits']),
  iommu: new Set(['aw-bits', 'model']),
  sequence: new Set(['on', 'start']),
};

/** A name slot: a string, or a word on the same line that is not one of the statement's attributes. */
function pciName(p: ParserCore, stmt: string): NameNode {
  if (p.tok() === Tok.String) return p.nameFromToken();
  if (p.tok() === Tok.Word && !p.atNewline && !OWN_ATTRS[stmt].has(p.tokenText())) return p.nameFromToken();
  return p.missingName(`a name for the ${stmt}`);
}

/** A name after an attribute keyword (`model vfio-pci`, `start reset`, `serr off`). */
function valueName(p: ParserCore, what: string): NameNode {
  if (p.tok() === Tok.String || (p.tok() === Tok.Word && !p.atNewline)) return p.nameFromToken();
  return p.missingName(what);
}

/** An expression slot; a word that is a PCI keyword or starts a new line is not a constant. */
function pciExpr(p: ParserCore): ExprNode {
  const t = p.tok();
  if (t === Tok.Word && (p.atNewline || (p.kw() === Kw.None && (ATTRS.has(p.tokenText()) || isWordText(p, 'expect'))))) {
    const at = p.prevEnd;
    p.report('MR1020', span(at, at), { found: p.describe() });
    return new MissingExprNode(at, at);
  }
  return p.parseExpr();
}

function bdfFromText(s: number, e: number, text: string): BdfNode {
  const m = BDF_RE.exec(text);
  const slot = m ? parseInt(m[2], 16) : 0;
  if (!m || slot > 0x1f) return new BdfNode(s, e, 0, 0, 0, false, false);
  return new BdfNode(s, e, parseInt(m[1], 16), slot, Number(m[3]), true, false);
}

/** A device address; a bus starting with a letter (`a0:00.0`) scans as a word and is read here. */
function pciBdf(p: ParserCore, what = 'a device address (bb:ss.f)'): BdfNode {
  const s = p.start;
  const e = p.end;
  if (p.tok() === Tok.Bdf) {
    const v = p.tokValue() as bigint;
    p.next();
    if (v < 0n) return new BdfNode(s, e, 0, 0, 0, false, false);
    const n = Number(v);
    return new BdfNode(s, e, n >> 8, (n >> 3) & 0x1f, n & 7, true, false);
  }
  if (p.tok() === Tok.Word && !p.atNewline && BDF_RE.test(p.tokenText())) {
    const text = p.tokenText();
    p.next();
    const node = bdfFromText(s, e, text);
    if (!node.valid) p.report('MR1033', span(s, e), { text, why: `slot 0x${text.split(':')[1].split('.')[0]} is above 0x1f` });
    return node;
  }
  const at = p.prevEnd;
  p.report('MR1010', span(at, at), { expected: what, found: p.describe() });
  return new BdfNode(at, at, 0, 0, 0, false, true);
}

// ---- attributes and bodies -----------------------------------------------------------------

function parseAttr(p: ParserCore): PciAttrNode | null {
  if (p.tok() !== Tok.Word) return null;
  const name = p.tokenText();
  const type = ATTRS.get(name);
  if (!type) return null;
  const s = p.start;
  const keywordEnd = p.end;
  p.next();
  let value: PciAttrValue = null;
  switch (type) {
    case 'expr': value = pciExpr(p); break;
    case 'ref': value = p.tok() === Tok.Word && p.atNewline ? p.missingName('a region') : p.parseRef('a region'); break;
    case 'name': value = valueName(p, `a value for '${name}'`); break;
    case 'bdf': value = pciBdf(p); break;
    case 'flag': break;
  }
  return new PciAttrNode(s, p.prevEnd, name, keywordEnd, value);
}

/**
 * Attributes up to the end of the statement, then the body if one is allowed. A statement ends
 * at `}`, at a statement keyword, or at a line that starts with something not an attribute.
 */
function parseAttributes(p: ParserCore, what: string, bodyCtx: PciContext | null): { attributes: (PciAttrNode | ErrorNode)[]; body: BlockNode | null } {
  const attributes: (PciAttrNode | ErrorNode)[] = [];
  let body: BlockNode | null = null;
  while (p.step()) {
    const t = p.tok();
    if (t === Tok.EOF || t === Tok.RBrace) break;
    if (t === Tok.LBrace) {
      if (bodyCtx) {
        body = parseBody(p, bodyCtx);
        break;
      }
      p.report('MR1031', span(p.start, p.end), { found: p.describe(), what, expected: 'an attribute (no body)' });
      const sk = p.skipBalanced(Tok.LBrace, Tok.RBrace);
      attributes.push(new ErrorNode(sk.start, sk.end));
      continue;
    }
    const a = parseAttr(p);
    if (a) {
      attributes.push(a);
      continue;
    }
    if (isStatementKw(p.kw()) || p.atNewline) break;
    p.report('MR1031', span(p.start, p.end), { found: p.describe(), what, expected: `an attribute${bodyCtx ? ' or a body' : ''}` });
    const from = p.start;
    p.next();
    const rest = p.skipUntil(() =>
      p.tok() === Tok.LBrace || p.tok() === Tok.RBrace || p.atNewline || isStatementKw(p.kw()) ||
      (p.tok() === Tok.Word && ATTRS.has(p.tokenText())));
    attributes.push(new ErrorNode(from, rest ? rest.end : p.prevEnd));
  }
  return { attributes, body };
}

/** Whether the current token can start something in a body of `ctx` (recovery stops there). */
function startsBodyItem(p: ParserCore, ctx: PciContext): boolean {
  const k = p.kw();
  if (isStatementKw(k) || p.atNewline) return true;
  if (ctx === 'sequence') return k === Kw.Read || k === Kw.Write || k === Kw.Bar || k === Kw.Label || k === Kw.Reset || k === Kw.On;
  if (ctx === 'iommu') return isWordText(p, 'devices');
  return k === Kw.Window || k === Kw.Bar || k === Kw.Rom;
}

/** `{ … }` of a PCI statement: its own statements; anything else reported and skipped. */
function parseBody(p: ParserCore, ctx: PciContext): BlockNode {
  const open = span(p.start, p.end);
  if (p.depth >= MAX_DEPTH) {
    p.report('MR1015', open, { max: MAX_DEPTH });
    const sk = p.skipBalanced(Tok.LBrace, Tok.RBrace);
    const closed = p.text.charCodeAt(sk.end - 1) === 125 && sk.end - 1 > open.start;
    const innerEnd = closed ? sk.end - 1 : sk.end;
    return new BlockNode(sk.start, sk.end, closed ? sk.end - 1 : -1, innerEnd > open.end ? [new ErrorNode(open.end, innerEnd)] : []);
  }
  p.next();
  p.depth++;
  const statements: StatementNode[] = [];
  while (p.tok() !== Tok.EOF && p.tok() !== Tok.RBrace && p.step()) {
    const st = parsePciStatement(p, ctx);
    if (st) {
      statements.push(st);
      continue;
    }
    const k = p.kw();
    if (isStatementKw(k)) {
      // A region, const, address-space or include here: reported, read, and without effect.
      p.report('MR1032', span(p.start, p.end), { keyword: keywordText[k], where: where[ctx] });
      statements.push(p.parseStatement(true));
      continue;
    }
    p.report('MR1030', span(p.start, p.end), { found: p.describe(), where: where[ctx], expected: expected[ctx] });
    const s = p.start;
    p.next();
    const rest = p.skipUntil(() => p.tok() === Tok.RBrace || startsBodyItem(p, ctx));
    statements.push(new ErrorNode(s, rest ? rest.end : p.prevEnd));
  }
  p.depth--;
  let close = -1;
  if (p.tok() === Tok.RBrace) {
    close = p.start;
    p.next();
  } else {
    const at = p.text.length;
    p.report('MR1013', span(at, at), {}, [{ span: open, message: "the unclosed '{'" }]);
  }
  return new BlockNode(open.start, p.prevEnd, close, statements);
}

// ---- statements ----------------------------------------------------------------------------

function parseHost(p: ParserCore): PciHostNode {
  const s = p.start;
  p.next();
  const name = pciName(p, 'pci-host');
  const { attributes, body } = parseAttributes(p, 'pci-host', 'host');
  return new PciHostNode(s, p.prevEnd, name, attributes, body);
}

function parseFunction(p: ParserCore, keyword: 'device' | 'bridge'): PciFunctionNode {
  const s = p.start;
  p.next();
  const address = pciBdf(p);
  const name = pciName(p, keyword === 'bridge' ? 'device' : keyword);
  const { attributes, body } = parseAttributes(p, keyword, keyword);
  return new PciFunctionNode(s, p.prevEnd, keyword, address, name, attributes, body);
}

function parseBar(p: ParserCore): PciBarNode {
  const s = p.start;
  if (p.kw() === Kw.Rom) {
    p.next();
    const { attributes } = parseAttributes(p, 'rom', null);
    return new PciBarNode(s, p.prevEnd, 'rom', null, null, attributes);
  }
  p.next();
  const index = pciExpr(p);
  let barKind: NameNode;
  if ((p.tok() === Tok.Word && !p.atNewline && BAR_KINDS.has(p.tokenText())) ||
    (p.tok() === Tok.Word && !p.atNewline && !ATTRS.has(p.tokenText()) && !isStatementKw(p.kw()))) {
    barKind = p.nameFromToken(); // an unknown kind is the builder's MR2042
  } else barKind = p.missingName('a BAR kind (io, mem32, mem64)');
  const { attributes } = parseAttributes(p, 'bar', null);
  return new PciBarNode(s, p.prevEnd, 'bar', index, barKind, attributes);
}

function parseWindow(p: ParserCore): PciWindowNode {
  const s = p.start;
  p.next();
  let kind: NameNode;
  if (p.tok() === Tok.Word && !p.atNewline && (WINDOW_KINDS.has(p.tokenText()) || !ATTRS.has(p.tokenText()))) kind = p.nameFromToken();
  else kind = p.missingName('a window kind (mem, io, pref)');
  const base = pciExpr(p);
  const { attributes } = parseAttributes(p, 'window', null);
  return new PciWindowNode(s, p.prevEnd, kind, base, attributes);
}

function parseCpu(p: ParserCore): CpuNode {
  const s = p.start;
  p.next();
  const name = pciName(p, 'cpu');
  const { attributes } = parseAttributes(p, 'cpu', null);
  return new CpuNode(s, p.prevEnd, name, attributes);
}

function parseIommu(p: ParserCore): IommuInitiatorNode {
  const s = p.start;
  p.next();
  const name = pciName(p, 'iommu');
  const { attributes, body } = parseAttributes(p, 'iommu', 'iommu');
  return new IommuInitiatorNode(s, p.prevEnd, name, attributes, body);
}

function parseDevices(p: ParserCore): DevicesNode {
  const s = p.start;
  p.next();
  if (isWordText(p, 'all') && !p.atNewline) return new DevicesNode(s, p.end, p.nameFromToken(), []);
  const items: BdfNode[] = [];
  while (!p.atNewline && (p.tok() === Tok.Bdf || p.tok() === Tok.Word) && p.step()) {
    if (p.tok() === Tok.Word && !BDF_RE.test(p.tokenText())) break;
    items.push(pciBdf(p));
  }
  if (items.length === 0) items.push(pciBdf(p, "device addresses (bb:ss.f …) or 'all'"));
  return new DevicesNode(s, p.prevEnd, null, items);
}

function parseSequence(p: ParserCore): SequenceNode {
  const s = p.start;
  p.next();
  const name = pciName(p, 'sequence');
  const { attributes, body } = parseAttributes(p, 'sequence', 'sequence');
  if (!body) {
    const at = p.prevEnd;
    p.report('MR1010', span(at, at), { expected: "the sequence body '{'", found: p.describe() });
  }
  return new SequenceNode(s, p.prevEnd, name, attributes, body);
}

function parseRead(p: ParserCore): ReadStepNode {
  const s = p.start;
  p.next();
  const offset = pciExpr(p);
  const len = pciExpr(p);
  let expect: ExprNode | null = null;
  if (isWordText(p, 'expect') && !p.atNewline) {
    p.next();
    expect = pciExpr(p);
  }
  return new ReadStepNode(s, p.prevEnd, offset, len, expect);
}

function parseWrite(p: ParserCore): WriteStepNode {
  const s = p.start;
  p.next();
  const offset = pciExpr(p);
  const len = pciExpr(p);
  const value = pciExpr(p);
  return new WriteStepNode(s, p.prevEnd, offset, len, value);
}

function parseBarStep(p: ParserCore): BarStepNode {
  const s = p.start;
  p.next();
  const bar = pciExpr(p);
  let addr: ExprNode;
  if (p.kw() === Kw.At && !p.atNewline) {
    p.next();
    addr = pciExpr(p);
  } else {
    const at = p.prevEnd;
    p.report('MR1010', span(at, at), { expected: "'at ADDRESS'", found: p.describe() });
    // `bar 0 0x1000`: still take the address when one follows on the same line.
    addr = !p.atNewline && (p.tok() === Tok.Number || p.tok() === Tok.LParen) ? p.parseExpr() : new MissingExprNode(at, at);
  }
  return new BarStepNode(s, p.prevEnd, bar, addr);
}

function parseReset(p: ParserCore): ResetStepNode {
  const s = p.start;
  const e = p.end;
  p.next();
  return new ResetStepNode(s, e);
}

function parseLabel(p: ParserCore): LabelNode {
  const s = p.start;
  p.next();
  const name = valueName(p, 'a label name');
  return new LabelNode(s, p.prevEnd, name);
}

function parseOnBlock(p: ParserCore): OnBlockNode {
  const s = p.start;
  p.next();
  const address = pciBdf(p);
  let body: BlockNode | null = null;
  if (p.tok() === Tok.LBrace) body = parseBody(p, 'sequence');
  else {
    const at = p.prevEnd;
    p.report('MR1010', span(at, at), { expected: "'{' with the steps for this device", found: p.describe() });
  }
  return new OnBlockNode(s, p.prevEnd, address, body);
}
