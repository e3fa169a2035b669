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
  if (a.length === 0) return '';
  // At most 11 digits, a sign and a comma per value.
  const buf = new Uint8Array(a.length * 13);
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (i > 0) buf[k++] = 44;
    let v = a[i];
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
  }
  if (NodeBuffer) return NodeBuffer.from(buf.buffer, 0, k).toString('latin1');
  if (decoder) return decoder.decode(buf.subarray(0, k));
  let s = '';
  for (let i = 0; i < k; i += 8192) s += String.fromCharCode(...buf.subarray(i, Math.min(k, i + 8192)));
  return s;
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
