// The command-line contract: outputs, exit codes (0 fine, 1 input errors, 2 usage/I/O),
// one-line messages, no stack traces, no overwriting without --force.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';

function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = runCli(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

const tmp = mkdtempSync(path.join(tmpdir(), 'mrd-cli-'));
const oracle = path.resolve(__dirname, '../../../../shared/oracle/mtree');

describe('mrd command line: bad input', () => {
  it('a missing file is exit 2 with one line', () => {
    const r = run('flatten', path.join(tmp, 'nope.mrd'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^mrd: .*nope\.mrd: no such file\n$/);
  });
  it('a directory is exit 2', () => {
    const r = run('check', tmp);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is a directory\n$/);
  });
  it('a binary file is exit 2', () => {
    const f = path.join(tmp, 'bin.mrd');
    writeFileSync(f, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]));
    const r = run('tree', f);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/binary file/);
  });
  it('a file over the size limit is exit 2 and is not parsed', () => {
    const f = path.join(tmp, 'huge.mrd');
    writeFileSync(f, Buffer.alloc(17 * 1024 * 1024, 0x20));
    const r = run('check', f);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/file too large \(17825792 bytes/);
  });
  it('unknown commands and options are exit 2 with usage', () => {
    expect(run('frobnicate').code).toBe(2);
    const r = run('check', 'x.mrd', '--format', 'xml');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--format must be text, json or sarif/);
    expect(run().code).toBe(2);
    expect(run('--help').code).toBe(0);
  });
  it('a garbled dump is exit 1 with a clear message, never a stack trace', () => {
    const f = path.join(tmp, 'garbage.txt');
    writeFileSync(f, 'hello\nthis is not an mtree dump\n\u0001\u0002');
    const r = run('import-mtree', f);
    expect(r.code).toBe(1);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
  it('import-mtree -o never overwrites an existing file without --force', () => {
    const out = path.join(tmp, 'exists.mrd');
    writeFileSync(out, 'keep me\n');
    const dump = path.join(oracle, 'x86_64-pc.mtreeD.txt');
    const r = run('import-mtree', dump, '-o', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/exists \(use --force to overwrite\)/);
    expect(readFileSync(out, 'utf8')).toBe('keep me\n');
    const forced = run('import-mtree', dump, '-o', out, '--force');
    expect(forced.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/address-space memory root system/);
  });
});

describe('mrd check: the visibility checks', () => {
  it('reports a region mapped but never visible (MR3010), as information: exit 0', () => {
    const f = path.join(tmp, 'hidden.mrd');
    writeFileSync(f, 'address-space memory root sys\ncontainer sys size 2^64 {\n  ram first size 4K\n  io second size 4K\n}\n');
    const r = run('check', f);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${f}:3:7: information MR3010: ram 'first' is mapped but never visible: 'second' covers all of it (in memory at 0x0..0xfff)`);
    const j = run('check', f, '--format', 'json');
    expect(JSON.parse(j.out).map((d: { code: string }) => d.code)).toEqual(['MR3010']);
  });
});
