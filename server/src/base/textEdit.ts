// The one edit that turns a text into another: the common prefix and suffix, found by comparing
// slices a chunk at a time (a slice is a view and === compares memory), then characters. Used
// by incremental analysis and by the LSP position index, on documents of megabytes.

/** `old[start, oldEnd)` was replaced by `text[start, newEnd)`. */
export interface TextEdit {
  readonly start: number;
  readonly oldEnd: number;
  readonly newEnd: number;
}

const CHUNK = 4096;

/** The smallest single replacement that turns `old` into `text`; null when they are equal. */
export function textEdit(old: string, text: string): TextEdit | null {
  if (old === text) return null;
  const min = Math.min(old.length, text.length);
  let p = 0;
  while (p + CHUNK <= min && old.slice(p, p + CHUNK) === text.slice(p, p + CHUNK)) p += CHUNK;
  while (p < min && old.charCodeAt(p) === text.charCodeAt(p)) p++;
  const max = min - p;
  let s = 0;
  const oe = old.length;
  const ne = text.length;
  while (s + CHUNK <= max && old.slice(oe - s - CHUNK, oe - s) === text.slice(ne - s - CHUNK, ne - s)) s += CHUNK;
  while (s < max && old.charCodeAt(oe - 1 - s) === text.charCodeAt(ne - 1 - s)) s++;
  return { start: p, oldEnd: oe - s, newEnd: ne - s };
}
