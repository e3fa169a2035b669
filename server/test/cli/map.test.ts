// `mrd map FILE --svg OUT`: the memory map as an SVG file or on stdout, with the same exit
// codes as the other commands (0 fine, 1 the input has errors, 2 usage or I/O) and no
// overwriting without --force.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

const tmp = mkdtempSync(path.join(tmpdir(), 'mrd-map-'));
const sample = (name: string) => path.resolve(__dirname, '../../../samples', name);

describe('mrd map', () => {
  it('--svg - writes the SVG to stdout', () => {
    const r = run('map', sample('q35-iommu.mrd'), '--svg', '-');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^]*<\/svg>\n$/);
    expect(r.out).toContain('Memory map of q35-iommu.mrd');
  });

  it('writes a file, and never over an existing one without --force', () => {
    const out = path.join(tmp, 'map.svg');
    expect(run('map', sample('q35-vfio-sizing.mrd'), '--svg', out, '--step', '6').code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('after step 6 of 8');
    writeFileSync(out, 'keep');
    const r = run('map', sample('q35-vfio-sizing.mrd'), '--svg', out);
    expect(r).toMatchObject({ code: 2, err: `mrd: ${out}: exists (use --force to overwrite)\n` });
    expect(readFileSync(out, 'utf8')).toBe('keep');
    expect(run('map', sample('q35-vfio-sizing.mrd'), '--svg', out, '--force', '--scale', 'log').code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('log scale');
  });

  it('--space keeps one column', () => {
    const r = run('map', sample('q35-iommu.mrd'), '--svg', '-', '--space', 'I/O');
    expect(r.code).toBe(0);
    expect(r.out).toContain('>I/O</text>');
    expect(r.out).not.toContain('>memory, cpu-memory-0</text>');
  });

  it('usage errors are exit 2 with one line', () => {
    const cases: [string[], RegExp][] = [
      [['map', sample('q35-iommu.mrd')], /needs --svg/],
      [['map', sample('q35-iommu.mrd'), '--svg', '-', '--scale', 'cubic'], /--scale must be/],
      [['map', sample('q35-iommu.mrd'), '--svg', '-', '--step', 'x'], /--step must be a step number/],
      [['map', sample('q35-iommu.mrd'), '--svg', '-', '--step', '1'], /needs a PCI sequence/],
      [['map', sample('q35-vfio-sizing.mrd'), '--svg', '-', '--step', '9'], /--step 9: sequence linux-2014-sizing has 8 steps/],
      [['map', sample('q35-iommu.mrd'), '--svg', '-', '--space', 'nope'], /no address space named 'nope'/],
      [['map', path.join(tmp, 'missing.mrd'), '--svg', '-'], /no such file/],
    ];
    for (const [argv, message] of cases) {
      const r = run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.out).toBe('');
    }
  });

  it('a file with errors still gets its map, with exit 1 and the errors on stderr', () => {
    const f = path.join(tmp, 'broken.mrd');
    writeFileSync(f, 'address-space memory root system\ncontainer system size 1M {\n  alias a -> nowhere\n  io x size 4K\n}\n');
    const out = path.join(tmp, 'broken.svg');
    const r = run('map', f, '--svg', out);
    expect(r.code).toBe(1);
    expect(r.err).toContain('MR2010');
    expect(existsSync(out)).toBe(true);
  });
});
