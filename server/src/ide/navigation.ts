import type { Span } from '../base/span.js';
import type { Analysis } from './analysis.js';
import type { IdeRename } from './types.js';

export function definition(_a: Analysis, _offset: number): Span[] {
  return [];
}
export function references(_a: Analysis, _offset: number, _includeDeclaration: boolean): Span[] {
  return [];
}
export function prepareRename(_a: Analysis, _offset: number): { span: Span; placeholder: string } | null {
  return null;
}
export function rename(_a: Analysis, _offset: number, _newName: string): IdeRename {
  return { ok: false, reason: 'nothing to rename here' };
}
