// Alias statements after every region exists: loops through children and alias targets are
// broken (the engine may follow aliases without a guard), then omitted alias sizes are filled in
// from their targets. After `breakCycles`, following `alias` from any region ends.
import type { RelatedInfo } from '../base/diagnostic.js';
import type { Span } from '../base/span.js';
import type { RefNode } from '../syntax/ast.js';
import type { Region } from './region.js';
import type { Builder } from './build.js';
import { formatValue } from './evaluate.js';

export interface PendingAlias {
  region: Region;
  target: RefNode | null;
  sizeGiven: boolean;
  /** Span of `offset E` for the MR2017 warning. */
  offsetSpan: Span | null;
  /** Span of the `size` value, for MR3001's quick fix (null without `size`). */
  sizeSpan: Span | null;
  /** Span of the first `-> REF`, where an alias loop this alias closes is reported (MR2014). */
  targetAttrSpan: Span | null;
}

/** What the loop search reads (regions, aliases, references) and reports into. */
type LoopScope = Pick<Builder, 'machine' | 'aliases' | 'regionRefs' | 'report'>;

/**
 * Rendering follows children and alias targets (R-FLAT-2), so a loop through both (an alias
 * onto its own ancestor, or a chain of aliases returning to its start) would never end. An
 * iterative DFS over that graph finds every such loop; each is broken by dropping the alias
 * edge closest to where the loop closes. One per builder: its per-region search state is
 * reused across runs (incremental analysis runs this per edit).
 */
export class AliasLoops {
  /** Per region id: `run * 4 + state` (0 new, 1 on the stack, 2 done) if searched in run `run`. */
  private mark = new Int32Array(0);
  private run = 0;

  breakCycles(b: LoopScope): void {
    const regions = b.machine.regions;
    const n = regions.length;
    if (this.mark.length < n || this.run >= MAX_RUN) {
      this.mark = new Int32Array(Math.max(this.mark.length, n + (n >> 2) + 16));
      this.run = 0;
    }
    const mark = this.mark;
    const run = ++this.run;
    const base = run * 4;
    // A loop needs an alias edge, so a region without an alias among itself and its subregions
    // (at any depth) is on no loop and leads to none: it counts as done from the start, which
    // changes nothing else the search finds. Only the others (marked in this run) are searched,
    // in creation order as before; on a large machine they are few.
    const roots: Region[] = [];
    for (const p of b.aliases) {
      if (!p.region.alias) continue;
      for (let x: Region | null = p.region; x && mark[x.id] - base < 0; x = x.container) {
        mark[x.id] = base;
        roots.push(x);
      }
    }
    if (roots.length === 0) return;
    roots.sort((p, q) => p.id - q.id);
    const stateOf = (r: Region): number => {
      const m = mark[r.id] - base;
      return m >= 0 ? m : 2;
    };
    const stack: Region[] = [];
    const edge: number[] = []; // next edge index per frame
    const viaAlias: boolean[] = []; // frame reached through its parent's alias edge
    for (const root of roots) {
      if (stateOf(root) !== 0) continue;
      stack.push(root);
      edge.push(0);
      viaAlias.push(false);
      mark[root.id] = base + 1;
      while (stack.length > 0) {
        const top = stack.length - 1;
        const u = stack[top];
        const e = edge[top]++;
        let v: Region | null = null;
        let isAlias = false;
        if (e < u.children.length) v = u.children[e];
        else if (e === u.children.length && u.alias) {
          v = u.alias;
          isAlias = true;
        }
        if (e > u.children.length) {
          mark[u.id] = base + 2;
          stack.pop();
          edge.pop();
          viaAlias.pop();
          continue;
        }
        if (!v) continue;
        const sv = stateOf(v);
        if (sv === 0) {
          mark[v.id] = base + 1;
          stack.push(v);
          edge.push(0);
          viaAlias.push(isAlias);
        } else if (sv === 1) {
          const at = stack.lastIndexOf(v); // on the stack once
          reportCycle(b, stack.slice(at), viaAlias.slice(at), isAlias);
        }
      }
    }
  }
}

/** Runs before the marks start again from a fresh array (run * 4 + 2 stays an int32). */
const MAX_RUN = 1 << 28;

/** `cycle` runs from the region the back edge returns to, down to its source. */
function reportCycle(b: LoopScope, cycle: Region[], arrivedByAlias: boolean[], backIsAlias: boolean): void {
  let breaker: Region;
  if (backIsAlias) breaker = cycle[cycle.length - 1];
  else {
    let j = arrivedByAlias.length - 1;
    while (j > 0 && !arrivedByAlias[j]) j--;
    breaker = cycle[j > 0 ? j - 1 : cycle.length - 1];
  }
  // Name the loop starting at the alias that closes it: `a1 → a2 → a1`.
  const k = cycle.indexOf(breaker);
  const rotated = cycle.slice(k).concat(cycle.slice(0, k));
  const chain = rotated.map((r) => r.name).concat(breaker.name).join(' → ');
  const ref = [...b.regionRefs].reverse().find((x) => x.role === 'alias-target' && x.target === breaker.alias);
  const at = b.aliases.find((a) => a.region === breaker)?.targetAttrSpan;
  const span = at ?? ref?.span ?? breaker.nameSpan!;
  const related: RelatedInfo[] = cycle
    .filter((r) => r !== breaker)
    .slice(0, 20)
    .map((r) => ({ span: r.nameSpan ?? r.span ?? { start: 0, end: 0 }, message: `'${r.name}' is part of the loop` }));
  b.report('MR2014', span, { name: breaker.name, chain }, related);
  breaker.alias = null;
}

/** `size` omitted on an alias: the target's size minus the offset (targets first, iteratively). */
export function defaultAliasSizes(b: Pick<Builder, 'aliases' | 'report'>): void {
  const pending = new Map<Region, PendingAlias>();
  for (const a of b.aliases) if (!a.sizeGiven) pending.set(a.region, a);
  for (const a of b.aliases) {
    if (!pending.has(a.region)) continue;
    const chain: PendingAlias[] = [];
    for (let p: PendingAlias | undefined = a; p; p = p.region.alias ? pending.get(p.region.alias) : undefined) {
      chain.push(p);
      if (chain.length > b.aliases.length) break; // cycles are broken already; belt and braces
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const p = chain[i];
      const t = p.region.alias;
      pending.delete(p.region);
      if (!t) continue;
      if (p.region.aliasOffset > t.size) {
        b.report('MR2017', p.offsetSpan ?? p.region.nameSpan!, {
          offset: formatValue(p.region.aliasOffset),
          target: t.name,
          size: formatValue(t.size),
        });
        p.region.size = 0n;
      } else p.region.size = t.size - p.region.aliasOffset;
    }
  }
}

/**
 * MR3001: an alias whose window (offset + size, as written) runs past the end of its target.
 * Rendering clips the target to itself (R-FLAT-3), so that part of the window maps nothing.
 * Aliases without `size` end where their target does (or are empty, MR2017).
 */
export function checkAliasWindows(b: Pick<Builder, 'aliases' | 'report'>): void {
  for (const p of b.aliases) {
    const r = p.region;
    const t = r.alias;
    if (!p.sizeGiven || !t || r.size === 0n) continue;
    const end = r.aliasOffset + r.size;
    if (end <= t.size) continue;
    const related = t.nameSpan ? [{ span: t.nameSpan, message: `'${t.name}' is ${formatValue(t.size)} bytes` }] : undefined;
    // A window that starts inside the target can end where the target does.
    const fit = r.aliasOffset < t.size && p.sizeSpan ? formatValue(t.size - r.aliasOffset) : null;
    const fix = fit === null ? undefined : { title: `end the window where '${t.name}' ends (size ${fit})`, edits: [{ span: p.sizeSpan!, text: fit }] };
    b.report('MR3001', r.nameSpan ?? r.span!, {
      name: r.name,
      excess: formatValue(end - t.size > r.size ? r.size : end - t.size),
      target: t.name,
      offset: formatValue(r.aliasOffset),
      size: formatValue(r.size),
      tsize: formatValue(t.size),
      part: r.aliasOffset >= t.size ? 'its whole window' : 'that part',
    }, related, fix);
  }
}
