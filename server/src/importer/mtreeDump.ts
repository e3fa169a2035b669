// Reads the text of QEMU `info mtree [-D]` into a line tree: `address-space:` groups and
// `memory-region:` blocks, each with one root line and nested region lines (R-OUT-1..10).
// Never throws: unreadable, mis-indented or truncated input becomes diagnostics.
import type { Diagnostic } from '../base/diagnostic.js';
import { diag } from '../base/catalog/index.js';
import { span } from '../base/span.js';

/** One printed region line, with its subregion lines in printed order (R-OUT-6). */
export interface DumpLine {
  /** 1-based line number in the dump. */
  readonly line: number;
  /** Offsets of the line in the dump text (without the line end). */
  readonly start0: number;
  readonly end0: number;
  /** Indent level: 1 for a block's root. */
  readonly depth: number;
  /** Printed `start` and `end` (64-bit, R-OUT-4). */
  readonly start: bigint;
  readonly end: bigint;
  readonly priority: number;
  /** `i/o`, `ram`, `rom`, `romd`, `ramd` (without the `nv-` prefix). */
  readonly type: string;
  readonly nonvolatile: boolean;
  readonly name: string;
  /** Present for `alias NAME @TARGET AO-AE` lines. */
  readonly alias?: { readonly target: string; readonly offset: bigint; readonly end: bigint };
  readonly disabled: boolean;
  /** `[DETECTED OVERFLOW!]` preceded the line (R-OUT-5). */
  readonly overflow: boolean;
  readonly children: DumpLine[];
}

export interface DumpGroup {
  /** AS names in printed order (sorted by QEMU, R-OUT-1). */
  readonly names: string[];
  /** 1-based line number and offsets of the first header line. */
  readonly line: number;
  readonly start0: number;
  readonly end0: number;
  /** The shared root; null for address spaces without a root. */
  root: DumpLine | null;
}

export interface DumpBlock {
  readonly name: string;
  /** 1-based line number and offsets of the header line. */
  readonly line: number;
  readonly start0: number;
  readonly end0: number;
  root: DumpLine | null;
}

export interface MtreeDump {
  readonly groups: DumpGroup[];
  /** `memory-region:` blocks in printed (= alias-queue) order. */
  readonly blocks: DumpBlock[];
  readonly diagnostics: Diagnostic[];
}

const HEX = '[0-9a-fA-F]+';
const LINE_RE = new RegExp(`^(${HEX})-(${HEX}) \\(prio (-?\\d+), (nv-)?([a-z/]+)\\): (.*)$`);
const ALIAS_RE = new RegExp(`^alias (.+?) @(.*) (${HEX})-(${HEX})$`);
const OVERFLOW = '[DETECTED OVERFLOW!] ';
const MASK = (1n << 64n) - 1n;

/** Strip `-o` owner suffixes, which carry nothing the model keeps. */
function stripOwner(s: string): string {
  return s.replace(/ (owner:\{[^}]*\}|parent:\{[^}]*\}|orphan)$/, '');
}

export function parseMtreeDump(text: string): MtreeDump {
  const groups: DumpGroup[] = [];
  const blocks: DumpBlock[] = [];
  const diagnostics: Diagnostic[] = [];
  // The block being filled: a group (with headers still being collected) or a region block.
  let cur: { kind: 'as'; g: DumpGroup } | { kind: 'mr'; b: DumpBlock } | null = null;
  let headerOpen = false; // consecutive `address-space:` lines share one group
  let stack: DumpLine[] = [];
  let extraRoots = 0;
  let curLine = 0;

  const closeBlock = () => {
    if (cur && extraRoots > 0) {
      const name = cur.kind === 'as' ? cur.g.names.join(', ') : cur.b.name;
      const h = cur.kind === 'as' ? cur.g : cur.b;
      diagnostics.push(diag('MR7004', span(h.start0, h.end0), { line: h.line, block: name, count: extraRoots + 1 }));
    }
    if (cur && cur.kind === 'mr' && !cur.b.root) {
      diagnostics.push(diag('MR7009', span(cur.b.start0, cur.b.end0), { line: cur.b.line, name: cur.b.name }));
    }
    cur = null;
    headerOpen = false;
    stack = [];
    extraRoots = 0;
  };

  let pos = 0;
  let lineNo = 0;
  let lastBlank = true;
  while (pos < text.length) {
    // LF, CRLF and a lone CR all end a line, as in the .mrd lexer: no name read here can
    // hold a line break, which a quoted .mrd name could not represent.
    let lineEnd = pos;
    for (let c = text.charCodeAt(lineEnd); lineEnd < text.length && c !== 10 && c !== 13; c = text.charCodeAt(++lineEnd));
    const raw = text.slice(pos, lineEnd);
    const start0 = pos;
    pos = text.charCodeAt(lineEnd) === 13 && text.charCodeAt(lineEnd + 1) === 10 ? lineEnd + 2 : lineEnd + 1;
    lineNo++;
    curLine = lineNo;
    const sp = span(start0, lineEnd);
    lastBlank = raw.trim() === '';
    if (lastBlank) {
      closeBlock();
      continue;
    }
    if (raw.startsWith('address-space: ')) {
      const name = raw.slice('address-space: '.length);
      if (cur?.kind === 'as' && headerOpen) cur.g.names.push(name);
      else {
        closeBlock();
        const g: DumpGroup = { names: [name], line: lineNo, start0, end0: lineEnd, root: null };
        groups.push(g);
        cur = { kind: 'as', g };
        headerOpen = true;
      }
      continue;
    }
    if (raw.startsWith('memory-region: ')) {
      closeBlock();
      const b: DumpBlock = { name: raw.slice('memory-region: '.length), line: lineNo, start0, end0: lineEnd, root: null };
      blocks.push(b);
      cur = { kind: 'mr', b };
      continue;
    }
    const parsed = parseRegionLine(raw, lineNo, start0, lineEnd);
    if (!parsed) {
      diagnostics.push(diag('MR7001', sp, { line: lineNo, text: raw.length > 80 ? raw.slice(0, 80) + '…' : raw }));
      continue;
    }
    if (!cur) {
      diagnostics.push(diag('MR7003', sp, { line: lineNo }));
      continue;
    }
    headerOpen = false;
    let depth = parsed.depth;
    if (depth < 1) depth = 1;
    if (depth > stack.length + 1) {
      diagnostics.push(diag('MR7002', sp, { line: lineNo, from: stack.length, to: depth }));
      depth = stack.length + 1;
    }
    const node: DumpLine = { ...parsed, depth };
    stack.length = depth - 1;
    if (depth === 1) {
      const owner = cur.kind === 'as' ? cur.g : cur.b;
      if (owner.root) {
        // A second root: keep it reachable for diagnostics only.
        extraRoots++;
        stack = [];
        continue;
      }
      owner.root = node;
    } else {
      if (stack.length === 0) {
        // Children of an ignored extra root.
        continue;
      }
      stack[stack.length - 1].children.push(node);
    }
    stack.push(node);
  }
  if (cur && !lastBlank) {
    const c = cur as { kind: 'as'; g: DumpGroup } | { kind: 'mr'; b: DumpBlock };
    const name = c.kind === 'as' ? c.g.names.join(', ') : c.b.name;
    diagnostics.push(diag('MR7008', span(text.length, text.length), { line: curLine, block: name }));
  }
  closeBlock();
  if (groups.length === 0) diagnostics.push(diag('MR7011', span(0, 0), { line: 1 }));
  return { groups, blocks, diagnostics };
}

function parseRegionLine(raw: string, line: number, start0: number, end0: number): DumpLine | null {
  let s = raw;
  let overflow = false;
  if (s.startsWith(OVERFLOW)) {
    overflow = true;
    s = s.slice(OVERFLOW.length);
  }
  let spaces = 0;
  while (spaces < s.length && s.charCodeAt(spaces) === 32) spaces++;
  const m = LINE_RE.exec(s.slice(spaces));
  if (!m) return null;
  let rest = stripOwner(m[6]);
  let disabled = false;
  if (rest.endsWith(' [disabled]')) {
    disabled = true;
    rest = rest.slice(0, -' [disabled]'.length);
  }
  let name = rest;
  let alias: DumpLine['alias'];
  const a = rest.startsWith('alias ') ? ALIAS_RE.exec(rest) : null;
  if (a) {
    name = a[1];
    alias = { target: a[2], offset: BigInt('0x' + a[3]) & MASK, end: BigInt('0x' + a[4]) & MASK };
  }
  return {
    line,
    start0,
    end0,
    depth: Math.floor(spaces / 2),
    start: BigInt('0x' + m[1]) & MASK,
    end: BigInt('0x' + m[2]) & MASK,
    priority: Number(m[3]),
    type: m[5],
    nonvolatile: m[4] !== undefined,
    name,
    alias,
    disabled,
    overflow,
    children: [],
  };
}
