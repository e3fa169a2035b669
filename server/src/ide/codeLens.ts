// Code lenses on region declarations: where the region lands (first placement, absolute
// range) and how much of it the flat view shows ("memory: 0xfebe_0000..0xfebe_3fff · 16 KiB
// visible"). Listing is cheap (spans only); the title is computed per lens when the editor
// resolves it, since visibility walks the flat view.
import type { Span } from '../base/span.js';
import type { Region } from '../model/region.js';
import type { Analysis } from './analysis.js';
import { hexRange, humanSize } from './format.js';
import { outermost } from './outermost.js';
import { placements, visibility } from './regionInfo.js';

export interface IdeCodeLens {
  /** The region's name. */
  readonly span: Span;
  /** `Region.id`, for `codeLensTitle`. */
  readonly region: number;
}

/**
 * The lenses of the document's regions in declaration order, at most `limit` of them
 * (mrd.maxItemsComputed in the editor). Past the limit the outermost regions come first, as
 * with the outline and folding ranges, so that a long file has lenses from top to bottom:
 * whole nesting levels while they fit, then the first regions of the next level.
 */
export function codeLenses(a: Analysis, limit = 5000): IdeCodeLens[] {
  const out: IdeCodeLens[] = [];
  const d = a.index.decls;
  // Regions of included files (offsets after the text) have their lenses in those files.
  const shown = (r: Region) => {
    const n = r.nameSpan!;
    return n.end > n.start && n.end <= a.text.length;
  };
  let all = 0;
  for (let i = 0; i < d.count && all <= limit; i++) if (shown(d.region(i))) all++;
  if (all <= limit) {
    for (let i = 0; i < d.count; i++) {
      const r = d.region(i);
      if (shown(r)) out.push({ span: r.nameSpan!, region: r.id });
    }
    return out;
  }
  // Nesting levels: a region's container is declared before it (a body follows its header).
  const level = new Int32Array(d.count);
  for (let i = 0; i < d.count; i++) {
    const c = d.region(i).container;
    level[i] = c !== null && c.id < i && d.region(c.id) === c ? level[c.id] + 1 : 0;
  }
  for (const i of outermost(level, limit, (i) => shown(d.region(i)))) {
    const r = d.region(i);
    out.push({ span: r.nameSpan!, region: r.id });
  }
  return out;
}

/** The lens text of region `id`, or null if the analysis has no such region. */
export function codeLensTitle(a: Analysis, id: number): string | null {
  const sym = a.index.decls.symbol(id);
  if (!sym) return null;
  const ps = placements(a, sym.region);
  if (ps.length === 0) return sym.region.enabled ? 'unmapped' : 'disabled';
  const p = ps[0];
  let visible = 0n;
  for (const part of visibility(a, sym.region, p).visible) visible += part.end - part.start;
  const where = p.spaces.length > 0 ? p.spaces.map((x) => x.name).join(', ') : 'root';
  const all = p.end - p.start;
  const shown = visible === all ? `${humanSize(visible)} visible` : `${humanSize(visible)} of ${humanSize(all)} visible`;
  const more = ps.length > 1 ? ` · +${ps.length - 1} more placement${ps.length > 2 ? 's' : ''}` : '';
  return `${where}: ${hexRange(p.start, p.end)} · ${shown}${more}`;
}
