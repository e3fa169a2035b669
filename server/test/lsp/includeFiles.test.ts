// The language server's reader of included files on disk: the command line's refusals as
// values (missing, directory, binary, too large), and never an endless read or a wait on a
// device or a named pipe.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathOfUri, readIncludeFromDisk } from '../../src/lsp/includes.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'mrd-lsp-files-'));
const file = (name: string, data: string | Buffer) => {
  const f = path.join(tmp, name);
  writeFileSync(f, data);
  return f;
};

describe('readIncludeFromDisk', () => {
  it('reads a text file', () => {
    expect(readIncludeFromDisk(file('ok.mrd', 'ram r size 4K\n'))).toEqual({ text: 'ram r size 4K\n' });
  });
  it('refuses what is not a description', () => {
    expect(readIncludeFromDisk(path.join(tmp, 'nope.mrd'))).toEqual({ error: 'missing' });
    expect(readIncludeFromDisk(path.join(tmp, 'ok.mrd', 'x'))).toEqual({ error: 'missing' });
    expect(readIncludeFromDisk(tmp)).toEqual({ error: 'directory' });
    expect(readIncludeFromDisk(file('bin.mrd', Buffer.from([1, 0, 2])))).toEqual({ error: 'binary' });
    expect(readIncludeFromDisk(file('big.mrd', Buffer.alloc(16 * 1024 * 1024 + 1, 0x20)))).toEqual({ error: 'too-large', detail: '16777217 bytes' });
  });
  it.skipIf(process.platform === 'win32')('a device or a named pipe is refused without reading', () => {
    expect(readIncludeFromDisk('/dev/zero')).toEqual({ error: 'unreadable', detail: 'not a regular file' });
    const fifo = path.join(tmp, 'pipe');
    spawnSync('mkfifo', [fifo]);
    expect(readIncludeFromDisk(fifo)).toEqual({ error: 'unreadable', detail: 'not a regular file' });
  });
  it('file URIs become normalised paths; other schemes have none', () => {
    expect(pathOfUri('file:///w/a%20b/x.mrd')).toBe('/w/a b/x.mrd');
    expect(pathOfUri('untitled:Untitled-1')).toBeUndefined();
  });
});
