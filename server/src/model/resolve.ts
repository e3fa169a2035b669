// References → regions: a path's first name is an `id` or a region name (all regions for a lone
// name, top-level ones for a path), each later one a child's. Every name is recorded in
// `regionRefs`; a dangling or ambiguous one is reported and resolves to null.
import type { RelatedInfo } from '../base/diagnostic.js';
import type { RefNode } from '../syntax/ast.js';
import type { Region } from './region.js';
import type { RefRole } from './symbols.js';
import type { Builder } from './build.js';

/**
 * Regions by name. Most names are unique, so a name maps to its region and only shared names
 * to a list (in creation order): no array per region.
 */
export type NameTable = Map<string, Region | Region[]>;

function nameTable(regions: readonly Region[]): NameTable {
  const m: NameTable = new Map();
  for (const r of regions) {
    const l = m.get(r.name);
    if (l === undefined) m.set(r.name, r);
    else if (Array.isArray(l)) l.push(r);
    else m.set(r.name, [l, r]);
  }
  return m;
}

function named(m: NameTable, name: string): readonly Region[] {
  const l = m.get(name);
  return l === undefined ? [] : Array.isArray(l) ? l : [l];
}

/** What resolution reads (the regions, statements and name tables) and records into. */
type ResolveScope = Pick<
  Builder,
  'machine' | 'ids' | 'regionRefs' | 'byName' | 'byNameKeys' | 'topByName' | 'topLevel' | 'pendingSpaces' | 'aliases' | 'pci' | 'report'
>;

/** Resolves every reference (into `regionRefs`, which the caller has emptied for a re-run). */
export function resolveAll(b: ResolveScope): void {
  if (b.pendingSpaces.length === 0 && b.aliases.length === 0 && !b.pci.hasRefs) return;
  indexReferencedNames(b);
  b.topByName ??= nameTable(b.topLevel);
  for (const { space, node } of b.pendingSpaces) {
    if (node.root) space.root = resolve(b, node.root, 'root');
  }
  for (const a of b.aliases) {
    if (a.target) a.region.alias = resolve(b, a.target, 'alias-target');
  }
}

/**
 * `byName` for the names that references start with, which are all it is asked for: the
 * first names of alias targets and address-space roots (of 100k regions, a few names). PCI
 * references are resolved later, from the PCI model: with any, it holds every name.
 */
function indexReferencedNames(b: ResolveScope): void {
  const regions = b.machine.regions;
  if (b.pci.hasRefs) {
    if (!b.byName || b.byNameKeys) b.byName = nameTable(regions);
    b.byNameKeys = null;
    return;
  }
  if (b.byName && !b.byNameKeys) return;
  const keys = b.byNameKeys ?? new Set<string>();
  const missing = new Set<string>();
  const want = (ref: RefNode | null) => {
    if (ref && ref.segments.length > 0 && !keys.has(ref.segments[0].text)) missing.add(ref.segments[0].text);
  };
  for (const { node } of b.pendingSpaces) want(node.root);
  for (const a of b.aliases) want(a.target);
  const table: NameTable = b.byName ?? new Map();
  b.byName = table;
  b.byNameKeys = keys;
  if (missing.size === 0) return;
  for (const name of missing) keys.add(name);
  // In id order, so that each shared name's list is in creation order.
  for (const r of regions) {
    if (!missing.has(r.name)) continue;
    const l = table.get(r.name);
    if (l === undefined) table.set(r.name, r);
    else if (Array.isArray(l)) l.push(r);
    else table.set(r.name, [l, r]);
  }
}

function candidatesRelated(list: readonly Region[]): RelatedInfo[] {
  return list.slice(0, 20).map((c) => ({
    span: c.nameSpan ?? c.span ?? { start: 0, end: 0 },
    message: `candidate '${pathOf(c)}'`,
  }));
}

/** `a/b/c` from the top-level region down, for messages. */
function pathOf(r: Region): string {
  const parts: string[] = [];
  for (let x: Region | null = r, g = 0; x && g < 300; x = x.container, g++) parts.push(x.name);
  return parts.reverse().join('/');
}

export function resolve(b: ResolveScope, ref: RefNode, role: RefRole): Region | null {
  const segs = ref.segments;
  let cur: Region | null = null;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const segRole: RefRole = i === segs.length - 1 ? role : 'path';
    if (seg.missing) return null;
    let viaId = false;
    let candidates: readonly Region[] = [];
    let found: Region | null = null;
    if (i === 0) {
      const byId = b.ids.get(seg.text);
      if (byId) {
        found = byId;
        viaId = true;
      } else {
        candidates = named(segs.length === 1 ? b.byName! : b.topByName!, seg.text);
      }
    } else {
      candidates = cur!.children.filter((c) => c.name === seg.text).sort((x, y) => x.id - y.id);
    }
    if (!found) {
      if (candidates.length === 1) found = candidates[0];
      else if (candidates.length > 1) {
        b.report('MR2011', seg.span, { name: seg.text, count: candidates.length }, candidatesRelated(candidates));
      } else if (i === 0) {
        const nested = segs.length > 1 ? named(b.byName!, seg.text) : [];
        b.report(
          'MR2010',
          seg.span,
          { name: seg.text, where: segs.length > 1 ? ' at the top level' : '' },
          candidatesRelated(nested),
        );
      } else {
        b.report('MR2010', seg.span, { name: seg.text, where: ` inside '${pathOf(cur!)}'` });
      }
    }
    b.regionRefs.push({
      span: seg.span,
      text: seg.text,
      role: segRole,
      target: found,
      candidates: found ? [] : candidates,
      viaId,
    });
    if (!found) return null;
    cur = found;
  }
  return cur;
}
