// `info mtree -f` (R-FOUT-1..7): one block per flat view, ASes in creation order,
// ranges with the leaf's priority and name, `rom` for read-only pieces, `@offset` iff ≠ 0.
import { type Machine, regionType } from '../model/region.js';
import { type FlatViewGroup, flatViews } from './addressSpace.js';
import type { FlatRange } from './flatten.js';
import { add64, hex16, mrSize } from './format.js';

export function flatRangeLine(r: FlatRange): string {
  const type = r.readonly ? 'rom' : regionType(r.mr);
  const end = add64(r.start, mrSize(r.size));
  const off = r.offsetInRegion !== 0n ? ` @${hex16(r.offsetInRegion)}` : '';
  return `  ${hex16(r.start)}-${hex16(end)} (prio ${r.mr.priority}, ${r.nonvolatile ? 'nv-' : ''}${type}): ${r.mr.name}${off}`;
}

export function printFlatGroup(g: FlatViewGroup, n: number): string {
  const lines: string[] = [`FlatView #${n}`];
  for (const as of g.spaces) {
    const root = as.root;
    let line = ` AS "${as.name}", root: ${root ? root.name : '(none)'}`;
    if (root && root.kind === 'alias' && root.alias) line += `, alias ${root.alias.name}`;
    lines.push(line);
  }
  lines.push(` Root memory region: ${g.root ? g.root.name : '(none)'}`);
  if (g.ranges.length === 0) lines.push('  No rendered FlatView');
  else for (const r of g.ranges) lines.push(flatRangeLine(r));
  lines.push('');
  return lines.join('\n') + '\n';
}

/** The whole `info mtree -f` text. Block order: first AS creation order (QEMU's is a hash order). */
export function printFlat(m: Machine): string {
  return flatViews(m)
    .map((g, i) => printFlatGroup(g, i))
    .join('');
}
