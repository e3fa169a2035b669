import type { Analysis } from './analysis.js';
import type { IdeFold } from './types.js';

export function foldingRanges(_a: Analysis): IdeFold[] {
  return [];
}
