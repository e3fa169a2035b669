// Data safety of the built `mrd` binary: every command, run in an empty working directory,
// writes nothing but stdout and stderr unless given an output path; `import-mtree`,
// `import-trace` and `map` never replace an existing file (or directory) without --force;
// the inputs are never touched.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, isStale, root } from '../../../scripts/build.mjs';

const oracle = path.resolve(root, '../shared/oracle');
const traceDir = path.join(oracle, 'bar-traces/a-x86_64-q35-seabios');
const dump = path.join(oracle, 'mtree/x86_64-q35.mtreeD.txt');
const samples = path.join(root, 'samples');

beforeAll(async () => {
  if (isStale('server/out/cli.js', ['server/src'])) await build();
}, 60_000);

function mrd(cwd: string, ...argv: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'server/bin/mrd.js'), ...argv], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Every file below `dir` with its content hash and mtime. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(p, `${createHash('sha1').update(readFileSync(p)).digest('hex')} ${statSync(p).mtimeMs}`);
    }
  };
  walk(dir);
  return out;
}

describe('mrd writes only to stdout and stderr unless told a path', () => {
  it('no command creates or changes a file in the working directory or the inputs', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mrd-safety-'));
    const inputs = [samples, traceDir, path.dirname(dump)];
    const before = inputs.map(snapshot);
    const sample = path.join(samples, 'q35-vfio-sizing.mrd');
    const runs = [
      ['--help'], ['--version'], [], ['frobnicate'],
      ['tree', sample], ['tree', sample, '-D'], ['flatten', sample],
      ['check', sample], ['check', sample, '--format', 'json'], ['check', sample, '--format', 'sarif'],
      ['simulate', sample], ['simulate', sample, '--events'],
      ['import-mtree', dump], ['import-mtree', dump, '--cmdline', dump.replace('.mtreeD.txt', '.cmd')],
      ['import-trace', path.join(traceDir, 'trace.log'), '--pci', path.join(traceDir, 'info-pci.txt')],
      ['map', sample, '--svg', '-'],
      ['check', path.join(cwd, 'missing.mrd')], ['import-trace', path.join(traceDir, 'trace.log')],
    ];
    for (const argv of runs) {
      const r = mrd(cwd, ...argv);
      expect(r.code, argv.join(' ')).not.toBeNull();
      expect(r.err, argv.join(' ')).not.toMatch(/\n\s+at /); // no stack traces
    }
    expect(readdirSync(cwd)).toEqual([]);
    expect(inputs.map(snapshot)).toEqual(before);
  }, 120_000);
});

describe('importers and map never overwrite without --force', () => {
  const cases: [string, (out: string) => string[]][] = [
    ['import-mtree', (out) => ['import-mtree', dump, '-o', out]],
    ['import-trace', (out) => ['import-trace', path.join(traceDir, 'trace.log'), '--pci', path.join(traceDir, 'info-pci.txt'), '-o', out]],
    ['import-trace --output=', (out) => ['import-trace', path.join(traceDir, 'trace.log'), '--pci', path.join(traceDir, 'info-pci.txt'), `--output=${out}`]],
    ['map --svg', (out) => ['map', path.join(samples, 'q35-vfio-sizing.mrd'), '--svg', out]],
  ];
  it.each(cases)('%s: new path written; existing file kept; --force replaces; a directory is never replaced', (_name, argv) => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mrd-force-'));
    const out = path.join(cwd, 'out.txt');
    const first = mrd(cwd, ...argv(out));
    expect(first.code, first.err).toBe(0);
    const written = readFileSync(out, 'utf8');
    expect(written.length).toBeGreaterThan(0);
    expect(first.out).toBe(''); // the text went to the file, not to stdout

    writeFileSync(out, 'keep me\n');
    const again = mrd(cwd, ...argv(out));
    expect(again.code).toBe(2);
    expect(again.err).toBe(`mrd: ${out}: exists (use --force to overwrite)\n`);
    expect(readFileSync(out, 'utf8')).toBe('keep me\n');

    const forced = mrd(cwd, ...argv(out), '--force');
    expect(forced.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(written);

    const dir = path.join(cwd, 'adir');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'inside'), 'x');
    expect(mrd(cwd, ...argv(dir)).code).toBe(2);
    const forcedDir = mrd(cwd, ...argv(dir), '--force');
    expect(forcedDir.code).toBe(2);
    expect(forcedDir.err).toMatch(/cannot write/);
    expect(readdirSync(dir)).toEqual(['inside']);
    expect(readdirSync(cwd).sort()).toEqual(['adir', 'out.txt']);
  }, 120_000);

  it.each(cases)('%s: an existing link whose target is missing is not written through', (_name, argv) => {
    // A check for the path followed by a write would see "no file" and create the link's
    // target somewhere else; the output is created exclusively instead.
    const cwd = mkdtempSync(path.join(tmpdir(), 'mrd-force-'));
    const target = path.join(cwd, 'elsewhere.txt');
    const out = path.join(cwd, 'out.txt');
    symlinkSync(target, out);
    const r = mrd(cwd, ...argv(out));
    expect(r.code).toBe(2);
    expect(r.err).toBe(`mrd: ${out}: exists (use --force to overwrite)\n`);
    expect(existsSync(target)).toBe(false);
  }, 120_000);

  it('an output path in a missing directory is an error, not a created directory', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'mrd-force-'));
    const r = mrd(cwd, 'import-mtree', dump, '-o', path.join(cwd, 'no/such/dir/out.mrd'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot write \(ENOENT\)/);
    expect(readdirSync(cwd)).toEqual([]);
  }, 60_000);
});
