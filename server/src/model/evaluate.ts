// Expressions → values: exact bigint arithmetic, iterative over deep trees, every intermediate
// value bounded (MR2005) and never wrapped. Constants are visible after their definition only;
// a use before it is decided at the end of the build (MR2003 or MR2001).
import type { Diagnostic } from '../base/diagnostic.js';
import { diag } from '../base/catalog/index.js';
import type { Span } from '../base/span.js';
import type { ExprNode, NameNode, NumberNode } from '../syntax/ast.js';
import type { Builder } from './build.js';
import type { ConstantSymbol } from './symbols.js';

/** Intermediate values are bounded so that `2^2^40` cannot exhaust memory. */
const MAX_BITS = 4096;
const LITERAL_LIMIT = 1n << BigInt(MAX_BITS);

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

/** A `const` reference that was not defined at its use: MR2003 or MR2001, decided at the end. */
export interface UnknownConst {
  /** Where its diagnostic goes in `diagnostics` (a placeholder until then). */
  readonly index: number;
  readonly name: NameNode;
  /** The MR2001 quick fix when the part before a '-' is a constant (`RAM-1`). */
  readonly fixed: string | null;
}

/** What evaluation reads and reports into: the builder's constants and diagnostics. */
type ExprScope = Pick<Builder, 'diagnostics' | 'constByName' | 'constantRefs' | 'unknownConsts' | 'report'>;

/**
 * The value of `e` with the constants `constants` (by name), reporting nothing: for reading a
 * value back where the build already reported (a hover). Null where the build has an error.
 */
export function valueOf(e: ExprNode, constants: ReadonlyMap<string, ConstantSymbol>): bigint | null {
  const scope: ExprScope = {
    diagnostics: [],
    constByName: constants as Map<string, ConstantSymbol>,
    constantRefs: [],
    unknownConsts: [],
    report: () => undefined,
  };
  return evaluate(scope, e);
}

export function checkRange(b: ExprScope, v: bigint | null, at: ExprNode, what: string, min: bigint, max: bigint, range: string): bigint | null {
  if (v === null) return null;
  if (v < min || v > max) {
    b.report('MR2004', at.span, { what, value: formatValue(v), range });
    return null;
  }
  return v;
}

// ---- expressions (iterative: `1+1+…+1` makes a tree as deep as it is long) -------------

export function evaluate(b: ExprScope, root: ExprNode): bigint | null {
  if (root.kind === 'Number') return literal(b, root);
  if (root.kind === 'ConstRef') return constRef(b, root.name);
  const work: ExprNode[] = [root];
  const phase: boolean[] = [false];
  const vals: (bigint | null)[] = [];
  while (work.length > 0) {
    const e = work.pop()!;
    const second = phase.pop()!;
    switch (e.kind) {
      case 'Number':
        vals.push(literal(b, e));
        break;
      case 'MissingExpr':
        vals.push(null);
        break;
      case 'ConstRef':
        vals.push(constRef(b, e.name));
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
          vals.push(l === null || r === null ? null : binary(b, e.op, l, r, e.span, e.opSpan));
        }
        break;
    }
  }
  return vals.pop() ?? null;
}

/**
 * A literal is bounded like every intermediate value (the scanner caps long ones). Its span is
 * read only to report (a file has a literal per attribute).
 */
function literal(b: ExprScope, n: NumberNode): bigint | null {
  const v = n.value;
  if (v >= LITERAL_LIMIT) {
    b.report('MR2005', n.span, { bits: MAX_BITS });
    return null;
  }
  return v;
}

function binary(b: ExprScope, op: string, l: bigint, r: bigint, span: Span, opSpan: Span): bigint | null {
  let v: bigint;
  switch (op) {
    case '|':
      if (l < 0n || r < 0n) {
        b.report('MR2006', opSpan, { what: 'operand', value: formatValue(l < 0n ? l : r), op });
        return null;
      }
      v = l | r;
      break;
    case '<<':
      if (r < 0n) {
        b.report('MR2006', opSpan, { what: 'shift count', value: formatValue(r), op });
        return null;
      }
      if (l !== 0n && BigInt(bitLength(l)) + r > BigInt(MAX_BITS)) {
        b.report('MR2005', span, { bits: MAX_BITS });
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
        b.report('MR2006', opSpan, { what: 'exponent', value: formatValue(r), op });
        return null;
      }
      const lb = bitLength(l);
      if (lb > 1 && BigInt(lb - 1) * r > BigInt(MAX_BITS)) {
        b.report('MR2005', span, { bits: MAX_BITS });
        return null;
      }
      v = l ** r;
    }
  }
  if (bitLength(v) > MAX_BITS) {
    b.report('MR2005', span, { bits: MAX_BITS });
    return null;
  }
  return v;
}

function constRef(b: ExprScope, name: NameNode): bigint | null {
  const c = b.constByName.get(name.text) ?? null;
  b.constantRefs.push({ span: name.span, name: name.text, constant: c });
  if (c) return c.value;
  // Not defined so far: MR2003 if a top-level `const` declares it further down, else MR2001.
  // While statements stream in, later declarations are unknown, so the diagnostic is decided
  // in `finish` and takes this place in the list. `RAM-1` scans as one name: the fix with
  // spaces is offered when the part before a '-' is a constant defined by now.
  const dash = name.text.indexOf('-');
  const fixed = dash > 0 && !name.quoted && b.constByName.has(name.text.slice(0, dash))
    ? `${name.text.slice(0, dash)} - ${name.text.slice(dash + 1)}` : null;
  b.unknownConsts.push({ index: b.diagnostics.length, name, fixed });
  b.diagnostics.push(null as unknown as Diagnostic);
  return null;
}

export function decideUnknownConsts(b: Pick<Builder, 'unknownConsts' | 'allConstDecls' | 'diagnostics'>): void {
  for (const u of b.unknownConsts) {
    const text = u.name.text;
    const later = b.allConstDecls.get(text);
    let d: Diagnostic;
    if (later) d = diag('MR2003', u.name.span, { name: text }, [{ span: later.name.span, message: 'defined here' }]);
    else if (u.fixed !== null) {
      const hint = ` ('-' can be part of a name: write '${u.fixed}')`;
      const fix = { title: `Write '${u.fixed}'`, edits: [{ span: u.name.span, text: u.fixed }] };
      d = { ...diag('MR2001', u.name.span, { name: text, hint }), fix };
    } else d = diag('MR2001', u.name.span, { name: text, hint: '' });
    b.diagnostics[u.index] = d;
  }
}
