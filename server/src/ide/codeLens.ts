// Code lenses on region declarations: where the region lands (first placement, absolute
// range) and how much of it the flat view shows ("memory: 0xfebe_0000..0xfebe_3fff · 16 KiB
// visible"). Listing is cheap (spans only); the title is computed per lens when the editor
// resolves it, since visibility walks the flat view.
import type { Span } from '../base/span.js';
import type { Analysis } from './analysis.js';
import { hexRange, humanSize } from './format.js';
import { placements, visibility } from './regionInfo.js';

export interface IdeCodeLens {
  /** The region's name. */
  readonly span: Span;
  /** `Region.id`, for `codeLensTitle`. */
  readonly region: number;
}

/** The lenses of the first `limit` regions in declaration order (mrd.maxItemsComputed in the editor). */
export function codeLenses(a: Analysis, limit = 5000): IdeCodeLens[] {
  const out: IdeCodeLens[] = [];
  const d = a.index.decls;
  for (let i = 0; i < d.count; i++) {
    if (out.length >= limit) break;
    const r = d.region(i);
    const n = r.nameSpan!;
    // Regions of included files (offsets after the text) have their lenses in those files.
    if (n.end === n.start || n.end > a.text.length) continue;
    out.push({ span: n, region: r.id });
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
