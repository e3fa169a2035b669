// Line tree of an `info mtree -D` dump → Machine. Recovers region identity (a printed line is
// one object, a `memory-region:` block may repeat a region printed elsewhere), alias targets by
// replaying the printer's alias queue (R-OUT-8), sizes, kinds (facts.ts), add order and roots.
import type { Diagnostic } from '../base/diagnostic.js';
import { diag } from '../base/catalog/index.js';
import { span } from '../base/span.js';
import {
  addSubregion,
  createRegion,
  newMachine,
  regionType,
  TWO_64,
  type Machine,
  type Region,
  type RegionKind,
} from '../model/region.js';
import type { DumpLine, MtreeDump } from './mtreeDump.js';
import { ioKind, isReadonlyAlias, nameMatches, orderFacts, pointSize } from './facts.js';

const MASK = TWO_64 - 1n;

/** One printed line with its place in the dump. */
interface Node {
  readonly line: DumpLine;
  readonly parent: Node | null;
  readonly children: Node[];
  /** Index of the `memory-region:` block holding the line, or -1 inside an address-space group. */
  readonly block: number;
  /** Interned structural signature of the subtree (names, numbers, relative offsets). */
  sig: number;
}

export interface ImportResult {
  machine: Machine;
  diagnostics: Diagnostic[];
}

/** Offset of a line's region inside its container: printed start minus the parent's (R-OUT-6). */
function addrOf(n: Node): bigint {
  return n.parent ? (n.line.start - n.parent.line.start) & MASK : n.line.start;
}

export function importDump(
  dump: MtreeDump,
  asOrder?: (spaces: { name: string; root: Region | null }[]) => number[],
): ImportResult {
  const diagnostics: Diagnostic[] = [...dump.diagnostics];
  const lineSpan = (l: DumpLine) => span(l.start0, l.end0);

  // 1. Nodes for every printed line, in print order.
  const sigs = new Map<string, number>();
  const all: Node[] = [];
  const build = (line: DumpLine, parent: Node | null, block: number): Node => {
    const n: Node = { line, parent, children: [], block, sig: 0 };
    all.push(n);
    for (const c of line.children) n.children.push(build(c, n, block));
    const a = line.alias;
    const key = [
      line.name,
      (line.end - line.start) & MASK,
      line.priority,
      line.type,
      line.nonvolatile,
      a ? `${a.target}\u0002${a.offset}\u0002${a.end}` : '',
      line.disabled,
      n.children.map((c) => `${(c.line.start - line.start) & MASK}:${c.sig}`).join(','),
    ].join('\u0001');
    let s = sigs.get(key);
    if (s === undefined) sigs.set(key, (s = sigs.size));
    n.sig = s;
    return n;
  };
  const groupRoots = dump.groups.map((g) => (g.root ? build(g.root, null, -1) : null));
  const blockRoots = dump.blocks.map((b, k) => (b.root ? build(b.root, null, k) : null));

  // 2. Identity of `memory-region:` blocks. A block prints an object that may also be printed
  // inside an address-space tree or inside another block: same name, same subtree, and its
  // printed start equals that region's offset in its container (R-OUT-9). Two blocks are never
  // the same object (the queue deduplicates by object). AS roots of different groups are
  // different objects by construction (R-OUT-1).
  const bySig = new Map<number, Node[]>();
  for (const n of all) {
    if (n.block >= 0 && n.parent === null) continue;
    let list = bySig.get(n.sig);
    if (!list) bySig.set(n.sig, (list = []));
    list.push(n);
  }
  const blockObj: (Node | null)[] = dump.blocks.map(() => null);
  const blockState: number[] = dump.blocks.map(() => 0);
  const claimed = new Set<Node>();
  const resolveBlock = (k: number): Node | null => {
    if (blockState[k] === 2) return blockObj[k];
    if (blockState[k] === 1) return null;
    blockState[k] = 1;
    const root = blockRoots[k];
    let obj: Node | null = null;
    if (root) {
      const cands = (bySig.get(root.sig) ?? []).filter((c) => addrOf(c) === root.line.start && c.block !== k);
      cands.sort((x, y) => (x.block < 0 ? 0 : 1) - (y.block < 0 ? 0 : 1));
      for (const c of cands) {
        const o = canonical(c);
        if (o && !claimed.has(o)) {
          obj = o;
          break;
        }
      }
      if (!obj) obj = root;
      claimed.add(obj);
    }
    blockObj[k] = obj;
    blockState[k] = 2;
    return obj;
  };
  const canonCache = new Map<Node, Node | null>();
  function canonical(n: Node): Node | null {
    if (n.block < 0) return n;
    const hit = canonCache.get(n);
    if (hit !== undefined) return hit;
    let r: Node | null;
    if (!n.parent) r = resolveBlock(n.block);
    else {
      const p = canonical(n.parent);
      r = p === null ? null : p === n.parent ? n : (p.children[n.parent.children.indexOf(n)] ?? null);
    }
    if (r) canonCache.set(n, r);
    return r;
  }
  dump.blocks.forEach((_, k) => resolveBlock(k));

  // 3. Alias targets: replay the print order and the alias queue (R-OUT-8).
  const targetBlock = replayAliasQueue(dump, groupRoots, blockRoots, canonical, diagnostics);

  // 4. Regions for canonical nodes: address-space trees, then blocks printing new objects.
  const m = newMachine();
  const regionOf = new Map<Node, Region>();
  const make = (n: Node) => {
    regionOf.set(n, createRegionFor(m, n.line, diagnostics));
    for (const c of n.children) make(c);
  };
  for (const g of groupRoots) if (g) make(g);
  blockRoots.forEach((b, k) => {
    if (b && blockObj[k] === b) make(b);
  });
  for (const [n, r] of regionOf) {
    if (!n.parent) {
      r.addr = n.line.start;
      if (r.addr !== 0n) {
        const addr = '0x' + r.addr.toString(16);
        diagnostics.push(diag('MR7013', lineSpan(n.line), { line: n.line.line, name: n.line.name, addr }));
      }
    }
    for (const c of addOrder(n.children)) addSubregion(r, addrOf(c), regionOf.get(c)!, c.line.priority);
  }
  for (const [n, r] of regionOf) {
    if (!n.line.alias) continue;
    const k = targetBlock.get(n);
    const obj = k === undefined ? null : blockObj[k];
    if (obj) r.alias = regionOf.get(obj) ?? null;
    if (!r.alias) {
      // Stand-in so the model stays well-formed; MR7005 was reported by the replay.
      r.alias = createRegion(m, { name: n.line.alias.target, kind: 'container', size: r.size });
    }
  }
  // The printed type of an alias is its final target's (R-MR-4): a cheap consistency check.
  for (const [n, r] of regionOf) {
    if (r.kind === 'alias' && regionType(r) !== n.line.type) {
      diagnostics.push(
        diag('MR7007', lineSpan(n.line), {
          line: n.line.line,
          what: 'type and target',
          name: n.line.name,
          detail: `printed ${n.line.type}, target ${n.line.alias?.target} is ${regionType(r)}`,
        }),
      );
    }
  }

  // 5. Address spaces: every member of a group shares the group's root (R-OUT-1).
  const spaces: { name: string; root: Region | null }[] = [];
  dump.groups.forEach((g, i) => {
    const root = groupRoots[i];
    for (const name of g.names) spaces.push({ name, root: root ? regionOf.get(root)! : null });
  });
  const order = asOrder ? asOrder(spaces) : spaces.map((_, i) => i);
  m.spaces = order.map((i) => spaces[i]);
  return { machine: m, diagnostics };
}

function createRegionFor(m: Machine, l: DumpLine, diagnostics: Diagnostic[]): Region {
  const sp = span(l.start0, l.end0);
  let size: bigint;
  const delta = (l.end - l.start) & MASK;
  if (delta === MASK) size = TWO_64;
  else if (delta === 0n) {
    const p = pointSize(l.name, l.alias !== undefined);
    size = p.size;
    if (size === 0n) {
      const hex = l.start.toString(16).padStart(16, '0');
      diagnostics.push(diag('MR7010', sp, { line: l.line, name: l.name, start: hex, size: 0, reason: p.reason }));
    }
  } else size = delta + 1n;
  if (l.alias && ((l.alias.end - l.alias.offset) & MASK) !== delta) {
    diagnostics.push(
      diag('MR7007', sp, {
        line: l.line,
        what: 'region range and alias range',
        name: l.name,
        detail: `${l.start.toString(16)}-${l.end.toString(16)} vs @${l.alias.offset.toString(16)}-${l.alias.end.toString(16)}`,
      }),
    );
  }
  let kind: RegionKind;
  if (l.alias) kind = 'alias';
  else if (l.type === 'ram' || l.type === 'rom' || l.type === 'romd' || l.type === 'ramd') kind = l.type;
  else if (l.type === 'container') kind = 'container'; // newer QEMU prints roots so (R-MASTER-1)
  else kind = ioKind(l.name, l.children.length > 0).kind;
  return createRegion(m, {
    name: l.name,
    kind,
    size,
    enabled: !l.disabled,
    readonly: kind === 'rom' || (kind === 'alias' && isReadonlyAlias(l.name)),
    nonvolatile: l.nonvolatile,
    aliasOffset: l.alias ? l.alias.offset : 0n,
  });
}

/**
 * The order in which to add a container's children so that QEMU's list order (R-ORD-1)
 * reproduces the printed order (R-OUT-6). Siblings printed at the same address and priority
 * are newest first, so they are added in reverse. Equal-priority siblings at different
 * addresses keep printed (address) order, so the higher address is newer and wins where they
 * overlap (R-DUMP-4), unless the order facts say otherwise.
 */
export function addOrder(children: readonly Node[]): Node[] {
  const out: Node[] = [];
  let i = 0;
  while (i < children.length) {
    let j = i + 1;
    const a = addrOf(children[i]);
    const p = children[i].line.priority;
    while (j < children.length && addrOf(children[j]) === a && children[j].line.priority === p) j++;
    for (let k = j - 1; k >= i; k--) out.push(children[k]);
    i = j;
  }
  // Known exceptions (R-DUMP-4): an older sibling moves before the newer ones it overlaps.
  for (const f of orderFacts) {
    for (let i = 0; i < out.length; i++) {
      const o = out[i];
      if (!nameMatches(f.older, o.line.name)) continue;
      const j = out.findIndex(
        (n, k) => k < i && n.line.priority === o.line.priority && addrOf(n) !== addrOf(o) && nameMatches(f.match, n.line.name),
      );
      if (j >= 0) out.splice(j, 0, ...out.splice(i, 1));
    }
  }
  return out;
}

interface AliasEvent {
  readonly kind: 'alias';
  readonly node: Node;
  /** The alias object (a line printed twice is one alias). */
  readonly canon: Node;
  readonly target: string;
  /** First time this alias object is met: only then can it queue a new target. */
  readonly first: boolean;
}
interface BlockEvent {
  readonly kind: 'block';
  readonly k: number;
}
type Event = AliasEvent | BlockEvent;

/** Work limit for one search (feasibility scans included); then the next, looser attempt runs. */
const SEARCH_BUDGET = 5_000_000;

/**
 * Which block each alias targets. The printer walks the groups, then the queued blocks, in
 * print order; each alias appends its target unless that object is queued already, and block
 * k prints queue[k]. So an alias naming N targets either a queued object named N or the next
 * block, which must be named N. Depth-first search, preferring the most recently queued object
 * (a bridge's two windows share one secondary bus), with a feasibility check: the remaining
 * blocks must be queued, in order, by remaining first-time aliases before they print.
 * A dump that does not fit (cut off, edited) is retried with blocks no alias can reach left
 * out and with targets past the last block allowed; the last resort is a greedy pass.
 */
function replayAliasQueue(
  dump: MtreeDump,
  groupRoots: (Node | null)[],
  blockRoots: (Node | null)[],
  canonical: (n: Node) => Node | null,
  diagnostics: Diagnostic[],
): Map<Node, number> {
  const events: Event[] = [];
  const seen = new Set<Node>();
  const walk = (n: Node) => {
    if (n.line.alias) {
      const canon = canonical(n) ?? n;
      events.push({ kind: 'alias', node: n, canon, target: n.line.alias.target, first: !seen.has(canon) });
      seen.add(canon);
    }
    for (const c of n.children) walk(c);
  };
  for (const g of groupRoots) if (g) walk(g);
  blockRoots.forEach((b, k) => {
    events.push({ kind: 'block', k });
    if (b) walk(b);
  });
  const all = dump.blocks.map((_, k) => k);
  let result = searchQueue(events, dump.blocks, all, false);
  let active = all;
  if (!result) {
    // Blocks whose name no earlier first-time alias carries cannot have been queued.
    const reachable = new Set<string>();
    active = [];
    for (const ev of events) {
      if (ev.kind === 'alias' && ev.first) reachable.add(ev.target);
      else if (ev.kind === 'block' && reachable.has(dump.blocks[ev.k].name)) active.push(ev.k);
    }
    result = searchQueue(events, dump.blocks, active, true) ?? greedyQueue(events, dump.blocks);
  }
  const used = new Set(result.values());
  for (const ev of events) {
    if (ev.kind === 'alias' && ev.first && (result.get(ev.canon) ?? -1) < 0) {
      const l = ev.node.line;
      diagnostics.push(diag('MR7005', span(l.start0, l.end0), { line: l.line, name: l.name, target: ev.target }));
    }
  }
  dump.blocks.forEach((b, k) => {
    if (!used.has(k)) diagnostics.push(diag('MR7006', span(b.start0, b.end0), { line: b.line, name: b.name }));
  });
  // Negative entries are targets with no block (cut-off dumps): no object to point at.
  for (const [a, k] of result) if (k < 0) result.delete(a);
  return result;
}

/**
 * The search proper over the `active` blocks (in print order). Queue entries are block
 * indices, or negative numbers for targets past the last active block when `phantoms` is on.
 */
function searchQueue(
  events: readonly Event[],
  blocks: readonly { name: string }[],
  active: readonly number[],
  phantoms: boolean,
): Map<Node, number> | null {
  const B = active.length;
  const names = active.map((k) => blocks[k].name);
  const posOf = new Map(active.map((k, i) => [k, i]));
  const queue: number[] = []; // positions in `active`, or negative phantom ids
  const queueNames: string[] = [];
  let nextBlock = 0;
  const assign = new Map<Node, number>();
  const trail: { a: Node; pushed: boolean }[] = [];
  let work = 0;

  const feasible = (pos: number): boolean => {
    let j = nextBlock;
    for (let p = pos; p < events.length && j < B; p++) {
      work++;
      const ev = events[p];
      if (ev.kind === 'block') {
        const at = posOf.get(ev.k);
        if (at !== undefined && at >= j) return false;
      } else if (ev.first && !assign.has(ev.canon) && ev.target === names[j]) j++;
    }
    return j === B;
  };
  const options = (ev: AliasEvent): number[] => {
    const opts: number[] = [];
    for (let q = queue.length - 1; q >= 0; q--) if (queueNames[q] === ev.target) opts.push(queue[q]);
    if (nextBlock < B && names[nextBlock] === ev.target) opts.push(nextBlock);
    else if (nextBlock >= B && phantoms) opts.push(-1 - queue.length);
    return opts;
  };
  const apply = (ev: AliasEvent, q: number) => {
    const pushed = q < 0 || q === nextBlock;
    assign.set(ev.canon, q);
    trail.push({ a: ev.canon, pushed });
    if (pushed) {
      queue.push(q);
      queueNames.push(ev.target);
      if (q >= 0) nextBlock++;
    }
  };
  const undo = (mark: number) => {
    while (trail.length > mark) {
      const t = trail.pop()!;
      assign.delete(t.a);
      if (t.pushed) {
        const q = queue.pop()!;
        queueNames.pop();
        if (q >= 0) nextBlock--;
      }
    }
  };
  const solve = (start: number): boolean => {
    for (let pos = start; pos < events.length; pos++) {
      work++;
      const ev = events[pos];
      if (ev.kind === 'block') {
        const at = posOf.get(ev.k);
        if (at !== undefined && nextBlock <= at) return false;
        continue;
      }
      if (assign.has(ev.canon)) continue;
      const opts = options(ev);
      if (opts.length === 0) return false;
      if (opts.length === 1) {
        apply(ev, opts[0]);
        continue;
      }
      for (const q of opts) {
        const mark = trail.length;
        apply(ev, q);
        if (feasible(pos + 1) && solve(pos + 1)) return true;
        undo(mark);
        if (work > SEARCH_BUDGET) return false;
      }
      return false;
    }
    return nextBlock === B;
  };
  if (!(feasible(0) && solve(0))) return null;
  const out = new Map<Node, number>();
  for (const [a, q] of assign) out.set(a, q >= 0 ? active[q] : q);
  return out;
}

/** Last resort for dumps that fit no queue: each alias takes a queued or the next same-named block. */
function greedyQueue(events: readonly Event[], blocks: readonly { name: string }[]): Map<Node, number> {
  const out = new Map<Node, number>();
  const queued: number[] = [];
  const used = new Set<number>();
  for (const ev of events) {
    if (ev.kind === 'block' || out.has(ev.canon)) continue;
    let k = [...queued].reverse().find((q) => blocks[q].name === ev.target);
    if (k === undefined) {
      k = blocks.findIndex((b, i) => b.name === ev.target && !used.has(i));
      if (k >= 0) {
        used.add(k);
        queued.push(k);
      }
    }
    out.set(ev.canon, k);
  }
  return out;
}
