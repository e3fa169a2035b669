// Error-tolerant recursive-descent parser for .mrd (docs/language.md). `parse` never throws
// and always terminates: every loop consumes a token or leaves, a step counter backs that up,
// and region/parenthesis nesting deeper than MAX_DEPTH is skipped iteratively. Missing pieces
// become zero-width nodes; skipped tokens become Error nodes; at most one diagnostic per offset.
import type { Diagnostic, RelatedInfo } from '../base/diagnostic.js';
import { diag } from '../base/catalog/index.js';
import { bigOf } from '../base/bigint.js';
import { span, type Span } from '../base/span.js';
import {
  AddressSpaceNode,
  BinaryNode,
  BlockNode,
  ConstNode,
  ConstRefNode,
  ErrorNode,
  FileNode,
  FlagAttrNode,
  IdAttrNode,
  IncludeNode,
  MissingExprNode,
  NameNode,
  NumberNode,
  ParenNode,
  RefNode,
  RegionNode,
  RomdAttrNode,
  TargetAttrNode,
  UnaryNode,
  ValueAttrNode,
  type AttributeNode,
  type BinaryOp,
  type ExprNode,
  type FlagAttrName,
  type RegionKeyword,
  type RegionKindName,
  type StatementNode,
} from './ast.js';
import { FLAG_NEWLINE, Kw, keywordText, scan, Scanner, Tok, tokText, unitText, type Tokens } from './scanner.js';
import { parsePciStatement, type ParserCore } from './parsePci.js';

/** Region bodies and parentheses nested deeper than this are skipped with MR1015. */
export const MAX_DEPTH = 256;

const noAttributes: readonly (AttributeNode | ErrorNode)[] = Object.freeze([]);
/** What parseRegion returns for a statement handed to the sink as a PlainRegion (never delivered again). */
const PLAIN = new RegionNode(0, 0, 'container', new NameNode(0, 0, '', false, true), noAttributes, null);

export interface ParseResult {
  file: FileNode;
  diagnostics: Diagnostic[];
}

/**
 * Receives a document's statements in source order while they are parsed, instead of a tree
 * (`parseInto`): a consumer that needs each statement once (the model builder) then lets the
 * nodes die young instead of keeping a whole tree alive. Every statement reaches the sink
 * once, at its nesting depth (0 = top level, 1 = in a top-level region's body, …): complete,
 * except a region with a body, which arrives as `openRegion` (header: attributes, no body)
 * and, after its body's statements, `closeRegion`. Statements inside PCI statements stay in
 * those statements' nodes.
 */
export interface StatementSink {
  statement(st: StatementNode, depth: number): void;
  /** `header.body` is null and `header.end` is the end of its attributes; `open` is the `{`. */
  openRegion(header: RegionNode, depth: number, open: number): void;
  /** `end`: the end of the region statement (after its `}`); `close`: the `}`, -1 when missing. */
  closeRegion(end: number, close: number, depth: number): void;
  /**
   * Optional: a region statement of the plain shape (see `PlainRegion`), handed over without
   * syntax nodes. `open` is its `{` (then its body's statements and `closeRegion` follow, as
   * after `openRegion`), or -1 for a statement without a body (complete, as `statement`).
   * `r` is the parser's scratch record, reused for the next statement: read it before returning.
   */
  plainRegion?(r: Readonly<PlainRegion>, depth: number, open: number): void;
}

/**
 * A region statement of the shape most of a large file is made of, decided by the parser to
 * have no syntax diagnostic and no attribute the model could object to: a keyword other than
 * `alias` and `iommu`; a plain name on the keyword's line; then only `size`, `at`, `priority`
 * and flag attributes, none repeated, each value a single number literal in range (`at` and
 * `priority` only inside a body); then `{`, `}`, the end, or a new line. Anything else is
 * parsed into nodes as usual. The model reads it exactly as it reads the nodes of the same text.
 */
export interface PlainRegion {
  kind: RegionKindName;
  /** The statement's start (its keyword) and end (the end of its last attribute, or its name). */
  start: number;
  end: number;
  name: string;
  nameStart: number;
  nameEnd: number;
  /** null when not given. */
  size: bigint | null;
  /** 0 when not given. */
  at: bigint;
  priority: number;
  /** -1 not given, 0 `disabled`, 1 `enabled`. */
  enabled: number;
  readonly: boolean;
  nonvolatile: boolean;
}

/**
 * Tokens the parser's ring buffer holds (a power of two): the parser looks at most a few tokens
 * ahead and one back, so a window this size is refilled about once per RING tokens.
 */
const RING = 4096;
/** Tokens ahead of the cursor always scanned (or EOF): more than any lookahead of the parser. */
const LOOKAHEAD = 8;

/** The most tokens a plain region statement reads past its keyword (name, 4 attributes, the token after). */
const PLAIN_TOKENS = 12;
/** Largest values of `size`, `at` and `priority` (out of range: MR2004, so not plain). */
const TWO_64 = 1n << 64n;
const SIZE_2_64_LESS_1 = TWO_64 - 1n;
const SIZE_2_63_LESS_1 = (1n << 63n) - 1n;
const MAX_PRIORITY = (1n << 31n) - 1n;

/** Words up to this long are shared between their occurrences (`Parser.word`); longer ones are sliced. */
const MAX_SHARED_WORD = 32;
const WORD_CACHE_BITS = 12;

export function parse(text: string): ParseResult {
  return run(text, null);
}

/**
 * Parses `text` into `sink` (see StatementSink) and returns the syntax diagnostics, the same as
 * `parse(text).diagnostics`. The tree `parse` would return is not built.
 */
export function parseInto(text: string, sink: StatementSink): Diagnostic[] {
  return run(text, sink).diagnostics;
}

/** Where `parseRangeInto` stopped. */
export interface RangeResult {
  diagnostics: Diagnostic[];
  /** The start of the token the statement loop stopped at. */
  stoppedAt: number;
  /** That token's kind: `stopAt`'s token, a `}` ending the body, or EOF. */
  stopped: Tok;
  /** The step limit (MR1099) was hit. */
  gaveUp: boolean;
}

/**
 * Re-parses some consecutive statements of one body (or of the top level, `depth` 0) into
 * `sink`, for incremental analysis: scanning starts at `from` (the end of the token before the
 * first statement, or 0) and the statement loop stops at the first token starting at or after
 * `stopAt` (or at the body's `}`, or at the end). The statements read, and their diagnostics,
 * are the ones a parse of the whole text makes there, provided the caller checks that the
 * loop stopped where a statement of the whole text starts.
 */
export function parseRangeInto(text: string, sink: StatementSink, from: number, depth: number, stopAt: number): RangeResult {
  const scanDiags: Diagnostic[] = [];
  // A few tokens past `stopAt`: statements look at most two tokens ahead to see where they end.
  const toks = scan(text, scanDiags, { from, stopAt, extra: 3 });
  const p = new Parser(text, toks, null, sink);
  p.startRange(from, depth);
  const stopped = p.parseRange(stopAt);
  const diagnostics = mergeDiagnostics(scanDiags.filter((d) => d.span.start < stopAt), p.diagnostics);
  return { diagnostics, stoppedAt: p.startOffset(), stopped, gaveUp: p.hitStepLimit() };
}

/** Scanner and parser diagnostics by offset; the first one at an offset wins. */
function mergeDiagnostics(scanDiags: Diagnostic[], parseDiags: Diagnostic[]): Diagnostic[] {
  const all = scanDiags.concat(parseDiags);
  all.sort((a, b) => a.span.start - b.span.start);
  const out: Diagnostic[] = [];
  let last = -1;
  for (const d of all) {
    if (d.span.start === last) continue;
    last = d.span.start;
    out.push(d);
  }
  return out;
}

function run(text: string, sink: StatementSink | null, ring = RING): ParseResult {
  const scanDiags: Diagnostic[] = [];
  // Tokens are scanned as the parser advances, into a ring (a 100k-region file has 700k tokens).
  let p: Parser;
  if (ring > 0) {
    const scanner = new Scanner(text, scanDiags, ring, true);
    scanner.fill(ring - 1);
    p = new Parser(text, scanner.t, scanner, sink);
  } else p = new Parser(text, scan(text, scanDiags), null, sink);
  const file = p.parseFile();
  return { file, diagnostics: mergeDiagnostics(scanDiags, p.diagnostics) };
}

/**
 * For tests: `parse` with a token ring of `ring` slots (a power of two, at least 16), or with
 * every token scanned first (`ring` 0). The result never depends on it.
 */
export function parseWithRing(text: string, ring: number): ParseResult {
  return run(text, null, ring);
}

function isStatementKw(k: number): boolean {
  return (k >= Kw.Const && k <= Kw.AddressSpace) || (k >= Kw.Container && k <= Kw.Alias) || (k >= Kw.PciHost && k <= Kw.Sequence);
}

function isRegionKw(k: number): boolean {
  return k >= Kw.Container && k <= Kw.Alias;
}

/** Keywords that begin an attribute (`romd` only together with on/off, checked separately). */
function isAttrKw(k: number): boolean {
  return (k >= Kw.Id && k <= Kw.Nonvolatile) || k === Kw.Offset;
}

/** A binary operator or `^`: what may follow an operand inside an expression. */
function isOperator(t: Tok): boolean {
  return t === Tok.Pipe || t === Tok.Shl || t === Tok.Plus || t === Tok.Minus || t === Tok.Star || t === Tok.Caret;
}

const binaryOps: Partial<Record<Tok, BinaryOp>> = {
  [Tok.Pipe]: '|',
  [Tok.Shl]: '<<',
  [Tok.Plus]: '+',
  [Tok.Minus]: '-',
  [Tok.Star]: '*',
  [Tok.Caret]: '^',
};

class Parser {
  readonly diagnostics: Diagnostic[] = [];
  private i = 0;
  private steps = 0;
  private maxSteps: number;
  /** Whether `maxSteps` is final (else a bound from the tokens scanned so far; see `step`). */
  private stepsExact: boolean;
  private readonly mask: number;
  private depth = 0;
  private gaveUp = false;
  private readonly reported = new Set<number>();
  /** Attributes and statements being collected (see `popNodes`). */
  private readonly nodeStack: unknown[] = [];

  /** Region bodies around the current statement (the sink's depth). */
  private bodyDepth = 0;
  /** Inside a PCI statement: its contents stay in its node, even with a sink. */
  private inPci = 0;
  /** The region last delivered to the sink as open … close (so its caller does not deliver it again). */
  private streamed: RegionNode | null = null;
  /** A range parse's start: the end of the token before it (see `parseRangeInto`). */
  private rangeFrom = 0;
  /** Recent words by hash (see `word`), made on first use. */
  private words: string[] | null = null;
  /** The record `plainRegion` fills for the sink, when the sink takes plain regions. */
  private readonly plain: PlainRegion | null;

  /** `scanner`: the one filling `t` as a ring (a whole parse), null when `t` holds every token. */
  constructor(
    private readonly text: string,
    private readonly t: Tokens,
    private readonly scanner: Scanner | null,
    private readonly sink: StatementSink | null = null,
  ) {
    this.maxSteps = t.count * 8 + 1000;
    this.stepsExact = t.done;
    this.mask = t.mask;
    this.plain = sink !== null && sink.plainRegion !== undefined
      ? { kind: 'container', start: 0, end: 0, name: '', nameStart: 0, nameEnd: 0, size: null, at: 0n, priority: 0, enabled: -1, readonly: false, nonvolatile: false }
      : null;
  }

  // ---- token access ----------------------------------------------------------------------

  private tok(): Tok {
    return this.t.kind[this.i & this.mask];
  }
  private kw(): Kw {
    const j = this.i & this.mask;
    return this.t.kind[j] === Tok.Word ? (this.t.kw[j] as Kw) : Kw.None;
  }
  private get start(): number {
    return this.t.start[this.i & this.mask];
  }
  private get end(): number {
    return this.t.end[this.i & this.mask];
  }
  /** The token `k` ahead (k ≤ LOOKAHEAD), or the last one (EOF). */
  private peekTok(k = 1): Tok {
    const j = Math.min(this.i + k, this.t.count - 1);
    return this.t.kind[j & this.mask];
  }
  private peekKw(k = 1): Kw {
    const j = Math.min(this.i + k, this.t.count - 1) & this.mask;
    return this.t.kind[j] === Tok.Word ? this.t.kw[j] : Kw.None;
  }
  private peekStart(k: number): number {
    return this.t.start[Math.min(this.i + k, this.t.count - 1) & this.mask];
  }
  private peekEnd(k: number): number {
    return this.t.end[Math.min(this.i + k, this.t.count - 1) & this.mask];
  }
  /** The value of the current String, Bdf or large Number token. */
  private tokValue(): bigint | string {
    return this.t.values[this.t.vref[this.i & this.mask] & this.mask];
  }
  private get atNewline(): boolean {
    return (this.t.flags[this.i & this.mask] & FLAG_NEWLINE) !== 0;
  }
  /** End of the previous token: where zero-width missing nodes go. */
  private get prevEnd(): number {
    return this.i > 0 ? this.t.end[(this.i - 1) & this.mask] : this.rangeFrom;
  }
  private tokenText(): string {
    return this.text.slice(this.start, this.end);
  }
  private describe(): string {
    const k = this.tok();
    if (k === Tok.EOF) return 'end of file';
    if (k === Tok.Word || k === Tok.Number || k === Tok.Bad || k === Tok.Bdf) {
      let s = this.tokenText();
      if (s.length > 40) s = s.slice(0, 40) + '…';
      return `'${s}'`;
    }
    if (k === Tok.String) return 'a string';
    return tokText[k];
  }

  /** Advance one token; the step counter guards every loop in the parser. */
  private next(): void {
    if (this.i < this.t.count - 1) {
      this.i++;
      // Keep LOOKAHEAD tokens scanned ahead; the ring keeps the token before the cursor.
      if (this.scanner !== null && this.t.count - this.i <= LOOKAHEAD && !this.t.done) {
        this.scanner.fill(this.i - 2 + this.mask);
      }
    }
  }
  private step(): boolean {
    if (++this.steps > this.maxSteps && !this.stepsExact) {
      // While the ring is being filled the token count is not known. The limit is 8 steps per
      // token of the whole text, as for a whole buffer: at least 8 per token scanned so far, and
      // should the steps pass even that, the tokens not yet scanned are counted.
      this.maxSteps = this.t.count * 8 + 1000;
      this.stepsExact = this.t.done;
      if (this.steps > this.maxSteps && !this.stepsExact) {
        const rest = new Scanner(this.text, [], 16, true, { from: this.scanEnd(), stopAt: Infinity, extra: 0 });
        while (!rest.t.done) rest.fill(rest.t.count + 8);
        this.maxSteps = (this.t.count + rest.t.count) * 8 + 1000;
        this.stepsExact = true;
      }
    }
    if (this.steps > this.maxSteps) {
      if (!this.gaveUp) {
        this.gaveUp = true;
        this.report('MR1099', span(this.start, this.start));
        this.skipToEnd();
      }
      return false;
    }
    return true;
  }
  /** Where the scanner stopped (the end of the last token scanned). */
  private scanEnd(): number {
    return this.t.end[(this.t.count - 1) & this.mask];
  }
  /** Moves to the EOF token, scanning the rest of the text. */
  private skipToEnd(): void {
    while (!this.t.done) {
      this.i = this.t.count - 1;
      this.scanner!.fill(this.i - 2 + this.mask);
    }
    this.i = this.t.count - 1;
  }

  private report(code: string, s: Span, args: Record<string, string | number> = {}, related?: RelatedInfo[]): void {
    if (this.reported.has(s.start)) return;
    this.reported.add(s.start);
    this.diagnostics.push(diag(code, s, args, related));
  }

  private missingName(what: string): NameNode {
    const at = this.prevEnd;
    this.report('MR1010', span(at, at), { expected: what, found: this.describe() });
    return new NameNode(at, at, '', false, true);
  }

  private nameFromToken(): NameNode {
    const s = this.start;
    const e = this.end;
    const quoted = this.tok() === Tok.String;
    const text = quoted ? (this.tokValue() as string) : this.word(s, e);
    this.next();
    return new NameNode(s, e, text, quoted, false);
  }

  /**
   * The word at [s, e), shared with an earlier occurrence of the same word when the small
   * direct-mapped cache still holds it: names repeat (`reg0` in every device), and a
   * name is kept by its region for as long as the analysis lives.
   */
  private word(s: number, e: number): string {
    const text = this.text;
    if (e - s > MAX_SHARED_WORD) return text.slice(s, e);
    let h = 0;
    for (let j = s; j < e; j++) h = (Math.imul(h, 31) + text.charCodeAt(j)) | 0;
    const slot = (Math.imul(h, 0x9e3779b1) >>> (32 - WORD_CACHE_BITS));
    const words = (this.words ??= new Array<string>(1 << WORD_CACHE_BITS).fill(''));
    const w = words[slot];
    if (w.length === e - s && text.startsWith(w, s)) return w;
    const fresh = text.slice(s, e);
    words[slot] = fresh;
    return fresh;
  }

  /**
   * A name slot. Any word or string is accepted (region names may be keywords: `io io`),
   * except a statement keyword at the start of a new line: that is taken to begin the next
   * statement, so the name is missing.
   */
  private parseName(what: string): NameNode {
    if (this.tok() === Tok.String) return this.nameFromToken();
    if (this.tok() === Tok.Word && !(isStatementKw(this.kw()) && this.atNewline)) return this.nameFromToken();
    return this.missingName(what);
  }

  private parseRef(what: string): RefNode {
    const segs: NameNode[] = [this.parseName(what)];
    while (this.tok() === Tok.Slash && this.step()) {
      this.next();
      segs.push(this.parseName('a name after \'/\''));
    }
    return new RefNode(segs[0].start, segs[segs.length - 1].end, segs);
  }

  /** Skip tokens until `stop` says so (or EOF); returns the Error node, or null if nothing was skipped. */
  private skipUntil(stop: () => boolean): ErrorNode | null {
    const s = this.start;
    let e = s;
    while (this.tok() !== Tok.EOF && !stop() && this.step()) {
      e = this.end;
      this.next();
    }
    return e > s ? new ErrorNode(s, e) : null;
  }

  /** Skip a balanced `open … close` group (iteratively), starting at `open`. */
  private skipBalanced(open: Tok, close: Tok): Span {
    const s = this.start;
    let level = 0;
    let e = s;
    while (this.tok() !== Tok.EOF && this.step()) {
      if (this.tok() === open) level++;
      else if (this.tok() === close) level--;
      e = this.end;
      this.next();
      if (level === 0) break;
    }
    return span(s, e);
  }

  // ---- statements ------------------------------------------------------------------------

  parseFile(): FileNode {
    const statements: StatementNode[] = [];
    while (this.tok() !== Tok.EOF && this.step()) {
      if (this.tok() === Tok.RBrace) {
        this.report('MR1014', span(this.start, this.end));
        this.deliver(statements, new ErrorNode(this.start, this.end));
        this.next();
        continue;
      }
      this.deliver(statements, this.parseStatement(false));
    }
    return new FileNode(0, this.text.length, statements);
  }

  startRange(from: number, depth: number): void {
    this.rangeFrom = from;
    this.depth = depth;
    this.bodyDepth = depth;
  }

  /** The statement loop of parseFile (depth 0) or parseBlock, up to `stopAt`; returns the stop token. */
  parseRange(stopAt: number): Tok {
    const statements: StatementNode[] = [];
    const top = this.bodyDepth === 0;
    while (this.tok() !== Tok.EOF && this.start < stopAt && this.step()) {
      if (this.tok() === Tok.RBrace) {
        if (!top) break;
        this.report('MR1014', span(this.start, this.end));
        this.deliver(statements, new ErrorNode(this.start, this.end));
        this.next();
        continue;
      }
      this.deliver(statements, this.parseStatement(!top));
    }
    return this.tok();
  }

  startOffset(): number {
    return this.start;
  }

  hitStepLimit(): boolean {
    return this.gaveUp;
  }

  /** A statement of a file or region body: to the sink when there is one, else into `list`. */
  private deliver(list: unknown[], st: StatementNode): void {
    if (this.sink === null || this.inPci > 0) list.push(st);
    else if (st !== this.streamed) this.sink.statement(st, this.bodyDepth);
  }

  /** One statement; at an unexpected token, skips to the next statement keyword or `}`. */
  private parseStatement(inBlock: boolean): StatementNode {
    const k = this.kw();
    // PCI statements (and `iommu NAME aw-bits …`, an initiator) are read by parsePci.ts on this
    // parser's cursor; it returns null for everything else.
    if (k >= Kw.PciHost || k === Kw.Iommu) {
      this.inPci++;
      const pci = parsePciStatement(this as unknown as ParserCore, inBlock ? 'region' : 'top');
      this.inPci--;
      if (pci) return pci;
    }
    if (isRegionKw(k)) return this.parseRegion();
    if (k === Kw.Const || k === Kw.Include || k === Kw.AddressSpace) {
      if (inBlock) {
        this.report('MR1016', span(this.start, this.end), { keyword: keywordText[k] });
      }
      if (k === Kw.Const) return this.parseConst();
      if (k === Kw.Include) return this.parseInclude();
      return this.parseAddressSpace();
    }
    this.report('MR1011', span(this.start, this.end), { found: this.describe() });
    const s = this.start;
    this.next();
    const rest = this.skipUntil(() => isStatementKw(this.kw()) || this.tok() === Tok.RBrace);
    return new ErrorNode(s, rest ? rest.end : this.prevEnd);
  }

  private parseConst(): ConstNode {
    const s = this.start;
    this.next();
    let name: NameNode;
    if (this.tok() === Tok.Word && this.kw() === Kw.None) name = this.nameFromToken();
    else if (this.tok() === Tok.Word && !(isStatementKw(this.kw()) && this.atNewline)) {
      this.report('MR1017', span(this.start, this.end), { name: this.tokenText() });
      name = this.nameFromToken();
    } else name = this.missingName('a constant name');
    let value: ExprNode;
    if (this.tok() === Tok.Eq) {
      this.next();
      value = this.parseExpr();
    } else {
      const at = this.prevEnd;
      this.report('MR1010', span(at, at), { expected: "'='", found: this.describe() });
      // `const X 5`: still take the expression if one follows on the same line.
      value = this.startsExpr() && !this.atNewline ? this.parseExpr() : new MissingExprNode(at, at);
    }
    return new ConstNode(s, this.prevEnd, name, value);
  }

  private parseInclude(): IncludeNode {
    const s = this.start;
    this.next();
    let path: NameNode;
    if (this.tok() === Tok.String) path = this.nameFromToken();
    else path = this.missingName('a quoted path');
    return new IncludeNode(s, this.prevEnd, path);
  }

  private parseAddressSpace(): AddressSpaceNode {
    const s = this.start;
    this.next();
    const name = this.parseName('an address-space name');
    let root: RefNode | null = null;
    let rootMissing = false;
    if (this.kw() === Kw.Root) {
      this.next();
      if (this.kw() === Kw.NoneKw) this.next();
      else root = this.parseRef('a root region');
    } else {
      const at = this.prevEnd;
      this.report('MR1010', span(at, at), { expected: "'root'", found: this.describe() });
      rootMissing = true;
    }
    return new AddressSpaceNode(s, this.prevEnd, name, root, rootMissing);
  }

  private parseRegion(): RegionNode {
    if (this.plain !== null && this.inPci === 0 && this.plainRegion()) return PLAIN;
    const s = this.start;
    const keyword = keywordText[this.kw()] as RegionKeyword;
    this.next();
    let name: NameNode;
    // `ram size 4K`: an argument-taking attribute followed by its argument is not a name.
    const k = this.kw();
    if (
      (k === Kw.Size || k === Kw.At || k === Kw.Priority || k === Kw.Prio || k === Kw.Offset) &&
      (this.peekTok() === Tok.Number || this.peekTok() === Tok.LParen)
    ) {
      name = this.missingName(`a name for the ${keyword}`);
    } else name = this.parseName(`a name for the ${keyword}`);

    // Attributes collect on a shared stack and are copied out at their exact size (a pushed-to
    // array keeps a 17-slot backing store), before the body reuses the stack.
    const stack = this.nodeStack;
    const base = stack.length;
    let body: BlockNode | null = null;
    let attributes = noAttributes;
    while (this.step()) {
      const t = this.tok();
      if (t === Tok.EOF || t === Tok.RBrace) break;
      if (t === Tok.LBrace) {
        attributes = this.popNodes<AttributeNode | ErrorNode>(base, noAttributes);
        if (this.sink !== null && this.inPci === 0) {
          // Streaming: the header goes to the sink now, the body's statements one by one.
          const header = new RegionNode(s, this.prevEnd, keyword, name, attributes, null);
          this.sink.openRegion(header, this.bodyDepth, this.start);
          const block = this.parseBlock();
          this.sink.closeRegion(this.prevEnd, block.closeStart, this.bodyDepth);
          this.streamed = header;
          return header;
        }
        body = this.parseBlock();
        break;
      }
      const a = this.parseAttribute();
      if (a) {
        stack.push(a);
        continue;
      }
      // A statement keyword ends the region; so does garbage at the start of a line (a
      // statement whose keyword is missing), which the statement loop then skips whole.
      if (isStatementKw(this.kw()) || this.atNewline) break;
      // Garbage among the attributes: skip to the next attribute, `{`, `}` or statement.
      this.report('MR1012', span(this.start, this.end), { found: this.describe() });
      const from = this.start;
      this.next();
      const rest = this.skipUntil(
        () =>
          this.tok() === Tok.LBrace || this.tok() === Tok.RBrace || this.tok() === Tok.Arrow ||
          isStatementKw(this.kw()) || isAttrKw(this.kw()),
      );
      stack.push(new ErrorNode(from, rest ? rest.end : this.prevEnd));
    }
    if (body === null) attributes = this.popNodes<AttributeNode | ErrorNode>(base, noAttributes);
    return new RegionNode(s, this.prevEnd, keyword, name, attributes, body);
  }

  /**
   * A region statement of the plain shape (PlainRegion) at the cursor, handed to the sink
   * without nodes; false, the cursor unmoved, when the statement has any other shape. Every
   * decision looks at the tokens parseRegion and parseAttribute would look at, so a statement
   * is plain only where they would build the same region and report nothing.
   */
  private plainRegion(): boolean {
    const k = this.kw();
    if (k === Kw.Alias || k === Kw.Iommu) return false;
    const t = this.t;
    const m = this.mask;
    const i0 = this.i;
    if (this.scanner !== null && !t.done && t.count - i0 <= PLAIN_TOKENS) this.scanner.fill(i0 + PLAIN_TOKENS + 1);
    const last = Math.min(t.count - 1, i0 + PLAIN_TOKENS);
    // The name: a word that is not a keyword, on the keyword's line.
    let j = i0 + 1;
    if (j > last) return false;
    let x = j & m;
    if (t.kind[x] !== Tok.Word || t.kw[x] !== Kw.None || (t.flags[x] & FLAG_NEWLINE) !== 0) return false;
    const r = this.plain!;
    r.nameStart = t.start[x];
    r.nameEnd = t.end[x];
    r.size = null;
    r.at = 0n;
    r.priority = 0;
    r.enabled = -1;
    r.readonly = false;
    r.nonvolatile = false;
    const inBody = this.bodyDepth > 0;
    let seen = 0;
    for (j++; ; ) {
      if (j > last) return false;
      x = j & m;
      const tk = t.kind[x];
      if (tk === Tok.EOF || tk === Tok.RBrace || tk === Tok.LBrace) break;
      if (tk !== Tok.Word) return false;
      const w = t.kw[x];
      if (w === Kw.Size || w === Kw.At || w === Kw.Priority || w === Kw.Prio) {
        const bit = w === Kw.Size ? 1 : w === Kw.At ? 2 : 4;
        if ((seen & bit) !== 0 || j + 2 > last) return false;
        seen |= bit;
        const v = (j + 1) & m;
        if (t.kind[v] !== Tok.Number || isOperator(t.kind[(j + 2) & m])) return false;
        const ref = t.vref[v];
        const value = ref < 0 ? bigOf(t.num[~ref & m]) : (t.values[ref & m] as bigint);
        if (bit === 1) {
          // Sizes beyond 2^64, and the two sizes one byte short (MR3002, MR3003), are reported.
          if (value > TWO_64 || value === SIZE_2_64_LESS_1 || value === SIZE_2_63_LESS_1) return false;
          r.size = value;
        } else if (!inBody) return false;
        else if (bit === 2) {
          if (value >= TWO_64) return false;
          r.at = value;
        } else {
          if (value > MAX_PRIORITY) return false;
          r.priority = Number(value);
        }
        j += 2;
        continue;
      }
      if (w === Kw.Disabled || w === Kw.Enabled || w === Kw.Readonly || w === Kw.Nonvolatile) {
        const bit = w === Kw.Readonly ? 16 : w === Kw.Nonvolatile ? 32 : 8;
        if ((seen & bit) !== 0) return false;
        seen |= bit;
        if (bit === 8) r.enabled = w === Kw.Enabled ? 1 : 0;
        else if (bit === 16) r.readonly = true;
        else r.nonvolatile = true;
        j++;
        continue;
      }
      // Any other word ends the statement when it begins a line, unless parseAttribute would
      // read it as an attribute there (`offset`, `id`, `romd on`: left to parseRegion).
      if ((t.flags[x] & FLAG_NEWLINE) !== 0 && !isAttrKw(w) && w !== Kw.Romd) break;
      return false;
    }
    // `j` is the token after the statement's header.
    r.kind = k === Kw.Mmio ? 'io' : (keywordText[k] as RegionKindName);
    r.start = this.start;
    r.end = t.end[(j - 1) & m];
    r.name = this.word(r.nameStart, r.nameEnd);
    this.step();
    while (this.i < j) this.next();
    if (this.tok() === Tok.LBrace) {
      this.sink!.plainRegion!(r, this.bodyDepth, this.start);
      const block = this.parseBlock();
      this.sink!.closeRegion(this.prevEnd, block.closeStart, this.bodyDepth);
    } else this.sink!.plainRegion!(r, this.bodyDepth, -1);
    this.streamed = PLAIN;
    return true;
  }

  /** The nodes pushed on `nodeStack` since `base`, as an exact-size array (`empty` if none); pops them. */
  private popNodes<T>(base: number, empty: readonly T[]): readonly T[] {
    const stack = this.nodeStack;
    const n = stack.length - base;
    if (n === 0) return empty;
    const out = new Array<T>(n);
    for (let j = 0; j < n; j++) out[j] = stack[base + j] as T;
    // Popping one by one keeps the stack's backing store (setting `length` may shrink it).
    for (let j = 0; j < n; j++) stack.pop();
    return out;
  }

  /** An attribute at the current token, or null if the token starts none. */
  private parseAttribute(): AttributeNode | null {
    const s = this.start;
    const k = this.kw();
    switch (k) {
      case Kw.Size:
      case Kw.At:
      case Kw.Priority:
      case Kw.Prio:
      case Kw.Offset: {
        const keywordEnd = this.end;
        this.next();
        const value = this.parseExpr();
        const name = k === Kw.Size ? 'size' : k === Kw.At ? 'at' : k === Kw.Offset ? 'offset' : 'priority';
        return new ValueAttrNode(s, this.prevEnd, name, keywordEnd, value);
      }
      case Kw.Disabled:
      case Kw.Enabled:
      case Kw.Readonly:
      case Kw.Nonvolatile: {
        this.next();
        return new FlagAttrNode(s, this.prevEnd, keywordText[k] as FlagAttrName);
      }
      case Kw.Romd: {
        // `romd on|off` is the attribute; `romd` followed by anything else starts a region.
        const nk = this.peekKw();
        if (nk !== Kw.On && nk !== Kw.Off) return null;
        this.next();
        this.next();
        return new RomdAttrNode(s, this.prevEnd, nk === Kw.On);
      }
      case Kw.Id: {
        this.next();
        const id = this.parseName('an id');
        return new IdAttrNode(s, this.prevEnd, id);
      }
      default:
        break;
    }
    if (this.tok() === Tok.Arrow) {
      this.next();
      const target = this.parseRef('an alias target');
      return new TargetAttrNode(s, this.prevEnd, target);
    }
    return null;
  }

  private parseBlock(): BlockNode {
    const open = span(this.start, this.end);
    if (this.depth >= MAX_DEPTH) {
      // Too deep: skip the whole balanced group without looking inside.
      this.report('MR1015', open, { max: MAX_DEPTH });
      const skipped = this.skipBalanced(Tok.LBrace, Tok.RBrace);
      const closed = this.text.charCodeAt(skipped.end - 1) === 125 && skipped.end - 1 > open.start;
      const inner = new ErrorNode(open.end, closed ? skipped.end - 1 : skipped.end);
      return new BlockNode(skipped.start, skipped.end, closed ? skipped.end - 1 : -1, inner.end > inner.start ? [inner] : []);
    }
    this.next();
    this.depth++;
    this.bodyDepth++;
    const base = this.nodeStack.length;
    while (this.tok() !== Tok.EOF && this.tok() !== Tok.RBrace && this.step()) {
      this.deliver(this.nodeStack, this.parseStatement(true));
    }
    const statements = this.popNodes<StatementNode>(base, []);
    this.bodyDepth--;
    this.depth--;
    let close = -1;
    if (this.tok() === Tok.RBrace) {
      close = this.start;
      this.next();
    } else {
      const at = this.text.length;
      this.report('MR1013', span(at, at), {}, [{ span: open, message: "the unclosed '{'" }]);
    }
    return new BlockNode(open.start, this.prevEnd, close, statements);
  }

  // ---- expressions -----------------------------------------------------------------------

  private startsExpr(): boolean {
    const t = this.tok();
    return t === Tok.Number || t === Tok.LParen || t === Tok.Minus || (t === Tok.Word && this.kw() === Kw.None);
  }

  /** Precedence climbing, lowest first: `|`, `<<`, `+ -`, `*`; then `^` and unary `-`. */
  private parseExpr(): ExprNode {
    // The common case, a number alone (`size 0x1000`), without the descent through every level.
    if (this.tok() === Tok.Number && !isOperator(this.peekTok())) return this.parsePrimary();
    return this.parseBinary(0);
  }

  private static readonly levels: Tok[][] = [[Tok.Pipe], [Tok.Shl], [Tok.Plus, Tok.Minus], [Tok.Star]];

  private parseBinary(level: number): ExprNode {
    if (level === Parser.levels.length) return this.parsePower();
    let left = this.parseBinary(level + 1);
    const ops = Parser.levels[level];
    while (ops.includes(this.tok()) && this.step()) {
      const op = binaryOps[this.tok()]!;
      const opStart = this.start;
      this.next();
      const right = this.parseBinary(level + 1);
      left = new BinaryNode(op, opStart, left, right);
    }
    return left;
  }

  /** `a ^ b ^ c` is right-associative; folded iteratively. */
  private parsePower(): ExprNode {
    const first = this.parseUnary();
    if (this.tok() !== Tok.Caret) return first; // the common case allocates no arrays
    const operands: ExprNode[] = [first];
    const opStarts: number[] = [];
    while (this.tok() === Tok.Caret && this.step()) {
      opStarts.push(this.start);
      this.next();
      operands.push(this.parseUnary());
    }
    let e = operands[operands.length - 1];
    for (let j = operands.length - 2; j >= 0; j--) {
      e = new BinaryNode('^', opStarts[j], operands[j], e);
    }
    return e;
  }

  private parseUnary(): ExprNode {
    if (this.tok() !== Tok.Minus) return this.parsePrimary();
    const minus: number[] = [];
    while (this.tok() === Tok.Minus && this.step()) {
      minus.push(this.start);
      this.next();
    }
    let e = this.parsePrimary();
    for (let j = minus.length - 1; j >= 0; j--) {
      e = new UnaryNode(minus[j], e);
    }
    return e;
  }

  private parsePrimary(): ExprNode {
    const s = this.start;
    switch (this.tok()) {
      case Tok.Number: {
        const j = this.i & this.mask;
        const ref = this.t.vref[j];
        const value = ref < 0 ? bigOf(this.t.num[~ref & this.mask]) : (this.t.values[ref & this.mask] as bigint);
        const unit = unitText[this.t.kw[j]];
        const e = this.end;
        this.next();
        return new NumberNode(s, e, value, unit);
      }
      case Tok.Word:
        if (this.kw() === Kw.None) {
          return new ConstRefNode(this.nameFromToken());
        }
        break;
      case Tok.LParen: {
        if (this.depth >= MAX_DEPTH) {
          this.report('MR1015', span(s, this.end), { max: MAX_DEPTH });
          const sk = this.skipBalanced(Tok.LParen, Tok.RParen);
          return new MissingExprNode(sk.start, sk.end);
        }
        this.next();
        this.depth++;
        const expr = this.parseExpr();
        this.depth--;
        if (this.tok() === Tok.RParen) this.next();
        else {
          const at = this.prevEnd;
          this.report('MR1021', span(at, at), { found: this.describe() }, [
            { span: span(s, s + 1), message: "the unclosed '('" },
          ]);
        }
        return new ParenNode(s, this.prevEnd, expr);
      }
      default:
        break;
    }
    const at = this.prevEnd;
    this.report('MR1020', span(at, at), { found: this.describe() });
    return new MissingExprNode(at, at);
  }
}
