// A standalone SVG of a memory-map layout: column titles, bands coloured by kind (dashed when
// reached through an alias, warning colours beyond a limit), hatched hidden lanes, break marks
// stating each gap, limit lines and exact hex address labels. A fixed light palette keeps the
// file readable anywhere; every band carries a <title> as its text alternative. Deterministic:
// the same layout gives the same bytes.
import type { Analysis } from './analysis.js';
import { mapData } from './mapData.js';
import { describeBand, KIND_LABEL, LIGHT_PALETTE as P } from './mapDescribe.js';
import { type Layout, BAND_KINDS, layoutMap } from './mapLayout.js';
import { type ScaleKind, formatAddr } from './mapScale.js';
import type { BandKind } from './mapTypes.js';

export interface SvgOptions {
  /** Shown as the document title: `Memory map of FILE`. */
  readonly title?: string;
  /** A line under the title (the sequence step shown, the scale). */
  readonly subtitle?: string;
}

const HEADER = 62;
const FOOTER = 54;
const RIGHT = 24;
const CHAR = 6.6;
const LABEL_SPACING = 12;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n = (v: number) => String(Math.round(v * 10) / 10);

function fit(text: string, width: number): string {
  const max = Math.floor((width - 8) / CHAR);
  if (max <= 1) return '';
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

export function mapSvg(layout: Layout, opts: SvgOptions = {}): string {
  const { axis, columns, bands: B, limits, input } = layout;
  const limitText = Math.max(0, ...input.limits.map((l) => `${l.label} ≥ ${formatAddr(l.addr, axis.digits)}`.length));
  const width = Math.ceil(layout.width + RIGHT + (limitText ? 16 + limitText * CHAR : 0));
  const height = Math.ceil(HEADER + layout.height + FOOTER);
  const y = (v: number) => n(HEADER + v);
  const title = opts.title ?? 'Memory map';
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" font-size="11" role="img" aria-labelledby="map-title map-desc">`);
  out.push(`<title id="map-title">${esc(title)}</title>`);
  const counts = input.columns.map((c) => `${c.title}: ${c.bands.length} ranges${c.hidden.length ? `, ${c.hidden.length} hidden` : ''}`);
  out.push(`<desc id="map-desc">${esc([`${axis.kind} scale`, ...counts, ...input.limits.map((l) => l.label)].join('; '))}</desc>`);
  out.push('<defs>');
  for (const k of BAND_KINDS) {
    out.push(`<pattern id="hatch-${k}" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">` +
      `<rect width="6" height="6" fill="${P.background}"/><line x1="0" y1="0" x2="0" y2="6" stroke="${P[k]}" stroke-width="4"/></pattern>`);
  }
  out.push('</defs>');
  out.push(`<rect width="${width}" height="${height}" fill="${P.background}"/>`);
  out.push(`<text x="12" y="20" font-size="14" font-weight="bold" fill="${P.text}">${esc(title)}</text>`);
  if (opts.subtitle) out.push(`<text x="12" y="36" fill="${P.muted}">${esc(opts.subtitle)}</text>`);

  // Column titles and lane frames.
  out.push('<g class="columns">');
  for (const c of columns) {
    out.push(`<text x="${n(c.x)}" y="${HEADER - 10}" font-weight="bold" fill="${P.text}">${esc(fit(c.title, c.width + 20))}</text>`);
    out.push(`<rect x="${n(c.mainX)}" y="${y(0)}" width="${n(c.mainWidth)}" height="${n(layout.height)}" fill="none" stroke="${P.grid}"/>`);
  }
  out.push('</g>');

  // Break marks: each collapsed gap states its size.
  out.push('<g class="breaks">');
  const left = layout.columns.length ? layout.columns[0].x : 0;
  for (const b of axis.breaks) {
    const h = b.y1 - b.y0;
    out.push(`<g><title>${esc(`empty: ${formatAddr(b.start, axis.digits)}..${formatAddr(b.end - 1n, axis.digits)} (${b.size})`)}</title>` +
      `<rect x="${n(left - 8)}" y="${y(b.y0)}" width="${n(layout.width - left + 16)}" height="${n(h)}" fill="${P.gap}"/>` +
      `<path d="${zigzag(left - 8, layout.width + 8, HEADER + b.y0 + 3)} ${zigzag(left - 8, layout.width + 8, HEADER + b.y1 - 3)}" fill="none" stroke="${P.muted}" stroke-width="0.8"/>` +
      `<text x="${n(left + 6)}" y="${n(HEADER + (b.y0 + b.y1) / 2 + 4)}" fill="${P.muted}" font-style="italic">${esc(`gap of ${b.size}`)}</text></g>`);
  }
  out.push('</g>');

  // Bands: visible ones, then hidden parts in their side lanes.
  out.push('<g class="bands">');
  for (let i = 0; i < B.count; i++) {
    const kind: BandKind = BAND_KINDS[B.kind[i]];
    const hidden = B.lane[i] > 0;
    const beyond = B.beyond[i] !== 0;
    const x0 = B.x0[i];
    const w = B.x1[i] - x0;
    const h = Math.max(B.y1[i] - B.y0[i], 1);
    const d = describeBand(layout, i);
    const fill = hidden ? `url(#hatch-${kind})` : beyond ? P.warningFill : P[kind];
    const stroke = beyond ? P.warning : P.stroke;
    const dash = B.flags[i] & 1 ? ' stroke-dasharray="4 2"' : '';
    let text = '';
    if (!hidden && h >= 12) {
      const size = d.lines[1].slice(d.lines[1].indexOf('(') + 1, -1);
      const label = fit(`${d.name}  ${size}`, w).startsWith(d.name) ? fit(`${d.name}  ${size}`, w) : fit(d.name, w);
      text = `<text x="${n(x0 + 4)}" y="${n(HEADER + B.y0[i] + h / 2 + 4)}" fill="${P.text}">${esc(label)}</text>`;
    }
    out.push(`<g><title>${esc(d.lines.join('\n'))}</title><rect x="${n(x0)}" y="${y(B.y0[i])}" width="${n(w)}" height="${n(h)}" ` +
      `fill="${fill}" stroke="${stroke}" stroke-width="${beyond ? 1.5 : 0.6}"${dash}/>${text}</g>`);
  }
  out.push('</g>');

  // Limit lines over the columns they apply to.
  out.push('<g class="limits">');
  for (const l of limits) {
    if (l.y === null || l.columns.length === 0) continue;
    const addr = formatAddr(input.limits[l.index].addr, axis.digits);
    for (const ci of l.columns) {
      const c = columns[ci];
      out.push(`<line x1="${n(c.x - 6)}" y1="${y(l.y)}" x2="${n(c.x + c.width + 6)}" y2="${y(l.y)}" stroke="${P.warning}" stroke-width="1.5" stroke-dasharray="6 3"/>`);
    }
    // In the margin right of the columns, clear of the bands and the gap labels.
    out.push(`<line x1="${n(columns[l.columns[l.columns.length - 1]].x + columns[l.columns[l.columns.length - 1]].width + 6)}" y1="${y(l.y)}" x2="${n(layout.width + 12)}" y2="${y(l.y)}" stroke="${P.warning}" stroke-width="0.6" stroke-dasharray="1 3"/>`);
    out.push(`<text x="${n(layout.width + 16)}" y="${n(HEADER + l.y + 4)}" fill="${P.warning}" font-weight="bold">` +
      `<title>${esc(`${l.label}: addresses from ${addr} on are out of reach`)}</title>${esc(`${l.label} ≥ ${addr}`)}</text>`);
  }
  out.push('</g>');

  // Address labels at the boundaries, as many as fit without overlapping.
  out.push(`<g class="axis" fill="${P.muted}" text-anchor="end">`);
  let last = -Infinity;
  const labelX = (columns[0]?.x ?? layout.width) - 10;
  for (let i = 0; i < axis.stops.length; i++) {
    const at = axis.ys[i];
    if (at - last < LABEL_SPACING && i !== axis.stops.length - 1) continue;
    if (at - last < LABEL_SPACING) out.pop();
    out.push(`<text x="${n(labelX)}" y="${n(HEADER + at + 4)}">${formatAddr(axis.stops[i], axis.digits)}</text>`);
    last = at;
  }
  out.push('</g>');

  // Legend.
  const ly = HEADER + layout.height + 22;
  out.push(`<g class="legend" fill="${P.text}">`);
  let lx = 12;
  for (const k of BAND_KINDS) {
    out.push(`<rect x="${lx}" y="${n(ly - 9)}" width="14" height="10" fill="${P[k]}" stroke="${P.stroke}" stroke-width="0.6"/><text x="${lx + 18}" y="${n(ly)}">${KIND_LABEL[k]}</text>`);
    lx += 34 + KIND_LABEL[k].length * CHAR;
  }
  const extra: [string, string][] = [
    [`fill="none" stroke="${P.stroke}" stroke-dasharray="4 2"`, 'through an alias'],
    [`fill="url(#hatch-mmio)" stroke="${P.stroke}" stroke-width="0.6"`, 'hidden (covered)'],
    [`fill="${P.warningFill}" stroke="${P.warning}" stroke-width="1.5"`, 'beyond a limit'],
  ];
  for (const [style, text] of extra) {
    out.push(`<rect x="${lx}" y="${n(ly - 9)}" width="14" height="10" ${style}/><text x="${lx + 18}" y="${n(ly)}">${text}</text>`);
    lx += 34 + text.length * CHAR;
  }
  out.push(`<text x="12" y="${n(ly + 18)}" fill="${P.muted}">${esc(`${axis.kind} scale${axis.kind === 'compressed' ? ': empty stretches collapse into break marks' : ''}`)}</text>`);
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** A zigzag from x0 to x1 around height y: the usual "axis broken here" mark. */
function zigzag(x0: number, x1: number, y: number): string {
  const parts = [`M${n(x0)} ${n(y)}`];
  for (let x = x0, up = true; x < x1; x += 6, up = !up) parts.push(`L${n(Math.min(x + 6, x1))} ${n(y + (up ? -2 : 2))}`);
  return parts.join(' ');
}

export interface DocumentSvgOptions {
  /** The file's name, for the title. */
  readonly name: string;
  readonly space?: string;
  /** 0 = the start state, N = after step N. */
  readonly step?: number;
  readonly sequence?: string;
  readonly scale?: ScaleKind;
}

/** The SVG of a document's memory map, or why the options do not fit the document. */
export function documentMapSvg(a: Analysis, o: DocumentSvgOptions): { svg: string } | { error: string } {
  if (o.space !== undefined && !a.machine.spaces.some((s) => s.name === o.space)) {
    const names = a.machine.spaces.map((s) => `'${s.name}'`).join(', ');
    return { error: `no address space named '${o.space}'${names ? ` (there are ${names})` : ''}` };
  }
  const runs = a.pci?.runs.filter((r) => r.sequence.steps.length > 0) ?? [];
  if (o.sequence !== undefined && !runs.some((r) => r.sequence.name === o.sequence)) {
    return { error: `no sequence named '${o.sequence}' with steps` };
  }
  if (o.step !== undefined) {
    const run = o.sequence !== undefined ? runs.find((r) => r.sequence.name === o.sequence) : runs[runs.length - 1];
    if (!run) return { error: '--step needs a PCI sequence with steps, and there is none' };
    const n = run.sequence.steps.length;
    if (o.step > n) return { error: `--step ${o.step}: sequence ${run.sequence.name} has ${n} step${n === 1 ? '' : 's'}` };
  }
  const input = mapData(a, { space: o.space, step: o.step, sequence: o.sequence });
  const layout = layoutMap(input, { scale: o.scale ?? 'compressed' });
  const seq = input.sequence;
  const state = seq
    ? `sequence ${seq.name}: ${seq.current === 0 ? 'start state' : `after step ${seq.current} of ${seq.steps.length}`}` +
      `${seq.current > 0 && seq.steps[seq.current - 1].label ? ` "${seq.steps[seq.current - 1].label}"` : ''}`
    : undefined;
  return { svg: mapSvg(layout, { title: `Memory map of ${o.name}`, subtitle: [state, `${layout.axis.kind} scale`].filter(Boolean).join(' · ') }) };
}
