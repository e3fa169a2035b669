// Oracle helpers: read the real QEMU 7.2 captures from ../shared/oracle (never copied into the
// repository) and compare printed output with them, ignoring only what no dump records
// (spec §5.3): block order, `FlatView #N` numbers, and — unless asked — the order of the
// ` AS "…"` lines inside a flat block. Captures use CRLF (HMP over QMP); lines are compared
// without their line ends.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** <repo>/../shared/oracle/mtree, resolved from this file (server/test/oracle). */
export const MTREE_DIR = resolve(__dirname, '../../../../shared/oracle/mtree');

export interface Capture {
  name: string;
  cmdline: string;
  files: { mtree: string; mtreeD: string; flat: string; qtree?: string | null };
}

export function oracleAvailable(): boolean {
  return existsSync(resolve(MTREE_DIR, 'index.json'));
}

export function captures(): Capture[] {
  return JSON.parse(readFileSync(resolve(MTREE_DIR, 'index.json'), 'utf8')) as Capture[];
}

export function readCapture(file: string): string {
  return readFileSync(resolve(MTREE_DIR, file), 'utf8').replace(/\r\n?/g, '\n');
}

/** Blank-line separated blocks; each block is its lines joined with '\n'. */
export function blocks(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\n+/)
    .map((b) => b.replace(/^\n+|\n+$/g, ''))
    .filter((b) => b.length > 0);
}

/** A flat block with its number removed and, unless `asOrder`, its AS lines sorted. */
export function normaliseFlatBlock(block: string, asOrder: boolean): string {
  const lines = block.split('\n');
  lines[0] = lines[0].replace(/^FlatView #\d+$/, 'FlatView #');
  if (!asOrder) {
    const first = lines.findIndex((l) => l.startsWith(' AS "'));
    let last = first;
    while (last >= 0 && last < lines.length && lines[last].startsWith(' AS "')) last++;
    if (first >= 0) lines.splice(first, last - first, ...lines.slice(first, last).sort());
  }
  return lines.join('\n');
}

export interface Comparison {
  ok: boolean;
  /** Human-readable account of the differences (empty when ok). */
  report: string;
}

/** Multiset comparison of blocks; the report shows missing and unexpected blocks, trimmed. */
export function compareBlocks(expected: string[], actual: string[]): Comparison {
  const count = new Map<string, number>();
  for (const b of expected) count.set(b, (count.get(b) ?? 0) + 1);
  const extra: string[] = [];
  for (const b of actual) {
    const c = count.get(b) ?? 0;
    if (c > 0) count.set(b, c - 1);
    else extra.push(b);
  }
  const missing: string[] = [];
  for (const [b, c] of count) for (let i = 0; i < c; i++) missing.push(b);
  if (missing.length === 0 && extra.length === 0) return { ok: true, report: '' };
  const parts: string[] = [];
  for (const m of missing) {
    const head = m.split('\n')[0];
    const twin = extra.find((e) => e.split('\n')[0] === head);
    parts.push(twin ? `block "${head}" differs:\n${lineDiff(m, twin)}` : `missing block:\n${trim(m)}`);
  }
  for (const e of extra) {
    const head = e.split('\n')[0];
    if (!missing.some((m) => m.split('\n')[0] === head)) parts.push(`unexpected block:\n${trim(e)}`);
  }
  return { ok: false, report: parts.join('\n\n') };
}

function trim(b: string, n = 12): string {
  const l = b.split('\n');
  return l.length > n ? [...l.slice(0, n), `… (${l.length - n} more lines)`].join('\n') : b;
}

/** The lines only in `a` (-) and only in `b` (+), in order, at most 20. */
function lineDiff(a: string, b: string): string {
  const al = a.split('\n');
  const bl = b.split('\n');
  const bs = new Map<string, number>();
  for (const l of bl) bs.set(l, (bs.get(l) ?? 0) + 1);
  const as = new Map<string, number>();
  for (const l of al) as.set(l, (as.get(l) ?? 0) + 1);
  const out: string[] = [];
  for (const l of al) {
    const c = bs.get(l) ?? 0;
    if (c > 0) bs.set(l, c - 1);
    else out.push('- ' + l);
  }
  for (const l of bl) {
    const c = as.get(l) ?? 0;
    if (c > 0) as.set(l, c - 1);
    else out.push('+ ' + l);
  }
  if (out.length === 0) {
    // Same lines, other order: show both from the first difference.
    let i = 0;
    while (i < al.length && al[i] === bl[i]) i++;
    out.push('same lines in another order; expected:', ...al.slice(i, i + 8), 'actual:', ...bl.slice(i, i + 8));
  }
  return trim(out.join('\n'), 24);
}

export function compareTree(expected: string, actual: string): Comparison {
  return compareBlocks(blocks(expected), blocks(actual));
}

export function compareFlat(expected: string, actual: string, asOrder: boolean): Comparison {
  return compareBlocks(
    blocks(expected).map((b) => normaliseFlatBlock(b, asOrder)),
    blocks(actual).map((b) => normaliseFlatBlock(b, asOrder)),
  );
}
