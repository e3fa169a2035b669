// What a long file keeps of a per-file list an editor limits (folding ranges, code lenses):
// the outermost items first, so that the file is covered from top to bottom rather than its
// first part only. Whole nesting levels while they fit, then the first items of the next.

/**
 * The indexes, in order, of the items at most `limit` of which are kept, given each item's
 * nesting level. Levels are counted over every item; `wanted(i)` (say, a region with a name
 * in this file) may still drop one, which only leaves room.
 */
export function outermost(level: Int32Array, limit: number, wanted: (i: number) => boolean = () => true): number[] {
  const counts: number[] = [];
  for (let i = 0; i < level.length; i++) counts[level[i]] = (counts[level[i]] ?? 0) + 1;
  let keep = 0;
  let room = limit;
  for (; keep < counts.length && (counts[keep] ?? 0) <= room; keep++) room -= counts[keep] ?? 0;
  const out: number[] = [];
  for (let i = 0; i < level.length; i++) {
    if (level[i] > keep || (level[i] === keep && room <= 0) || !wanted(i)) continue;
    if (level[i] === keep) room--;
    out.push(i);
  }
  return out;
}
