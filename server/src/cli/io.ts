// File input for the command line: every failure is a one-line message and exit code 2,
// never a stack trace. Binary and oversized files are refused before parsing.
import { readFileSync, statSync } from 'node:fs';

/** Largest input the command line reads (bytes). */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

export class UsageError extends Error {}

export function readTextFile(path: string): string {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${code ?? 'error'})`);
  }
  if (st.isDirectory()) throw new UsageError(`${path}: is a directory`);
  if (st.size > MAX_INPUT_BYTES) {
    throw new UsageError(`${path}: file too large (${st.size} bytes; the limit is ${MAX_INPUT_BYTES} bytes)`);
  }
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new UsageError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const probe = buf.subarray(0, 8192);
  if (probe.includes(0)) throw new UsageError(`${path}: binary file (contains NUL bytes), not a text description`);
  return buf.toString('utf8');
}
