// Hover: for a region, its kind and size, where it sits in its container, and for every
// address space the absolute window it occupies (alias chains resolved step by step), the
// parts visible in the flat view and the parts hidden by other regions; for a constant, its
// value; for an address space, its root and flat view. PCI devices, BARs and sequence steps:
// pciHover.ts. Numbers and operators: their values (valueHover.ts).
import { type ConstantSymbol, symbolAt } from '../model/build.js';
import { pciSymbolAt } from '../model/buildPci.js';
import { type AddressSpace, type Region, regionType } from '../model/region.js';
import type { Analysis } from './analysis.js';
import { hex, hexRange, humanSize } from './format.js';
import { aliasesOf, type Placement, placements, visibility } from './regionInfo.js';
import { pciSymbolHover, stepHover } from './pciHover.js';
import { stepAt } from './pciInfo.js';
import type { IdeHover } from './types.js';
import { valueHover } from './valueHover.js';
import { analysisFlatViews } from './views.js';

const MAX_SHOWN = 8;
const MAX_STEPS_HEAD = 6;
const MAX_STEPS_TAIL = 6;

export function hover(a: Analysis, offset: number): IdeHover | null {
  const link = a.includes?.links.find((l) => l.span.start <= offset && offset <= l.span.end && l.span.end <= a.text.length);
  if (link) return { span: link.span, markdown: includeHover(a, link.file) };
  const sym = symbolAt(a.index, offset);
  if (!sym) return pciHover(a, offset);
  switch (sym.kind) {
    case 'region':
      return { span: sym.span, markdown: regionHover(a, sym.region) };
    case 'constant':
      return { span: sym.span, markdown: constantHover(sym.constant) };
    case 'space':
      return { span: sym.span, markdown: spaceHover(a, sym.space) };
  }
}

/** PCI devices, BARs, sequences, initiators; then the step under the cursor (a label names one). */
function pciHover(a: Analysis, offset: number): IdeHover | null {
  const p = pciSymbolAt(a.index.pci, offset);
  const md = p ? pciSymbolHover(a, p) : null;
  if (p && md) return { span: p.span, markdown: md };
  const s = stepAt(a, offset);
  return s ? { span: s.span, markdown: stepHover(a, s) } : valueHover(a, offset);
}

const code = (s: string): string => '`' + s.replace(/`/g, "'") + '`';

/** An include's path: the file it reads and what that brings in (the files it includes counted too). */
function includeHover(a: Analysis, i: number): string {
  const inc = a.includes!;
  const f = inc.files[i];
  const nested = inc.files.filter((_x, j) => isBelow(inc.files, j, i)).length;
  const consts = a.index.constants.filter((c) => {
    const j = inc.fileAt(c.nameSpan.start);
    return j === i || (j >= 0 && isBelow(inc.files, j, i));
  }).length;
  const regions = f.endId - f.firstId;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return [
    `**include** ${code(f.display)}`,
    '',
    `${code(f.path)} — ${plural(regions, 'region')}${nested > 0 ? ` (with the ${plural(nested, 'file')} it includes)` : ''}, ${plural(consts, 'constant')}`,
  ].join('\n');
}

/** Whether included file `j` came in through file `i`. */
function isBelow(files: readonly { parent: number }[], j: number, i: number): boolean {
  for (let p = files[j].parent; p >= 0; p = files[p].parent) if (p === i) return true;
  return false;
}

export function regionHover(a: Analysis, r: Region): string {
  const lines: string[] = [];
  // The type QEMU prints, when the kind alone does not say it (a readonly ram is a `rom`).
  const type = regionType(r);
  const shown = r.kind === type || ['container', 'io', 'iommu', 'alias'].includes(r.kind) ? '' : ` (prints as ${code(type)})`;
  lines.push(`**${r.kind}** ${code(r.name)}${shown} — ${humanSize(r.size)}`);
  lines.push('');
  const facts: string[] = [];
  if (r.container) facts.push(`in ${code(r.container.name)} at ${hex(r.addr)}`);
  else facts.push('top level (no container)');
  facts.push(`priority ${r.priority}`);
  if (!r.enabled) facts.push('**disabled**');
  if (r.readonly && r.kind !== 'rom') facts.push('readonly');
  if (r.nonvolatile) facts.push('nonvolatile');
  const decl = a.index.decls.symbol(r.id);
  const where = decl && a.includes?.locate(decl.nameSpan);
  if (where) {
    const line = a.includes!.position(a.includes!.files.indexOf(where.file), where.span.start).line + 1;
    facts.push(`declared in ${code(where.file.display)} line ${line}`);
  }
  lines.push(facts.join(' · '));
  if (r.kind === 'alias') {
    lines.push('');
    lines.push(r.alias
      ? `alias of ${code(r.alias.name)} + ${hex(r.aliasOffset)}: its bytes ${hexRange(r.aliasOffset, r.aliasOffset + r.size)}`
      : 'alias target unresolved');
  }
  const ps = placements(a, r);
  lines.push('');
  if (ps.length === 0) {
    const via = aliasesOf(a, r);
    lines.push(via.length > 0
      ? `Not mapped in any address space (aliased by ${via.map((x) => code(x.name)).join(', ')}, which are not mapped either).`
      : 'Not mapped in any address space.');
    return lines.join('\n');
  }
  for (const p of ps.slice(0, MAX_SHOWN)) lines.push(...placementLines(a, r, p), '');
  if (ps.length > MAX_SHOWN) lines.push(`…and ${ps.length - MAX_SHOWN} more placements`);
  return lines.join('\n').trimEnd();
}

export function placementLines(a: Analysis, r: Region, p: Placement): string[] {
  const spaces = p.spaces.map((s) => code(s.name)).join(', ');
  const out = [`**${spaces}**: ${hexRange(p.start, p.end)}`];
  // The resolution chain: root → … → region, with each step's offset; an alias hop shows
  // the target and the offset into it.
  const steps: string[] = [];
  const path = p.path;
  for (let i = 0; i < path.length; i++) {
    // A very long chain shows its ends only, so the hover stays readable and small.
    if (i === MAX_STEPS_HEAD && path.length > MAX_STEPS_HEAD + MAX_STEPS_TAIL + 1) {
      steps.push(`… ${path.length - MAX_STEPS_HEAD - MAX_STEPS_TAIL} more steps …`);
      i = path.length - MAX_STEPS_TAIL - 1;
      continue;
    }
    const x = path[i];
    const prev = path[i - 1];
    if (i === 0) steps.push(`${code(x.name)} @ ${hex(x.addr)}`);
    else if (prev?.kind === 'alias' && prev.alias === x) steps.push(`→ ${code(x.name)} + ${hex(prev.aliasOffset)}`);
    else steps.push(`› ${code(x.name)} at +${hex(x.addr)}`);
  }
  out.push('');
  out.push(steps.join(' '));
  if (p.base !== p.start || path.some((x) => x.kind === 'alias')) {
    out.push('');
    out.push(`byte 0 of ${code(r.name)} is at absolute ${hex(p.base)}${p.base !== p.start ? ` (window starts ${hex(p.start)})` : ''}`);
  }
  const { visible, hidden } = visibility(a, r, p);
  out.push('');
  if (hidden.length === 0 && visible.length > 0) out.push('fully visible in the flat view');
  else if (visible.length === 0) out.push('**not visible** in the flat view');
  else out.push(`visible: ${visible.slice(0, 4).map((v) => hexRange(v.start, v.end)).join(', ')}${visible.length > 4 ? ', …' : ''}`);
  for (const h of hidden.slice(0, 4)) {
    out.push('');
    out.push(`hidden: ${hexRange(h.start, h.end)} by ${code(h.by!.name)} (priority ${h.by!.priority})`);
  }
  if (hidden.length > 4) out.push('', `…and ${hidden.length - 4} more hidden parts`);
  return out;
}

function constantHover(c: ConstantSymbol): string {
  if (c.value === null) return `**const** ${code(c.name)} — no value (its expression has an error)`;
  const v = c.value;
  const size = v > 0n && v % 1024n === 0n ? ` = ${humanSize(v)}` : '';
  return `**const** ${code(c.name)} = ${v} (${v < 0n ? '-' + hex(-v) : hex(v)})${size}`;
}

function spaceHover(a: Analysis, s: AddressSpace): string {
  const lines = [`**address space** ${code(s.name)} — root ${s.root ? code(s.root.name) : 'none'}`];
  const g = analysisFlatViews(a).find((x) => x.spaces.includes(s));
  if (g) {
    lines.push('');
    const others = g.spaces.filter((x) => x !== s);
    lines.push(`${g.ranges.length} flat range${g.ranges.length === 1 ? '' : 's'}` +
      (others.length > 0 ? `, shared with ${others.map((x) => code(x.name)).join(', ')}` : ''));
  }
  return lines.join('\n');
}
