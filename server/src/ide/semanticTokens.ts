// Semantic tokens for what the TextMate grammar cannot know: whether a reference names a
// region (by name or by `id`), a constant, or a PCI device (`on 01:10.0`, iommu `devices`).
// Only resolved references are coloured; declarations and keywords are left to the grammar.
import type { Span } from '../base/span.js';
import type { Analysis } from './analysis.js';

/** The legend, declared once: the server advertises it, tokens index into it. */
export const semanticTokenTypes = ['class', 'variable', 'enumMember', 'struct'] as const;
export const semanticTokenModifiers = [] as const;

export type IdeTokenType = 'region' | 'regionId' | 'constant' | 'device';

/** Index of each IdeTokenType in `semanticTokenTypes`. */
export const tokenTypeIndex: Record<IdeTokenType, number> = { region: 0, regionId: 1, constant: 2, device: 3 };

export interface IdeSemanticToken {
  readonly span: Span;
  readonly type: IdeTokenType;
}

/** The document's tokens, sorted by start, none overlapping. */
export function semanticTokens(a: Analysis): IdeSemanticToken[] {
  const out: IdeSemanticToken[] = [];
  for (const r of a.index.regionRefs) {
    if (r.target && r.span.end > r.span.start) out.push({ span: r.span, type: r.viaId ? 'regionId' : 'region' });
  }
  for (const c of a.index.constantRefs) {
    if (c.constant && c.span.end > c.span.start) out.push({ span: c.span, type: 'constant' });
  }
  for (const d of a.index.pci.deviceRefs) {
    if (d.device && d.span.end > d.span.start) out.push({ span: d.span, type: 'device' });
  }
  out.sort((x, y) => x.span.start - y.span.start || x.span.end - y.span.end);
  // Never overlapping: a later token starting inside an earlier one is dropped.
  const kept: IdeSemanticToken[] = [];
  for (const t of out) {
    // Names in included files (offsets after the text) are tokens of those files.
    if (t.span.end > a.text.length) break;
    if (kept.length === 0 || t.span.start >= kept[kept.length - 1].span.end) kept.push(t);
  }
  return kept;
}
