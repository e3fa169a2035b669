// The document's visibility checks (engine/visibility.ts): regions its description maps that no
// flat view ever shows (MR3010), and BARs rendered over other BARs or over RAM/ROM (MR3011).
// They need the flat views, which the analysis itself does not
// compute (a 100k-region machine flattens in about 100 ms), so they are a function of their own,
// kept per analysis: `mrd check` always adds them, the language server when the machine is
// small enough to flatten on every change, else once the document has been quiet (lsp/server.ts).
import { diag } from '../base/catalog/index.js';
import type { Diagnostic, RelatedInfo } from '../base/diagnostic.js';
import type { Span } from '../base/span.js';
import { type BarOverlap, barOverlaps, hiddenRegions } from '../engine/visibility.js';
import type { PciBar, PciDevice } from '../model/pci.js';
import type { Region } from '../model/region.js';
import type { Analysis } from './analysis.js';
import { hex, hexRange } from './format.js';
import { declaredBdf } from './pciInfo.js';
import { applySuppressions } from './suppress.js';

const cache = new WeakMap<Analysis, readonly Diagnostic[]>();

/** Whether visibilityDiagnostics(a) has been computed (and is kept) already. */
export function hasVisibilityDiagnostics(a: Analysis): boolean {
  return cache.has(a);
}

/**
 * MR3011 for every overlap of a BAR with another BAR or with memory, and MR3010 for every region
 * declared in the document that is mapped but never visible (not for a BAR MR3011 already
 * names as the hidden party); sorted, suppressions applied.
 */
export function visibilityDiagnostics(a: Analysis): readonly Diagnostic[] {
  let ds = cache.get(a);
  if (!ds) cache.set(a, (ds = compute(a)));
  return ds;
}

function compute(a: Analysis): readonly Diagnostic[] {
  if (a.diagnostics.some((d) => d.code === 'MR1098')) return [];
  const bars = new Map<Region, { bar: PciBar; device: PciDevice }>();
  for (const device of a.pci?.model.topology.devices ?? []) {
    for (const bar of device.bars) if (bar) bars.set(bar.region, { bar, device });
  }
  const inDocument = (s: Span | undefined): s is Span => s !== undefined && s.end <= a.text.length;
  /** Where a region is declared in this document, and how messages name it; undefined if not here. */
  const declared = (r: Region): { span: Span; what: string } | undefined => {
    const b = bars.get(r);
    if (b && inDocument(b.bar.span)) return { span: b.bar.span, what: `BAR${b.bar.index} of ${declaredBdf(b.device)}` };
    const s = r.nameSpan;
    return inDocument(s) ? { span: s, what: `${r.kind} '${r.name}'` } : undefined;
  };
  const out: Diagnostic[] = [];
  const overlapping = new Set<Region>();
  for (const o of barOverlaps(a.machine, new Set(bars.keys()))) {
    const at = declared(o.bar);
    if (!at) continue;
    const other = declared(o.other);
    const otherWhat = other?.what ?? `${o.other.kind} '${o.other.name}'`;
    // A BAR this names as the one hidden needs no MR3010 as well.
    if (o.visible === o.other) overlapping.add(o.bar);
    out.push(diag('MR3011', at.span, {
      what: at.what,
      other: otherWhat,
      start: hex(o.start),
      end: hex(o.end - 1n),
      space: o.spaces.map((x) => x.name).join(', '),
      outcome: outcome(o, o.visible === o.bar ? at.what : o.visible ? otherWhat : undefined),
    }, other ? [{ span: other.span, message: `${otherWhat} is declared here` }] : undefined));
  }
  for (const h of hiddenRegions(a.machine)) {
    const at = declared(h.region);
    if (!at || overlapping.has(h.region)) continue;
    const names = [...new Set(h.by.map((r) => `'${r.name}'`))];
    const more = h.byCount - h.by.length;
    const one = names.length === 1 && more === 0;
    const by = one
      ? names[0]
      : more === 0
        ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
        : `${names.join(', ')} and ${more} more`;
    const related: RelatedInfo[] = [];
    for (const r of h.by) {
      const w = declared(r);
      if (w) related.push({ span: w.span, message: `visible there instead: ${w.what}` });
    }
    out.push(diag('MR3010', at.span, {
      what: at.what,
      by,
      verb: one ? 'covers' : 'cover',
      where: `in ${h.spaces.map((s) => s.name).join(', ')} at ${hexRange(h.start, h.end)}`,
    }, related));
  }
  out.sort((x, y) => x.span.start - y.span.start);
  return applySuppressions(a.text, out);
}

/** Which of the two is visible where they overlap, and why (where their paths part). */
function outcome(o: BarOverlap, visible: string | undefined): string {
  if (visible === undefined) return 'neither is visible there';
  const w = o.why;
  if (!w) return `${visible} is visible there`;
  if (w.winner.priority !== w.loser.priority) {
    return `${visible} is visible there: '${w.winner.name}' has priority ${w.winner.priority} in '${w.container.name}', ` +
      `above '${w.loser.name}' at ${w.loser.priority}`;
  }
  return `${visible} is visible there: '${w.winner.name}' and '${w.loser.name}' share priority ${w.winner.priority} in ` +
    `'${w.container.name}', and '${w.winner.name}' was added later (R-ORD-2)`;
}
