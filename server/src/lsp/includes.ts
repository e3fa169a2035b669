// Included files for the language server: read from the open document when there is one (its
// current, unsaved text), else from disk with the command line's checks (no directories, no
// binary files, nothing over 16 MiB); and which open documents to analyse again when a file
// changes. Paths are compared in the analysis's normalised form (model/include.ts).
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync, readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver/node';
import type { Span } from '../base/span.js';
import type { Analysis } from '../ide/analysis.js';
import { type IncludeContext, type IncludeRead, MAX_INCLUDE_LENGTH, normalizePath, resolveIncludePath } from '../model/include.js';
import type { Converter } from './convert.js';

/** The normalised path of a `file:` URI; undefined for other schemes (untitled documents). */
export function pathOfUri(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return normalizePath(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

/** A file's contents from disk, refused as the command line refuses its input (the CLI reads includes with it too). */
export function readIncludeFromDisk(path: string): IncludeRead {
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
    if (st.size > MAX_INCLUDE_LENGTH) return { error: 'too-large', detail: `${st.size} bytes` };
    const buf = Buffer.alloc(Math.min(st.size + 1, MAX_INCLUDE_LENGTH + 1));
    let n = 0;
    for (let k; n < buf.length && (k = readSync(fd, buf, n, buf.length - n, null)) > 0; ) n += k;
    if (n > MAX_INCLUDE_LENGTH) return { error: 'too-large', detail: `over ${MAX_INCLUDE_LENGTH} bytes` };
    const data = buf.subarray(0, n);
    if (data.subarray(0, 8192).includes(0)) return { error: 'binary' };
    return { text: data.toString('utf8') };
  } catch (e) {
    return { error: 'unreadable', detail: (e as NodeJS.ErrnoException).code ?? 'error' };
  } finally {
    closeSync(fd);
  }
}

/** The open documents' texts by path, and their URIs, as the server's document manager has them. */
export interface OpenDocuments {
  /** The open document at a normalised path, if any. */
  byPath(path: string): { uri: string; text: string } | undefined;
}

/** How the document at `uri` reads its includes; undefined when it has no file path. */
export function includeContext(uri: string, open: OpenDocuments): IncludeContext | undefined {
  const path = pathOfUri(uri);
  if (path === undefined) return undefined;
  return {
    path,
    read: (p) => {
      const doc = open.byPath(p);
      return doc ? { text: doc.text } : readIncludeFromDisk(p);
    },
  };
}

/** The URI to show for a file: the open document's own spelling, else a `file:` URI. */
export function uriOfPath(path: string, open: OpenDocuments): string {
  return open.byPath(path)?.uri ?? pathToFileURL(path).href;
}

/** A span of the analysis as a Location: in the document itself, or in the included file it is in. */
export function locationOf(a: Analysis, conv: Converter, s: Span, open: OpenDocuments): Location {
  const l = a.includes?.locate(s);
  if (!l) return conv.location(s);
  const i = a.includes!.files.indexOf(l.file);
  return {
    uri: uriOfPath(l.file.path, open),
    range: { start: a.includes!.position(i, l.span.start), end: a.includes!.position(i, l.span.end) },
  };
}

/** Whether an analysis read (or tried to read) the file at `path`. */
export function dependsOn(a: Analysis | undefined, path: string): boolean {
  return !!a?.includes?.paths.has(path);
}

/** Most entries offered when completing an include path (a huge directory stays quick). */
const MAX_ENTRIES = 500;

/**
 * Entries for completing an include path typed so far in the document at `from`: the `.mrd`
 * files and the subdirectories of the directory it names (hidden ones only after a typed '.'),
 * never the document itself. An unreadable directory offers nothing.
 */
export function includePathEntries(from: string, typed: string): { name: string; directory: boolean }[] {
  const cut = typed.lastIndexOf('/');
  const dir = resolveIncludePath(from, cut < 0 ? '.' : typed.slice(0, cut + 1) + '.');
  const partial = typed.slice(cut + 1);
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: { name: string; directory: boolean }[] = [];
  for (const e of entries) {
    if (out.length >= MAX_ENTRIES) break;
    if (e.name.startsWith('.') && !partial.startsWith('.')) continue;
    if (e.isDirectory()) out.push({ name: e.name, directory: true });
    else if (e.name.endsWith('.mrd') && normalizePath(`${dir}/${e.name}`) !== from) out.push({ name: e.name, directory: false });
  }
  return out.sort((x, y) => x.name.localeCompare(y.name));
}
