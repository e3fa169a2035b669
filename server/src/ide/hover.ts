import type { Analysis } from './analysis.js';
import type { IdeHover } from './types.js';

export function hover(_a: Analysis, _offset: number): IdeHover | null {
  return null;
}
