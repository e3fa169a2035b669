// Hover on a number or an expression: its value, exact, in hex, in decimal and as a size
// (`0x8_0000` = 524,288 = 512 KiB; `RAM - 64M` = 64 MiB), and the value of the whole attribute
// or constant it is part of. Names have hovers of their own (hover.ts); this one is for what
// is written as numbers and operators.
import type { Span } from '../base/span.js';
import { formatValue, valueOf } from '../model/evaluate.js';
import type { ConstantSymbol } from '../model/symbols.js';
import type { ExprNode } from '../syntax/ast.js';
import type { Analysis } from './analysis.js';
import { hex, humanSize } from './format.js';
import type { IdeHover } from './types.js';
import { type SyntaxNode, syntaxAt } from './syntaxAt.js';

const EXPRESSIONS = new Set(['Number', 'Binary', 'Unary', 'Paren', 'ConstRef']);
const isExpr = (n: SyntaxNode): n is ExprNode => EXPRESSIONS.has((n as { kind?: string }).kind ?? '');

/** How a value reads: an address or a size (hex, decimal, units), a count, or a register code (hex). */
type ValueKind = 'size' | 'count' | 'code';
const COUNTS = new Set(['priority', 'aw-bits', 'phys-bits', 'secondary', 'subordinate', 'primary', 'bus']);
const CODES = new Set(['vendor-id', 'device-id', 'class', 'command', 'realize-command']);

/** What an expression is the value of: the attribute keyword (region or PCI), or `const NAME`. */
function roleOf(parent: SyntaxNode | undefined): { title: string; kind: ValueKind } {
  const p = parent as { kind?: string; name?: unknown } | undefined;
  if ((p?.kind === 'ValueAttr' || p?.kind === 'PciAttr') && typeof p.name === 'string') {
    return { title: p.name, kind: COUNTS.has(p.name) ? 'count' : CODES.has(p.name) ? 'code' : 'size' };
  }
  if (p?.kind === 'Const') return { title: `const ${(p.name as { text: string }).text}`, kind: 'size' };
  return { title: 'value', kind: 'size' };
}

/** `1234567` → `1,234,567`. */
function grouped(v: bigint): string {
  const s = (v < 0n ? -v : v).toString();
  let out = '';
  for (let i = s.length; i > 0; i -= 3) out = s.slice(Math.max(0, i - 3), i) + (out ? ',' + out : '');
  return (v < 0n ? '-' : '') + out;
}

/** The value in the forms a reader checks it against: hex (or small decimal), decimal, size. */
function describe(v: bigint, kind: ValueKind): string {
  if (kind === 'code' && v >= 0n) return `${hex(v)} = ${grouped(v)}`;
  const parts = [formatValue(v)];
  if (v >= 0x10000n || v <= -0x10000n) parts.push(grouped(v));
  // A size when it is a whole number of units (`0xfffc_0000` is an address, not "4.0 GiB").
  const human = kind === 'size' && v >= 1024n ? humanSize(v) : '';
  if (human && !human.includes('(0x')) parts.push(human);
  return parts.join(' = ');
}

const code = (s: string): string => '`' + s.replace(/`/g, "'") + '`';

/**
 * The hover of the number or operator at `offset`, or null (not in an expression, or in one
 * whose value is an error: its diagnostic says why). Constants count as the build saw them at
 * that place: those defined before it.
 */
export function valueHover(a: Analysis, offset: number): IdeHover | null {
  const { path: all, shift } = syntaxAt(a, offset);
  // The character under the pointer is the one at `offset`: a node that only ends there is not it.
  let n = all.length;
  while (n > 0 && all[n - 1].end + shift <= offset) n--;
  const path = all.slice(0, n);
  const first = path.findIndex(isExpr);
  if (first < 0) return null;
  let last = first;
  while (last + 1 < path.length && isExpr(path[last + 1])) last++;
  const whole = path[first] as ExprNode;
  const inner = path[last] as ExprNode;
  // A constant's name has the constant's hover.
  if (inner.kind === 'ConstRef') return null;
  // The build reads a constant's value before the constant exists: its own name is unknown in it.
  const parent = path[first - 1] as (SyntaxNode & { kind?: string }) | undefined;
  const constants = visibleConstants(a, (parent?.kind === 'Const' ? parent.start : whole.start) + shift);
  const value = (e: ExprNode) => valueOf(e, constants);
  const role = roleOf(parent);
  const text = (e: ExprNode) => a.text.slice(e.start + shift, e.end + shift);
  const v = value(inner);
  if (v === null) return null;
  const lines = [`${code(text(inner))} = ${describe(v, role.kind)}`];
  if (inner !== whole) {
    const w = value(whole);
    if (w !== null) lines.push('', `${role.title} ${code(text(whole))} = ${describe(w, role.kind)}`);
  } else if (role.title !== 'value') lines[0] = `${role.title} ${lines[0]}`;
  const span: Span = { start: inner.start + shift, end: inner.end + shift };
  return { span, markdown: lines.join('\n') };
}

/** The constants defined before `at`, by name (an included file's count from its include). */
function visibleConstants(a: Analysis, at: number): Map<string, ConstantSymbol> {
  const inc = a.includes;
  const out = new Map<string, ConstantSymbol>();
  for (const c of a.index.constants) {
    if ((inc ? inc.placeOf(c.declSpan.start) : c.declSpan.start) < at && !out.has(c.name)) out.set(c.name, c);
  }
  return out;
}
