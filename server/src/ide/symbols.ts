import type { Analysis } from './analysis.js';
import type { IdeSymbol } from './types.js';

export function documentSymbols(_a: Analysis): IdeSymbol[] {
  return [];
}
