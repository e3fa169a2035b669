// Source positions: UTF-16 offsets into one document's text. LSP line/character
// positions exist only at the edge (lsp/convert, cli).

export interface Span {
  readonly start: number;
  readonly end: number;
}

export const noSpan: Span = { start: 0, end: 0 };

export function span(start: number, end: number): Span {
  return { start, end };
}

/** Line starts of a text, for offset → (line, character) conversion (both 0-based). */
export class LineIndex {
  private readonly starts: Int32Array;
  constructor(text: string, starts?: Int32Array) {
    if (starts) {
      this.starts = starts;
      return;
    }
    // Straight into a typed array (doubling), the line ends found with indexOf: a 4 MB document
    // has 100k lines, and a list of numbers grown by push would be copied into it afterwards.
    let list = new Int32Array(Math.max(16, (text.length >> 5) + 16));
    let n = 1; // list[0] = 0
    const cr = text.indexOf('\r') >= 0;
    for (let i = cr ? 0 : text.indexOf('\n'); i >= 0 && i < text.length; i = cr ? i + 1 : text.indexOf('\n', i + 1)) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
      } else if (c !== 10 /* \n */) continue;
      if (n === list.length) {
        const more = new Int32Array(n * 2);
        more.set(list);
        list = more;
      }
      list[n++] = i + 1;
    }
    this.starts = list.slice(0, n);
  }

  /**
   * The index of `text`, made from `prev`, the index of the text before one edit that replaced
   * `[start, oldEnd)` by `text[start, newEnd)`: line starts before the edit are kept, those
   * after it move, only the edited part is scanned (a megabyte document is not re-read).
   */
  static edited(prev: LineIndex, text: string, start: number, oldEnd: number, newEnd: number): LineIndex {
    const old = prev.starts;
    const delta = newEnd - oldEnd;
    // Whether p starts a line depends on the characters at p - 1 and p (CR LF is one break).
    let keep = 0;
    while (keep < old.length && old[keep] < start) keep++;
    const middle: number[] = start === 0 ? [0] : [];
    for (let p = Math.max(start, 1); p <= newEnd && p <= text.length; p++) {
      const c = text.charCodeAt(p - 1);
      if (c === 10 || (c === 13 && text.charCodeAt(p) !== 10)) middle.push(p);
    }
    let from = keep;
    while (from < old.length && old[from] <= oldEnd) from++;
    const out = new Int32Array(keep + middle.length + old.length - from);
    out.set(old.subarray(0, keep));
    out.set(middle, keep);
    let o = keep + middle.length;
    for (let i = from; i < old.length; i++) out[o++] = old[i] + delta;
    return new LineIndex(text, out);
  }
  get lineCount(): number {
    return this.starts.length;
  }
  position(offset: number): { line: number; character: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }
  offset(line: number, character: number): number {
    if (line < 0) return 0;
    if (line >= this.starts.length) return this.starts[this.starts.length - 1] + character;
    return this.starts[line] + character;
  }
}
