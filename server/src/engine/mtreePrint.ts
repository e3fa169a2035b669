// `info mtree` and `info mtree -D` (R-OUT-1..10): AS groups by identical root object,
// names sorted bytewise; children in (addr asc, priority desc, list order) order; the
// alias-target queue printed as `memory-region:` blocks. Iterative (no recursion).
import { type AddressSpace, type Machine, type Region, regionType } from '../model/region.js';
import { add64, hex16, mrSize } from './format.js';

/** Stable print order of a region's children (R-OUT-6). */
export function printOrder(children: readonly Region[]): Region[] {
  return children.slice().sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : b.priority - a.priority));
}

function byteCompare(a: string, b: string): number {
  // g_strcmp0 → strcmp: byte order of the UTF-8 encoding. For ASCII this is UTF-16 order.
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return Buffer.compare(ba, bb);
}

export interface MtreeOptions {
  /** `-D`: also print disabled regions. */
  disabled: boolean;
}

/**
 * mtree_print_mr for `root` at `level` with `base`; appends lines to `out` and alias targets
 * to `queue` (deduplicated by object, R-OUT-8).
 */
function printRegionTree(
  root: Region, level: number, base: bigint, opts: MtreeOptions,
  out: string[], queue: Region[], queued: Set<Region>,
): void {
  const stack: { mr: Region; level: number; base: bigint }[] = [{ mr: root, level, base }];
  while (stack.length > 0) {
    const { mr, level: lv, base: b } = stack.pop()!;
    const start = add64(b, mr.addr);
    const end = add64(start, mrSize(mr.size));
    // The overflow marker is printed even when the line itself is hidden (R-OUT-5).
    let prefix = start < b || end < start ? '[DETECTED OVERFLOW!] ' : '';
    if (mr.kind === 'alias' && mr.alias && !queued.has(mr.alias)) {
      queued.add(mr.alias);
      queue.push(mr.alias);
    }
    if (mr.enabled || opts.disabled) {
      const head = `${prefix}${'  '.repeat(lv)}${hex16(start)}-${hex16(end)} (prio ${mr.priority}, ${mr.nonvolatile ? 'nv-' : ''}${regionType(mr)}): `;
      const tail = mr.enabled ? '' : ' [disabled]';
      if (mr.kind === 'alias') {
        const ao = mr.aliasOffset;
        const ae = add64(ao, mrSize(mr.size));
        out.push(`${head}alias ${mr.name} @${mr.alias ? mr.alias.name : ''} ${hex16(ao)}-${hex16(ae)}${tail}`);
      } else {
        out.push(`${head}${mr.name}${tail}`);
      }
      prefix = '';
    } else if (prefix) {
      // The marker stays on the output stream and prefixes the next printed text.
      out.push(prefix);
    }
    const kids = printOrder(mr.children);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ mr: kids[i], level: lv + 1, base: start });
  }
}

/** The whole `info mtree [-D]` text. Group order: first AS creation order (QEMU's is a hash order). */
export function printMtree(m: Machine, opts: MtreeOptions): string {
  const groups = new Map<Region | null, AddressSpace[]>();
  for (const as of m.spaces) {
    const g = groups.get(as.root);
    if (g) g.push(as);
    else groups.set(as.root, [as]);
  }
  const out: string[] = [];
  const queue: Region[] = [];
  const queued = new Set<Region>();
  for (const [root, spaces] of groups) {
    // g_slist_insert_sorted puts a new element before existing equal ones, so equal
    // names come out newest first.
    const sorted = spaces
      .map((as, i) => ({ as, i }))
      .sort((a, b) => byteCompare(a.as.name, b.as.name) || b.i - a.i)
      .map((e) => e.as);
    for (const as of sorted) out.push(`address-space: ${as.name}`);
    if (root) printRegionTree(root, 1, 0n, opts, out, queue, queued);
    out.push('');
  }
  for (let i = 0; i < queue.length; i++) {
    out.push(`memory-region: ${queue[i].name}`);
    printRegionTree(queue[i], 1, 0n, opts, out, queue, queued);
    out.push('');
  }
  return joinLines(out);
}

/** Lines joined with '\n'; a bare overflow marker is glued to the following line. */
function joinLines(lines: string[]): string {
  let s = '';
  for (const l of lines) {
    if (l === '[DETECTED OVERFLOW!] ') s += l;
    else s += l + '\n';
  }
  return s;
}
