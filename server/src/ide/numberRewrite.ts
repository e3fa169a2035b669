// Rewrites of a number literal into another spelling of the same value: hex (`0x1_0000`),
// a unit (`64K`, only where it is exact) or decimal. The value never changes: each form is the
// literal's value, unit applied, written again.
import type { Span } from '../base/span.js';
import type { Analysis } from './analysis.js';
import { hex } from './format.js';
import { syntaxAt } from './syntaxAt.js';

export interface IdeRewrite {
  readonly title: string;
  readonly edits: readonly { span: Span; text: string }[];
}

const UNITS: readonly [string, bigint][] = [['E', 1n << 60n], ['P', 1n << 50n], ['T', 1n << 40n], ['G', 1n << 30n], ['M', 1n << 20n], ['K', 1n << 10n]];

/** Below this many units a count reads as a size (`4194048K` does not). */
const MAX_COUNT = 1n << 20n;

/** `v` in the largest unit that divides it exactly (`64K`, `4G`), or null (none, or a count too long to read). */
export function unitLiteral(v: bigint): string | null {
  for (const [u, f] of UNITS) if (v >= f && v % f === 0n) return v / f < MAX_COUNT ? `${v / f}${u}` : null;
  return null;
}

/** The other spellings of the number literal at `range` (a cursor or a selection inside it). */
export function numberRewrites(a: Analysis, range: Span): IdeRewrite[] {
  const { path, shift } = syntaxAt(a, range.start);
  const n = path[path.length - 1] as { kind?: string; value?: bigint; start: number; end: number } | undefined;
  if (n?.kind !== 'Number' || typeof n.value !== 'bigint') return [];
  const span = { start: n.start + shift, end: n.end + shift };
  if (range.end > span.end || range.start < span.start) return [];
  const written = a.text.slice(span.start, span.end);
  const v = n.value;
  const forms = [hex(v), unitLiteral(v), v.toString()];
  const out: IdeRewrite[] = [];
  for (const f of forms) {
    if (f === null || f === written || out.some((r) => r.edits[0].text === f)) continue;
    out.push({ title: `Write ${written} as ${f}`, edits: [{ span, text: f }] });
  }
  return out;
}
