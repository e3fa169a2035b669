// Integer lists packed into one string for the memory map's wire form: base-32 digits
// (0-9a-v), `-` before a negative value, `,` between values. JSON and structured clone copy
// one string far faster than a million numbers; unpacking is one pass over the characters.
// Exact for integers of magnitude below 2^53. Pure: the webview bundles this file.

/** A list of integers as one string (see the file comment); '' is the empty list. */
export type Packed = string;

const DIGITS = new Uint8Array(32).map((_, d) => (d < 10 ? 48 + d : 87 + d));
/** Node's Buffer when there is one (its latin1 decoding is a copy), else TextDecoder. */
const NodeBuffer = (globalThis as { Buffer?: { from(b: ArrayBuffer, at: number, n: number): { toString(enc: string): string } } }).Buffer;
const decoder = typeof TextDecoder === 'function' ? new TextDecoder() : undefined;

export function pack(a: ArrayLike<number>): Packed {
  // A slot of its own: pack may run while a writer of another slot is being filled.
  const w = new PackWriter(SLOTS, a.length);
  for (let i = 0; i < a.length; i++) w.add(a[i]);
  return w.done();
}

/**
 * Scratch buffers of the writers, by slot, kept between calls: a 100k-region map packs about
 * 4 MB of text, and fresh memory costs a page fault per 4 KiB on first touch.
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
    const want = Math.max(1 << 16, expect * 4);
    let b = scratch[slot];
    if (!b || b.length < want) b = scratch[slot] = new Uint8Array(want);
    this.buf = b;
  }

  add(v: number): void {
    // At most 11 digits, a sign and a comma.
    if (this.k + 13 > this.buf.length) this.grow();
    const buf = this.buf;
    let k = this.k;
    if (k > 0) buf[k++] = 44;
    if (v < 0) {
      buf[k++] = 45;
      v = -v;
    }
    if (v < 0x80000000) {
      // Count the digits, then write them from the last.
      let end = k + 1;
      for (let t = v >>> 5; t > 0; t >>>= 5) end++;
      k = end;
      do {
        buf[--end] = DIGITS[v & 31];
        v >>>= 5;
      } while (v > 0);
    } else {
      let end = k + 1;
      for (let t = Math.floor(v / 32); t > 0; t = Math.floor(t / 32)) end++;
      k = end;
      do {
        buf[--end] = DIGITS[v % 32];
        v = Math.floor(v / 32);
      } while (v > 0);
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
  if (s.length === 0) return new Float64Array(0);
  let n = 1;
  for (let i = s.indexOf(','); i >= 0; i = s.indexOf(',', i + 1)) n++;
  const out = new Float64Array(n);
  let k = 0;
  let v = 0;
  let neg = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 44) {
      out[k++] = neg ? -v : v;
      v = 0;
      neg = false;
    } else if (c === 45) neg = true;
    else v = v * 32 + (c <= 57 ? c - 48 : c - 87);
  }
  out[k] = neg ? -v : v;
  return out;
}
