// File input for the command line: every failure is a one-line message and exit code 2,
// never a stack trace. Binary and oversized files are refused before parsing.
import { closeSync, constants as fsConstants, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { IncludeRead } from '../model/include.js';

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

/**
 * An included file for the analysis (model/include.ts): the checks of `readTextFile`, but a
 * failure is a value the analysis reports at the `include`, not the end of the command.
 */
export function readIncludeFile(path: string): IncludeRead {
  let fd: number;
  try {
    // Non-blocking: opening a named pipe with no writer would otherwise wait for one.
    fd = openSync(path, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { error: 'missing' };
    return code === 'EISDIR' ? { error: 'directory' } : { error: 'unreadable', detail: code ?? 'error' };
  }
  try {
    // The opened file itself is checked and read, at most one byte past the limit: a device
    // (`/dev/zero`), a pipe or a file that grows never makes the read endless.
    const st = fstatSync(fd);
    if (st.isDirectory()) return { error: 'directory' };
    if (!st.isFile()) return { error: 'unreadable', detail: 'not a regular file' };
    if (st.size > MAX_INPUT_BYTES) return { error: 'too-large', detail: `${st.size} bytes` };
    const buf = Buffer.alloc(Math.min(st.size + 1, MAX_INPUT_BYTES + 1));
    let n = 0;
    for (let k; n < buf.length && (k = readSync(fd, buf, n, buf.length - n, null)) > 0; ) n += k;
    if (n > MAX_INPUT_BYTES) return { error: 'too-large', detail: `over ${MAX_INPUT_BYTES} bytes` };
    const data = buf.subarray(0, n);
    if (data.subarray(0, 8192).includes(0)) return { error: 'binary' };
    return { text: data.toString('utf8') };
  } catch (e) {
    return { error: 'unreadable', detail: (e as NodeJS.ErrnoException).code ?? 'error' };
  } finally {
    closeSync(fd);
  }
}
