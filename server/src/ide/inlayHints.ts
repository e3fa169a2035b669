// Inlay hints: after a region's name, its absolute start address in the first address space
// that maps it (`@ 0xfffc_0000`), or `unmapped`; for aliases, the resolved target window.
// Sequence steps get where the BARs they move decode (pciHints.ts).
import type { Span } from '../base/span.js';
import { declaredRegionsMeeting } from '../model/build.js';
import type { Analysis } from './analysis.js';
import { hex, hexRange } from './format.js';
import { stepInlayHints } from './pciHints.js';
import { computeAllPlacements, placements } from './regionInfo.js';
import type { IdeInlayHint } from './types.js';

const MAX_HINTS = 2000;
/** With more regions than this in the range, their placements come from one walk of everything. */
const BULK = 256;

export function inlayHints(a: Analysis, range: Span): IdeInlayHint[] {
  const out: IdeInlayHint[] = [];
  // The regions named in the range (an editor asks for the visible lines, at every edit and scroll).
  const ids = declaredRegionsMeeting(a.index, range.start, range.end);
  if (ids.length > BULK) computeAllPlacements(a);
  const d = a.index.decls;
  for (const i of ids) {
    if (out.length >= MAX_HINTS) break;
    const r = d.region(i);
    const n = r.nameSpan!;
    if (n.end === n.start) continue;
    // Top-level regions that are address-space roots sit at 0 by definition: no hint.
    if (!r.container && a.machine.spaces.some((x) => x.root === r)) continue;
    const ps = placements(a, r);
    if (ps.length === 0) {
      if (r.container) out.push({ offset: n.end, label: 'unmapped', tooltip: 'not reachable from any address-space root' });
      continue;
    }
    const p = ps[0];
    const more = ps.length > 1 ? ` +${ps.length - 1}` : '';
    out.push({
      offset: n.end,
      label: `@ ${hex(p.start)}${more}`,
      tooltip: `${p.spaces.map((x) => x.name).join(', ')}: ${hexRange(p.start, p.end)}`,
    });
  }
  if (out.length < MAX_HINTS) out.push(...stepInlayHints(a, range, MAX_HINTS - out.length));
  return out;
}
