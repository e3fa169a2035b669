// Shared bigints for safe-integer values. Files repeat the same few sizes and offsets
// (0x1000, 64K, 0) thousands of times; one bigint per distinct value instead of one per
// occurrence saves the allocation and the garbage collector's copying of it.
// Bigints are immutable, so sharing them is invisible to callers.

const small: bigint[] = [];
for (let v = 0; v < 1024; v++) small.push(BigInt(v));

// A direct-mapped cache: a colliding value simply replaces the previous one.
const BITS = 12;
const keys = new Float64Array(1 << BITS).fill(NaN);
const bigs: bigint[] = new Array<bigint>(1 << BITS).fill(0n);

/** `BigInt(v)` for a safe integer `v`, shared with earlier calls for the same value. */
export function bigOf(v: number): bigint {
  if (v >= 0 && v < 1024 && (v | 0) === v) return small[v];
  const h = Math.imul((v >>> 0) ^ ((v / 4294967296) | 0), 0x9e3779b1) >>> (32 - BITS);
  if (keys[h] === v) return bigs[h];
  const b = BigInt(v);
  keys[h] = v;
  bigs[h] = b;
  return b;
}
