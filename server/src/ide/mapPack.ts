// Integer lists packed into one string for the memory map's wire form: each value a run of
// 6-bit digits, least significant first (a variable-length quantity, as source maps code
// their numbers), with no separator: bit 5 of a digit says another follows; the first digit
// holds the sign (bit 0) and 4 bits, the others 5 bits each. Digit d is the character
// d + 35 ('#'…'['), or d + 36 from 57 on (']'…'c'): nothing JSON escapes. Values of magnitude
// below 16 take one character. JSON and structured clone copy one string far faster than a
// million numbers; unpacking is two plain passes over the characters. Exact for integers of magnitude
// below 2^53. Pure: the webview bundles this file.

/** A list of integers as one string (see the file comment); '' is the empty list. */
export type Packed = string;

/** Node's Buffer when there is one (its latin1 decoding is a copy), else TextDecoder. */
const NodeBuffer = (globalThis as { Buffer?: { from(b: ArrayBuffer, at: number, n: number): { toString(enc: string): string } } }).Buffer;
const decoder = typeof TextDecoder === 'function' ? new TextDecoder() : undefined;

/** The character of digit d (0..63); unpack reads it back as c − 35, or c − 36 from 93 on. */
const charOf = (d: number): number => (d < 57 ? d + 35 : d + 36);

export function pack(a: ArrayLike<number>): Packed {
  // A slot of its own: pack may run while a writer of another slot is being filled.
  const w = new PackWriter(SLOTS, a.length);
  for (let i = 0; i < a.length; i++) w.add(a[i]);
  return w.done();
}

/**
 * Scratch buffers of the writers, by slot, kept between calls: a 100k-region map packs a few
 * MB of text, and fresh memory costs a page fault per 4 KiB on first touch.
 */
const scratch: Uint8Array<ArrayBuffer>[] = [];
/** Slots 0..SLOTS-1 are the writers'; pack() uses slot SLOTS. */
export const SLOTS = 8;

/**
 * Packs integers as they come, into a reused scratch buffer (no list of the values is made).
 * Writers of different slots may be filled at the same time; one slot's writer must be done
 * before the next writer of that slot starts.
 */
export class PackWriter {
  private buf: Uint8Array<ArrayBuffer>;
  private k = 0;
  /** `expect`: about how many values will come (the buffer is sized once instead of doubling). */
  constructor(private readonly slot = 0, expect = 0) {
    const want = Math.max(1 << 16, expect * 3);
    let b = scratch[slot];
    if (!b || b.length < want) b = scratch[slot] = new Uint8Array(want);
    this.buf = b;
  }

  add(v: number): void {
    // At most 11 digits (4 + 5 × 10 bits of magnitude).
    if (this.k + 11 > this.buf.length) this.grow();
    const buf = this.buf;
    let k = this.k;
    const neg = v < 0;
    let m = neg ? -v : v;
    if (m < 0x80000000) {
      let d = ((m & 15) << 1) | (neg ? 1 : 0);
      m >>>= 4;
      while (m > 0) {
        buf[k++] = charOf(d | 32);
        d = m & 31;
        m >>>= 5;
      }
      buf[k++] = charOf(d);
    } else {
      let d = ((m % 16) * 2) + (neg ? 1 : 0);
      m = Math.floor(m / 16);
      while (m > 0) {
        buf[k++] = charOf(d | 32);
        d = m % 32;
        m = Math.floor(m / 32);
      }
      buf[k++] = charOf(d);
    }
    this.k = k;
  }

  private grow(): void {
    const b = new Uint8Array(this.buf.length * 2);
    b.set(this.buf.subarray(0, this.k));
    this.buf = scratch[this.slot] = b;
  }

  /** The packed text; the writer is then empty again. */
  done(): Packed {
    const k = this.k;
    this.k = 0;
    if (k === 0) return '';
    if (NodeBuffer) return NodeBuffer.from(this.buf.buffer, 0, k).toString('latin1');
    if (decoder) return decoder.decode(this.buf.subarray(0, k));
    let s = '';
    for (let i = 0; i < k; i += 8192) s += String.fromCharCode(...this.buf.subarray(i, Math.min(k, i + 8192)));
    return s;
  }
}

/** The values of `s`, as doubles (exact below 2^53). */
export function unpack(s: Packed): Float64Array {
  // Plain loops over the characters (no call per value: this runs once per map, mostly before
  // the engine has optimised anything). A value ends at a digit below 32: a character below 'C'.
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 67) n++;
  const out = new Float64Array(n);
  for (let i = 0, k = 0; k < n; k++) {
    let c = s.charCodeAt(i++);
    let d = c < 92 ? c - 35 : c - 36;
    let v = (d >> 1) & 15;
    const neg = (d & 1) !== 0;
    // Most values are one character: the inner loop is for the others.
    for (let scale = 16; d & 32; scale *= 32) {
      c = s.charCodeAt(i++);
      d = c < 92 ? c - 35 : c - 36;
      v += (d & 31) * scale;
    }
    out[k] = neg ? -v : v;
  }
  return out;
}
