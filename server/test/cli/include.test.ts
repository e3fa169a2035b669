// `include` on the command line: included files are read from disk relative to the including
// file; a description split over files gives the outputs of the one-file version, and a
// missing, binary or cyclic include is an error at its line (exit 1), never exit 2 or a crash.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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

const tmp = mkdtempSync(path.join(tmpdir(), 'mrd-cli-include-'));
const file = (name: string, text: string | Buffer) => {
  const f = path.join(tmp, name);
  mkdirSync(path.dirname(f), { recursive: true });
  writeFileSync(f, text);
  return f;
};

const memory = `const RAM = 128M
container system size 2^64 {
  alias ram-below-4g -> pc.ram size RAM
  container pci size 2^64 priority -1
}
ram pc.ram size RAM
io io size 64K
`;
const rest = `address-space memory root system
address-space "I/O" root io
pci-host h mem pci io io {
  device 00:03.0 nic command 0x2 { bar 0 mem32 size 4K at 0xfe00_0000 }
}
sequence probe on 00:03.0 {
  bar 0 at 0xfe01_0000
  write 0x04 2 0
}
`;
const whole = file('whole.mrd', memory + rest);
file('parts/memory.mrd', memory);
const split = file('split.mrd', 'include "parts/memory.mrd"\n' + rest);

describe('mrd with includes', () => {
  it.each([
    ['flatten'], ['tree'], ['tree', '--disabled'], ['simulate'], ['simulate', '--events'], ['check'], ['check', '--format', 'json'],
  ].map((a) => [a.join(' '), a] as const))('%s: the split description gives the one-file output', (_name, args) => {
    const a = run(args[0], whole, ...args.slice(1));
    const b = run(args[0], split, ...args.slice(1));
    expect(a.code).toBe(0);
    expect(b).toEqual({ ...a, out: a.out.replaceAll(whole, split) });
    if (args[0] === 'flatten') expect(b.out).toContain('pc.ram');
  });

  it('map: the split description draws the same SVG', () => {
    const a = run('map', whole, '--svg', '-');
    const b = run('map', split, '--svg', '-');
    expect(a.code).toBe(0);
    expect(b.out).toBe(a.out.replaceAll('whole.mrd', 'split.mrd'));
  });

  it('a missing include is an error at its line: exit 1, the rest still analysed', () => {
    const f = file('missing.mrd', 'ram lonely size 4K\naddress-space m root lonely\ninclude "nope.mrd"\n');
    const r = run('check', f);
    expect(r.code).toBe(1);
    expect(r.out).toBe(`${f}:3:9: error MR2020: cannot include 'nope.mrd': no such file (nope.mrd)\n`);
    const t = run('tree', f);
    expect(t.code).toBe(1);
    expect(t.out).toContain('lonely');
    expect(t.err).toContain('MR2020');
  });

  it('a binary, a directory and a cycle are errors at their includes', () => {
    file('bin.mrd', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]));
    mkdirSync(path.join(tmp, 'dir.mrd'), { recursive: true });
    file('cyc-b.mrd', 'include "cyc-a.mrd"\n');
    const f = file('cyc-a.mrd', 'include "bin.mrd"\ninclude "dir.mrd"\ninclude "cyc-b.mrd"\n');
    const r = run('check', f);
    expect(r.code).toBe(1);
    expect(r.out).toBe([
      `${f}:1:9: error MR2022: cannot include 'bin.mrd': binary file (contains NUL bytes), not a description`,
      `${f}:2:9: error MR2020: cannot include 'dir.mrd': dir.mrd is a directory`,
      `${f}:3:9: error MR2026: included file cyc-b.mrd has 1 error; first: line 1: MR2021: include cycle: cyc-a.mrd → cyc-b.mrd → cyc-a.mrd`,
      '',
    ].join('\n'));
  });

  it.skipIf(process.platform === 'win32')('a device or a named pipe is refused, never read until it ends', () => {
    const fifo = path.join(tmp, 'pipe.mrd');
    spawnSync('mkfifo', [fifo]);
    const f = file('devices.mrd', 'include "/dev/zero"\ninclude "pipe.mrd"\n');
    const r = run('check', f);
    expect(r.code).toBe(1);
    expect(r.out).toBe([
      `${f}:1:9: error MR2020: cannot include '/dev/zero': /dev/zero cannot be read (not a regular file)`,
      `${f}:2:9: error MR2020: cannot include 'pipe.mrd': pipe.mrd cannot be read (not a regular file)`,
      '',
    ].join('\n'));
  });

  it('a file over 16 MiB is not read', () => {
    file('huge.mrd', Buffer.alloc(17 * 1024 * 1024, 0x20));
    const f = file('includes-huge.mrd', 'include "huge.mrd"\n');
    const r = run('check', f);
    expect(r.code).toBe(1);
    expect(r.out).toContain("MR2023: cannot include 'huge.mrd': too large (17825792 bytes; the limit is 16.0 MiB)");
  });

  it('errors inside an included file: summed up at the include; json and sarif place the related locations in that file', () => {
    const b = file('bad.mrd', 'ram ok size 4K\nalias a -> nowhere\n');
    const f = file('uses-bad.mrd', '# the board\ninclude "bad.mrd"\n');
    const r = run('check', f, '--format', 'json');
    expect(r.code).toBe(1);
    const [d] = JSON.parse(r.out);
    expect(d.code).toBe('MR2026');
    expect(d.range.start).toEqual({ line: 1, character: 8 });
    expect(d.related).toEqual([
      { file: b, range: { start: { line: 1, character: 11 }, end: { line: 1, character: 18 } }, message: expect.stringMatching(/^MR\d{4}: .*nowhere/) },
    ]);
    const s = JSON.parse(run('check', f, '--format', 'sarif').out);
    const rel = s.runs[0].results[0].relatedLocations[0].physicalLocation;
    expect(rel.artifactLocation.uri).toBe(b);
    expect(rel.region).toEqual({ startLine: 2, startColumn: 12, endLine: 2, endColumn: 19 });
  });
});
