// Number formatting for hovers and hints: hex in groups of four digits, inclusive ranges,
// and sizes in binary units (exact, or with the byte count when not a whole unit).
import { TWO_64 } from '../model/region.js';

export function hex(v: bigint): string {
  const h = v.toString(16);
  let out = '';
  for (let i = h.length; i > 0; i -= 4) out = h.slice(Math.max(0, i - 4), i) + (out ? '_' + out : '');
  return '0x' + out;
}

/** `[start, end)` written inclusively: `0xfffc_0000..0xffff_ffff`. */
export function hexRange(start: bigint, end: bigint): string {
  return end > start ? `${hex(start)}..${hex(end - 1n)}` : `${hex(start)} (empty)`;
}

const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

export function humanSize(size: bigint): string {
  if (size === TWO_64) return '16 EiB (2^64 bytes)';
  if (size < 1024n) return size === 1n ? '1 byte' : `${size} bytes`;
  let u = 0;
  let v = size;
  while (v >= 1024n && v % 1024n === 0n && u < units.length - 1) {
    v /= 1024n;
    u++;
  }
  if (u > 0 && v < 1024n * 1024n) return `${v} ${units[u]}`;
  // Not a whole number of units: one decimal of the largest unit, and the exact count.
  let unit = 0;
  let scaled = Number(size);
  while (scaled >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit++;
  }
  return `${scaled.toFixed(1)} ${units[unit]} (${hex(size)} bytes)`;
}
