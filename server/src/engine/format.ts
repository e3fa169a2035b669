// Number formatting shared by the printers: QEMU's %016" PRIx64 and the wrapping
// 64-bit arithmetic of `info mtree` (R-OUT-4).
import { MAX_U64, TWO_64 } from '../model/region.js';

export function hex16(v: bigint): string {
  return (v & MAX_U64).toString(16).padStart(16, '0');
}

/** MR_SIZE(size): size − 1, or 0 for size 0, as a 64-bit value. */
export function mrSize(size: bigint): bigint {
  return size === 0n ? 0n : (size - 1n) & MAX_U64;
}

/** 64-bit wrapping add. */
export function add64(a: bigint, b: bigint): bigint {
  return (a + b) % TWO_64;
}
