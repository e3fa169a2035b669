// The statement outline of a build, for incremental analysis. Entries are in source order
// (preorder through region bodies) and a statement's subtree is the `size` entries from its own,
// so the statements of a body can be replaced as one block.

/**
 * The statements of a streamed build in source order (preorder through region bodies), one
 * entry each, for incremental analysis (model/incremental.ts): where each statement starts
 * and ends, its body's braces, its parent, its region and how many entries its subtree has.
 * Columns of typed arrays, valid up to `length` (a 100k-region file has some 115k entries).
 */
export class Outline {
  length = 0;
  start: Int32Array;
  end: Int32Array;
  /** Index of the enclosing region statement's entry, -1 at the top level. */
  parent: Int32Array;
  /** The `{` and `}` of a region's body; -1 when there is none (or `}` is missing). */
  open: Int32Array;
  close: Int32Array;
  /** Region id, -1 for other statements. */
  region: Int32Array;
  /** OutlineKind. */
  kind: Uint8Array;
  /** Entries in the subtree, this one included. */
  size: Int32Array;

  constructor(capacity = 64) {
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.parent = new Int32Array(capacity);
    this.open = new Int32Array(capacity);
    this.close = new Int32Array(capacity);
    this.region = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.size = new Int32Array(capacity);
  }

  /** Room for `n` entries (capacity doubles). */
  reserve(n: number): void {
    let cap = this.start.length;
    if (n <= cap) return;
    while (cap < n) cap = cap * 2 + 16;
    const grow = <A extends Int32Array | Uint8Array>(a: A): A => {
      const b = new (a.constructor as new (n: number) => A)(cap);
      b.set(a.subarray(0, this.length));
      return b;
    };
    this.start = grow(this.start);
    this.end = grow(this.end);
    this.parent = grow(this.parent);
    this.open = grow(this.open);
    this.close = grow(this.close);
    this.region = grow(this.region);
    this.kind = grow(this.kind);
    this.size = grow(this.size);
  }

  /** A new entry (end = start, no body, no region, size 1); returns its index. */
  push(start: number, kind: OutlineKind, parent: number): number {
    const i = this.length;
    if (i === this.start.length) this.reserve(i + 1);
    this.start[i] = start;
    this.end[i] = start;
    this.parent[i] = parent;
    this.open[i] = -1;
    this.close[i] = -1;
    this.region[i] = -1;
    this.kind[i] = kind;
    this.size[i] = 1;
    this.length = i + 1;
    return i;
  }

  /**
   * Entries [from, to) replaced by those of `sub`, whose parents (-1: `parent`) and regions
   * (-1: none) are moved by `from` and `regionAt`; the entries after `to` move, their values not.
   */
  replace(from: number, to: number, sub: Outline, parent: number, regionAt: number): void {
    const n = sub.length;
    const len = this.length - (to - from) + n;
    this.reserve(len);
    const cols = [this.start, this.end, this.parent, this.open, this.close, this.region, this.kind, this.size];
    if (n !== to - from) for (const c of cols) c.copyWithin(from + n, to, this.length);
    for (let j = 0; j < n; j++) {
      const i = from + j;
      this.start[i] = sub.start[j];
      this.end[i] = sub.end[j];
      this.parent[i] = sub.parent[j] < 0 ? parent : sub.parent[j] + from;
      this.open[i] = sub.open[j];
      this.close[i] = sub.close[j];
      this.region[i] = sub.region[j] < 0 ? sub.region[j] : sub.region[j] + regionAt;
      this.kind[i] = sub.kind[j];
      this.size[i] = sub.size[j];
    }
    this.length = len;
  }
}

export enum OutlineKind {
  Region,
  /** Skipped tokens: no effect on the model. */
  Error,
  /** const, include, address-space and PCI statements. */
  Other,
}

export function emptyOutline(capacity?: number): Outline {
  return new Outline(capacity);
}
