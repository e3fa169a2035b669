// A deliberately simple reference for the visibility check (engine/visibility.ts), written from
// the spec, not from the engine: at every boundary address, walk the tree in precedence order
// and list every terminating region rendered there (R-FLAT-2..4, clipped by every window on the
// way), the first of them being the one visible (R-FLAT-5). A region is rendered if it is one of
// those leaves, an alias passed on the way to one, or a container of either; visible likewise
// for the first leaf. Hidden: rendered and never visible; reported: hidden with a container that
// is not, and named by some rendered leaf as the region it belongs to (the first reported among
// the aliases passed, outermost first, and the leaf, each with its containers): a target mapped
// only through a hidden alias is that alias's, not reported of its own. Exponential in alias
// fan-out; for small random trees only.
import { type Region, TWO_64, terminates } from '../../src/model/region.js';
import { boundaries } from './referenceFlatten.js';

interface Hit {
  mr: Region;
  via: Region[];
  /** Every region entered from the root down to `mr`: containers, aliases, alias targets. */
  path: Region[];
}

/** Every terminating region rendered at address `a`, in precedence order. */
function hits(mr: Region, base: bigint, a: bigint, via: Region[], depth: number, out: Hit[], path: Region[] = []): void {
  if (depth > 64 || !mr.enabled) return;
  base += mr.addr;
  if (a < base || a >= base + mr.size) return;
  const here = [...path, mr];
  if (mr.kind === 'alias') {
    if (mr.alias) hits(mr.alias, base - mr.alias.addr - mr.aliasOffset, a, [...via, mr], depth + 1, out, here);
    return;
  }
  for (const c of mr.children) hits(c, base, a, via, depth + 1, out, here);
  if (terminates(mr)) out.push({ mr, via, path: here });
}

/** The names of the reported hidden regions of the flat view of `root`, sorted. */
export function referenceHidden(root: Region): string[] {
  const set = new Set<bigint>([0n, TWO_64]);
  boundaries(root, 0n, set, 0);
  const pts = [...set].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const rendered = new Set<Region>();
  const visible = new Set<Region>();
  const all: Hit[] = [];
  const markUp = (r: Region, into: Set<Region>) => {
    for (let x: Region | null = r; x; x = x.container) into.add(x);
  };
  for (let i = 0; i + 1 < pts.length; i++) {
    const out: Hit[] = [];
    hits(root, 0n, pts[i], [], 0, out);
    all.push(...out);
    out.forEach((h, k) => {
      for (const r of [h.mr, ...h.via]) {
        markUp(r, rendered);
        if (k === 0) markUp(r, visible);
      }
    });
  }
  const hidden = (r: Region | null) => r !== null && rendered.has(r) && !visible.has(r);
  const reported = (r: Region) => hidden(r) && !hidden(r.container);
  const named = new Set<Region>();
  for (const h of all) {
    const owner = [...h.via, h.mr].map((start) => {
      for (let x: Region | null = start; x; x = x.container) if (reported(x)) return x;
      return null;
    }).find((x) => x !== null);
    if (owner) named.add(owner);
  }
  return [...named].map((r) => r.name).sort();
}

const MEMORY = new Set(['ram', 'rom', 'romd', 'ramd']);

/**
 * The overlaps MR3011 reports, by brute force: at every boundary address the owners of the
 * leaves rendered there (a BAR if the leaf, an alias passed or one of their containers is one;
 * else memory, named by the outermost alias passed or the leaf), each pair of different owners
 * with a BAR among them, its extent, whose leaf is visible at its start, and where the two
 * render paths part there. As sorted strings `a+b start..end visible (container: winner > loser)`
 * (names of the pair sorted, `-` when neither is visible).
 */
export function referenceOverlaps(root: Region, bars: ReadonlySet<Region>): string[] {
  const set = new Set<bigint>([0n, TWO_64]);
  boundaries(root, 0n, set, 0);
  const pts = [...set].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const barOf = (r: Region): Region | null => {
    for (let x: Region | null = r; x; x = x.container) if (bars.has(x)) return x;
    return null;
  };
  const ownerOf = (h: Hit): { owner: Region; bar: boolean } | null => {
    for (const r of [...h.via, h.mr]) {
      const b = barOf(r);
      if (b) return { owner: b, bar: true };
    }
    return MEMORY.has(h.mr.kind) ? { owner: h.via[0] ?? h.mr, bar: false } : null;
  };
  const pairs = new Map<string, { x: Region; y: Region; start: bigint; end: bigint; visible: Region | null; why: string }>();
  for (let i = 0; i + 1 < pts.length; i++) {
    const out: Hit[] = [];
    hits(root, 0n, pts[i], [], 0, out);
    const owners = new Map<Region, boolean>();
    for (const h of out) {
      const o = ownerOf(h);
      if (o) owners.set(o.owner, o.bar);
    }
    const first = out.length > 0 ? ownerOf(out[0])?.owner ?? null : null;
    /** Where the render paths of the first hits of `w` (visible) and `l` part: `container: winner > loser`. */
    const why = (w: Region, l: Region): string => {
      const pw = out.find((h) => ownerOf(h)?.owner === w)!.path;
      const pl = out.find((h) => ownerOf(h)?.owner === l)!.path;
      let k = 0;
      while (k < pw.length && k < pl.length && pw[k] === pl[k]) k++;
      return k > 0 && k < pw.length && k < pl.length ? `${pw[k - 1].name}: ${pw[k].name} > ${pl[k].name}` : '';
    };
    const list = [...owners];
    for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length; b++) {
        if (!list[a][1] && !list[b][1]) continue;
        const [x, y] = [list[a][0], list[b][0]].sort((p, q) => p.id - q.id);
        const key = `${x.id}:${y.id}`;
        const p = pairs.get(key);
        if (!p) {
          const visible = first === x || first === y ? first : null;
          pairs.set(key, { x, y, start: pts[i], end: pts[i + 1], visible, why: visible ? why(visible, visible === x ? y : x) : '' });
        }
        else p.end = pts[i + 1];
      }
    }
  }
  return [...pairs.values()].map((p) =>
    `${[p.x.name, p.y.name].sort().join('+')} ${p.start.toString(16)}..${p.end.toString(16)} ${p.visible?.name ?? '-'}${p.why ? ` (${p.why})` : ''}`).sort();
}
