// The document's visibility checks (MR3010, engine/visibility.ts): regions its description maps
// that no flat view ever shows. They need the flat views, which the analysis itself does not
// compute (a 100k-region machine flattens in about 100 ms), so they are a function of their own,
// kept per analysis: `mrd check` always adds them, the language server when the machine is
// small enough to flatten on every change, else once the document has been quiet (lsp/server.ts).
import { diag } from '../base/catalog/index.js';
import type { Diagnostic, RelatedInfo } from '../base/diagnostic.js';
import type { Span } from '../base/span.js';
import { hiddenRegions } from '../engine/visibility.js';
import type { PciBar, PciDevice } from '../model/pci.js';
import type { Region } from '../model/region.js';
import type { Analysis } from './analysis.js';
import { hexRange } from './format.js';
import { applySuppressions } from './suppress.js';

const cache = new WeakMap<Analysis, readonly Diagnostic[]>();

/** Whether visibilityDiagnostics(a) has been computed (and is kept) already. */
export function hasVisibilityDiagnostics(a: Analysis): boolean {
  return cache.has(a);
}

/** MR3010 for every region declared in the document that is mapped but never visible; sorted, suppressions applied. */
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
    if (b && inDocument(b.bar.span)) return { span: b.bar.span, what: `BAR${b.bar.index} of ${b.device.name}` };
    const s = r.nameSpan;
    return inDocument(s) ? { span: s, what: `${r.kind} '${r.name}'` } : undefined;
  };
  const out: Diagnostic[] = [];
  for (const h of hiddenRegions(a.machine)) {
    const at = declared(h.region);
    if (!at) continue;
    const names = [...new Set(h.by.map((r) => `'${r.name}'`))];
    const more = h.byCount - h.by.length;
    const by = names.length === 1 && more === 0
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
      verb: h.byCount === 1 ? 'covers' : 'cover',
      where: `in ${h.spaces.map((s) => s.name).join(', ')} at ${hexRange(h.start, h.end)}`,
    }, related));
  }
  out.sort((x, y) => x.span.start - y.span.start);
  return applySuppressions(a.text, out);
}
