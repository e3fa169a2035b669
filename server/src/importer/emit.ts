// Machine → .mrd text (docs/language.md). The text builds the same machine: statement order
// reproduces each container's list order (R-ORD-1), references are unambiguous (an `id` on
// every referenced region whose name is not unique), and numbers are exact.
import { TWO_64, type Machine, type Region } from '../model/region.js';

const BARE = /^[A-Za-z_.$@][A-Za-z0-9_.$@:-]*$/;
/** Contextual keywords: quoting them keeps the text readable for every parser state. */
const KEYWORDS = new Set([
  'const', 'include', 'address-space', 'root', 'none', 'container', 'io', 'mmio', 'ram', 'rom',
  'romd', 'ramd', 'iommu', 'alias', 'id', 'size', 'at', 'priority', 'prio', 'disabled',
  'enabled', 'readonly', 'nonvolatile', 'off', 'on', 'offset',
]);

export function quoteName(name: string): string {
  if (BARE.test(name) && !KEYWORDS.has(name)) return name;
  return '"' + name.replace(/[\\"]/g, (c) => '\\' + c) + '"';
}

/** 0x-hex with `_` every four digits: 0xfee0_0000. */
export function hexNumber(v: bigint): string {
  if (v < 10n) return v.toString();
  const h = v.toString(16);
  const parts: string[] = [];
  for (let i = h.length; i > 0; i -= 4) parts.unshift(h.slice(Math.max(0, i - 4), i));
  return '0x' + parts.join('_');
}

const UNITS: [bigint, string][] = [
  [1n << 60n, 'E'], [1n << 50n, 'P'], [1n << 40n, 'T'], [1n << 30n, 'G'], [1n << 20n, 'M'], [1n << 10n, 'K'],
];

/** Sizes as people write them: 2^64, 128M, 64K, else hex (or decimal below 16). */
export function sizeText(v: bigint): string {
  if (v === TWO_64) return '2^64';
  if (v < 16n) return v.toString();
  for (const [u, s] of UNITS) if (v >= u && v % u === 0n) return `${v / u}${s}`;
  return hexNumber(v);
}

/**
 * Emission order of a container's children: one fixed sequence per priority (oldest first,
 * i.e. the reverse of list order, so that later = newer, R-ORD-2), merged by address for
 * readability. Any merge of these sequences rebuilds the same list.
 */
export function statementOrder(children: readonly Region[]): Region[] {
  const byPrio = new Map<number, Region[]>();
  for (let i = children.length - 1; i >= 0; i--) {
    const c = children[i];
    let seq = byPrio.get(c.priority);
    if (!seq) byPrio.set(c.priority, (seq = []));
    seq.push(c);
  }
  const seqs = [...byPrio.values()];
  const heads = seqs.map(() => 0);
  const out: Region[] = [];
  for (;;) {
    let best = -1;
    for (let s = 0; s < seqs.length; s++) {
      if (heads[s] >= seqs[s].length) continue;
      const c = seqs[s][heads[s]];
      if (best < 0) { best = s; continue; }
      const b = seqs[best][heads[best]];
      if (c.addr < b.addr || (c.addr === b.addr && c.priority > b.priority)) best = s;
    }
    if (best < 0) return out;
    out.push(seqs[best][heads[best]++]);
  }
}

export interface EmitOptions {
  /** Comment lines put at the top (without `#`). */
  header?: string[];
}

export function emitMrd(m: Machine, opts: EmitOptions = {}): string {
  // References: by name when the name is unique, else by a generated id.
  const nameCount = new Map<string, number>();
  for (const r of m.regions) nameCount.set(r.name, (nameCount.get(r.name) ?? 0) + 1);
  const referenced = new Set<Region>();
  for (const r of m.regions) if (r.kind === 'alias' && r.alias) referenced.add(r.alias);
  for (const s of m.spaces) if (s.root) referenced.add(s.root);
  // Top level: address-space roots in creation order, then the other unmapped regions
  // (alias targets) in creation order.
  const tops: Region[] = [];
  const isTop = new Set<Region>();
  for (const s of m.spaces) if (s.root && !s.root.container && !isTop.has(s.root)) (isTop.add(s.root), tops.push(s.root));
  for (const r of m.regions) if (!r.container && !isTop.has(r)) (isTop.add(r), tops.push(r));
  // Ids are numbered in the order the regions are written.
  const written: Region[] = [];
  const collect = (r: Region) => {
    written.push(r);
    for (const c of statementOrder(r.children)) collect(c);
  };
  tops.forEach(collect);
  const ids = new Map<Region, string>();
  const taken = new Set(nameCount.keys());
  for (const r of written) {
    if (!referenced.has(r) || nameCount.get(r.name) === 1) continue;
    let base = r.name.replace(/[^A-Za-z0-9_.$@:-]/g, '_');
    if (!/^[A-Za-z_.$@]/.test(base)) base = '_' + base;
    let n = 1;
    while (taken.has(`${base}_${n}`) || KEYWORDS.has(`${base}_${n}`)) n++;
    const id = `${base}_${n}`;
    taken.add(id);
    ids.set(r, id);
  }
  const ref = (r: Region) => ids.get(r) ?? quoteName(r.name);

  const out: string[] = [];
  for (const h of opts.header ?? []) out.push(h ? `# ${h}` : '#');
  if (out.length) out.push('');
  for (const s of m.spaces) out.push(`address-space ${quoteName(s.name)} root ${s.root ? ref(s.root) : 'none'}`);
  if (m.spaces.length) out.push('');

  const emit = (r: Region, depth: number) => {
    const pad = '  '.repeat(depth);
    const parts = [r.kind, quoteName(r.name)];
    const id = ids.get(r);
    if (id) parts.push('id', id);
    if (r.kind === 'alias') {
      parts.push('->', r.alias ? ref(r.alias) : 'none');
      if (r.aliasOffset !== 0n) parts.push('offset', hexNumber(r.aliasOffset));
    }
    parts.push('size', sizeText(r.size));
    // A top-level region has no place to be at (importer reports MR7013 when it had one).
    if (r.addr !== 0n && r.container) parts.push('at', hexNumber(r.addr));
    if (r.priority !== 0) parts.push('priority', String(r.priority));
    if (r.readonly && r.kind !== 'rom') parts.push('readonly');
    if (r.nonvolatile) parts.push('nonvolatile');
    if (r.kind === 'romd' && !r.romdMode) parts.push('romd', 'off');
    if (!r.enabled) parts.push('disabled');
    if (r.children.length === 0) {
      out.push(pad + parts.join(' '));
      return;
    }
    out.push(pad + parts.join(' ') + ' {');
    for (const c of statementOrder(r.children)) emit(c, depth + 1);
    out.push(pad + '}');
  };
  tops.forEach((r, i) => {
    if (i > 0) out.push('');
    emit(r, 0);
  });
  return out.join('\n') + '\n';
}
