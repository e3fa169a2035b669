import type { Span } from '../base/span.js';
import type { Analysis } from './analysis.js';
import type { IdeInlayHint } from './types.js';

export function inlayHints(_a: Analysis, _range: Span): IdeInlayHint[] {
  return [];
}
