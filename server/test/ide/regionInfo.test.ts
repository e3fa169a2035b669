// Placements and visibility are computed per region (a walk pruned to the paths that reach it,
// a render clipped to its window): they must equal what one walk and one render of everything
// give — same placements in the same order with the same cap, same visible and hidden parts —
// for the corpus, damaged corpus texts and random region graphs.
import { describe, expect, it } from 'vitest';
import { renderPieces, visibleSegments } from '../../src/engine/flatten.js';
import { type Analysis, analyzeDocument } from '../../src/ide/analysis.js';
import { aliasesOf, placements, visibility } from '../../src/ide/regionInfo.js';
import { type AddressSpace, type Region, TWO_64 } from '../../src/model/region.js';
import { grammarTokens, loadCorpus, rng, tokenSpans } from '../robustness/harness.js';

interface Ref { spaces: readonly AddressSpace[]; path: Region[]; base: bigint; start: bigint; end: bigint }

/** One render-order walk of every root recording each region's placements (capped at 64). */
function referencePlacements(a: Analysis): Map<Region, Ref[]> {
  const out = new Map<Region, Ref[]>();
  const roots = new Map<Region, AddressSpace[]>();
  for (const s of a.machine.spaces) if (s.root) (roots.get(s.root) ?? roots.set(s.root, []).get(s.root)!).push(s);
  for (const [root, spaces] of roots) {
    const stack: { mr: Region; base: bigint; lo: bigint; hi: bigint; path: Region[] }[] = [];
    const enter = (mr: Region, base: bigint, lo: bigint, hi: bigint, up: Region[]): void => {
      for (let hops = 0; hops < 100_000; hops++) {
        if (!mr.enabled) return;
        base += mr.addr;
        lo = base > lo ? base : lo;
        hi = base + mr.size < hi ? base + mr.size : hi;
        if (lo >= hi) return;
        const path = [...up, mr];
        up = path;
        const list = out.get(mr) ?? out.set(mr, []).get(mr)!;
        if (list.length < 64) list.push({ spaces, path, base, start: lo, end: hi });
        if (mr.kind !== 'alias') {
          stack.push({ mr, base, lo, hi, path });
          return;
        }
        if (!mr.alias) return;
        base -= mr.alias.addr + mr.aliasOffset;
        mr = mr.alias;
      }
    };
    enter(root, 0n, 0n, TWO_64, []);
    while (stack.length > 0) {
      const f = stack.pop()!;
      for (let i = f.mr.children.length - 1; i >= 0; i--) enter(f.mr.children[i], f.base, f.lo, f.hi, f.path);
    }
  }
  return out;
}

function subtree(r: Region): Set<Region> {
  const seen = new Set<Region>([r]);
  const todo = [r];
  while (todo.length > 0) {
    const x = todo.pop()!;
    for (const next of x.alias ? [...x.children, x.alias] : x.children) if (!seen.has(next)) (seen.add(next), todo.push(next));
  }
  return seen;
}

/** Visible and hidden parts from the visible segments of the whole root. */
function referenceVisibility(region: Region, p: Ref) {
  const visible: { start: bigint; end: bigint; by?: Region }[] = [];
  const hidden: { start: bigint; end: bigint; by?: Region }[] = [];
  const own = subtree(region);
  const push = (list: typeof visible, part: (typeof visible)[0]) => {
    const last = list[list.length - 1];
    if (last && last.end === part.start && last.by === part.by) list[list.length - 1] = { ...last, end: part.end };
    else list.push(part);
  };
  for (const s of visibleSegments(renderPieces(p.path[0]).pieces)) {
    if (s.end <= p.start || s.start >= p.end) continue;
    const part = { start: s.start > p.start ? s.start : p.start, end: s.end < p.end ? s.end : p.end };
    const mine = own.has(s.piece.mr) && (s.piece.mr !== region || s.piece.base === p.base);
    if (mine) push(visible, part);
    else push(hidden, { ...part, by: s.piece.mr });
  }
  return { visible, hidden };
}

const plain = (ps: readonly { spaces: readonly AddressSpace[]; path: readonly Region[]; base: bigint; start: bigint; end: bigint }[]) =>
  ps.map((p) => ({ spaces: p.spaces.map((s) => s.name), path: p.path.map((r) => r.id), base: p.base, start: p.start, end: p.end }));

function check(text: string): void {
  const a = analyzeDocument(text);
  const ref = referencePlacements(a);
  for (const r of a.machine.regions) {
    const got = placements(a, r);
    const want = ref.get(r) ?? [];
    expect(plain(got)).toEqual(plain(want));
    for (let i = 0; i < Math.min(got.length, 3); i++) expect(visibility(a, r, got[i])).toEqual(referenceVisibility(r, want[i]));
    expect(aliasesOf(a, r)).toEqual(a.machine.regions.filter((x) => x.kind === 'alias' && x.alias === r));
  }
}

describe('placements and visibility per region', () => {
  const corpus = loadCorpus();

  it('equal one walk of everything on the corpus', () => {
    for (const c of corpus) check(c.text);
  });

  it('equal one walk of everything on damaged corpus texts and token soups', () => {
    const rnd = rng(5);
    for (let k = 0; k < 150; k++) {
      const c = corpus[rnd(corpus.length)].text;
      const spans = tokenSpans(c);
      const [s, e] = spans[rnd(spans.length)];
      check(rnd(2) ? c.slice(0, s) + c.slice(e) : c.slice(0, s) + grammarTokens[rnd(grammarTokens.length)] + ' ' + c.slice(s));
    }
    for (let k = 0; k < 150; k++) {
      const toks = ['address-space m root r\n', 'container r size 2^64 {\n'];
      for (let i = 0; i < 30; i++) {
        toks.push([
          '  alias a -> b at 0x10\n', '  alias b -> r/c offset 4\n', '  container c size 0x100 at 0x20 {\n', '  }\n',
          '  io x size 0x40 at 0x8\n', '  ram y size 0x1000 priority 1\n', '  alias z -> y offset 0x10 size 0x20 at 0x30\n',
          '  io w size 0x10 at 0x38 disabled\n', 'address-space n root c\n', '  alias q -> x\n',
        ][rnd(10)]);
      }
      check(toks.join('') + '}\n');
    }
  });
});
