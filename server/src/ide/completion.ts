// Completion from the text before the cursor (robust while the line is being typed):
// statement keywords at the start of a statement, attributes after a region's name, region
// names and ids after `->` / `root` (path segments after `a/`), constants in expressions,
// and units right after a number; device addresses, BAR indexes and config offsets in PCI
// statements (pciCompletion.ts).
import type { Region } from '../model/region.js';
import type { Analysis } from './analysis.js';
import { humanSize } from './format.js';
import { pciCompletions } from './pciCompletion.js';
import type { IdeCompletion, IdeCompletionList } from './types.js';

const regionKinds: [string, string][] = [
  ['container', 'memory_region_init: a pure container'],
  ['io', 'memory_region_init_io: MMIO/PIO with ops'],
  ['mmio', 'synonym of io'],
  ['ram', 'memory_region_init_ram'],
  ['rom', 'memory_region_init_rom'],
  ['romd', 'memory_region_init_rom_device'],
  ['ramd', 'memory_region_init_ram_device_ptr'],
  ['iommu', 'memory_region_init_iommu'],
  ['alias', 'memory_region_init_alias: a window onto another region'],
];
const statementKeywords: [string, string][] = [
  ['const', 'const NAME = EXPR'],
  ['address-space', 'address-space NAME root REF'],
  ['include', 'include "path"'],
];
const attributes: [string, string, string?][] = [
  ['size', 'size in bytes, 0 .. 2^64'],
  ['at', 'offset inside the enclosing region'],
  ['priority', 'signed 32-bit priority among siblings'],
  ['disabled', 'memory_region_set_enabled(false)'],
  ['enabled', 'memory_region_set_enabled(true)'],
  ['readonly', 'memory_region_set_readonly'],
  ['nonvolatile', 'memory_region_set_nonvolatile'],
  ['id', 'a unique handle for references'],
];
const aliasAttributes: [string, string][] = [
  ['->', 'the alias target'],
  ['offset', 'offset into the alias target'],
];
const units: [string, bigint][] = [
  ['K', 1n << 10n], ['M', 1n << 20n], ['G', 1n << 30n], ['T', 1n << 40n], ['P', 1n << 50n], ['E', 1n << 60n],
  ['KiB', 1n << 10n], ['MiB', 1n << 20n], ['GiB', 1n << 30n], ['TiB', 1n << 40n], ['PiB', 1n << 50n], ['EiB', 1n << 60n],
];
const expressionStarters = new Set(['size', 'at', 'priority', 'prio', 'offset', '=', '+', '-', '*', '(', '|', '<<', '^']);
const regionKeywordSet = new Set(regionKinds.map(([k]) => k));

const nameChar = /[A-Za-z0-9_.$@:\-/]/;

export function completions(a: Analysis, offset: number): IdeCompletionList {
  const text = a.text;
  let start = offset;
  while (start > 0 && nameChar.test(text[start - 1])) start--;
  const partial = text.slice(start, offset);
  // Tokens of the current statement on this line, before the partial word (comments cut).
  const lineStart = Math.max(text.lastIndexOf('\n', start - 1), text.lastIndexOf('\r', start - 1)) + 1;
  const before = text.slice(lineStart, start).replace(/#.*$/, '');
  const words = before.split(/(\s+|->|[{}()=+*|^])/).map((w) => w.trim()).filter((w) => w.length > 0);
  const afterBrace = words.lastIndexOf('{') >= 0 || words.lastIndexOf('}') >= 0
    ? words.slice(Math.max(words.lastIndexOf('{'), words.lastIndexOf('}')) + 1) : words;
  const prev = afterBrace[afterBrace.length - 1];
  const replace = { start, end: offset };

  const pci = a.pci ? pciCompletions(a, offset, afterBrace) : null;
  if (pci) return { replace, items: pci };
  if (/^[0-9]/.test(partial)) {
    // Units glue to the number: `128M`.
    const digits = partial.replace(/[KMGTPE](iB)?$/, '');
    return { replace, items: units.map(([u, mul], i) => ({ label: digits + u, kind: 'unit', detail: `× ${humanSize(mul)}`, sortText: String(i).padStart(2, '0') })) };
  }
  if (prev === '->' || prev === 'root') {
    const items = prev === 'root' ? [{ label: 'none', kind: 'keyword', detail: 'an address space without a root' } as IdeCompletion] : [];
    return { replace, items: items.concat(regionRefItems(a, partial)) };
  }
  if (prev !== undefined && expressionStarters.has(prev)) return { replace, items: constantItems(a) };
  if (afterBrace.length === 0) {
    return {
      replace,
      items: [...statementKeywords, ...regionKinds].map(([k, d]) => ({ label: k, kind: 'keyword', detail: d })),
    };
  }
  const head = afterBrace[0];
  if (regionKeywordSet.has(head) && afterBrace.length >= 2) {
    const list = head === 'alias' ? [...aliasAttributes, ...attributes] : head === 'romd' ? [...attributes, ['romd', 'romd on|off: ROM device mode'] as [string, string]] : attributes;
    return { replace, items: list.map(([k, d]) => ({ label: k, kind: 'keyword', detail: d })) };
  }
  if (head === 'address-space' && afterBrace.length === 2) return { replace, items: [{ label: 'root', kind: 'keyword' }] };
  return { replace, items: [] };
}

function constantItems(a: Analysis): IdeCompletion[] {
  return a.index.constants.map((c) => ({
    label: c.name,
    kind: 'const',
    detail: c.value === null ? 'constant' : `= ${c.value}${c.value > 0n && c.value % 1024n === 0n ? ` (${humanSize(c.value)})` : ''}`,
  }));
}

/** Region names (unique ones: a bare name must be unique), ids, or children after `a/b/`. */
function regionRefItems(a: Analysis, partial: string): IdeCompletion[] {
  const slash = partial.lastIndexOf('/');
  if (slash >= 0) {
    const parent = resolvePath(a, partial.slice(0, slash).split('/'));
    if (!parent) return [];
    const prefix = partial.slice(0, slash + 1);
    return parent.children.map((c) => ({
      label: prefix + c.name, kind: 'region', detail: `${c.kind} · ${humanSize(c.size)}`, insertText: prefix + spell(c.name),
    }));
  }
  const counts = new Map<string, number>();
  for (const r of a.machine.regions) counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
  const items: IdeCompletion[] = [];
  for (const [id, r] of a.index.ids) items.push({ label: id, kind: 'region', detail: `id of ${r.name}`, sortText: '0' + id });
  for (const r of a.machine.regions) {
    if (counts.get(r.name) !== 1) continue;
    items.push({ label: r.name, kind: 'region', detail: `${r.kind} · ${humanSize(r.size)}`, insertText: spell(r.name), sortText: '1' + r.name });
  }
  // Top-level regions start paths to names that are not unique.
  for (const r of a.machine.regions) {
    if (r.container || counts.get(r.name) === 1 || r.children.length === 0) continue;
    items.push({ label: `${r.name}/`, kind: 'region', detail: 'path', insertText: `${spell(r.name)}/`, sortText: '2' + r.name });
  }
  return items;
}

function resolvePath(a: Analysis, segments: string[]): Region | undefined {
  let cur: Region | undefined = a.index.ids.get(segments[0]) ?? a.machine.regions.find((r) => !r.container && r.name === segments[0]);
  for (const s of segments.slice(1)) cur = cur?.children.find((c) => c.name === s);
  return cur;
}

function spell(name: string): string {
  return /^[A-Za-z_.$@][A-Za-z0-9_.$@:-]*$/.test(name) ? name : `"${name.replace(/[\\"]/g, (c) => '\\' + c)}"`;
}
