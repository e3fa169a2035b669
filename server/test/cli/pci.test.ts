// `mrd simulate` and `mrd import-trace`: outputs and exit codes (0 fine, 1 input errors, 2 usage
// or I/O), one-line messages, no overwriting without --force.
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

const tmp = mkdtempSync(path.join(tmpdir(), 'mrd-cli-pci-'));
const file = (name: string, text: string) => {
  const f = path.join(tmp, name);
  writeFileSync(f, text);
  return f;
};

const two = file('two.mrd', `container pci size 2^64
io io size 64K
pci-host h mem pci io io {
  device 00:03.0 nic command 0x2 { bar 0 mem32 size 4K at 0xfe00_0000 }
}
sequence first on 00:03.0 { write 0x04 2 0 }
sequence second on 00:03.0 {
  bar 0 at 0xfe01_0000
  label off
  write 0x04 2 0
}
`);

describe('mrd simulate', () => {
  it('--events: one JSON object per map event, keys in order, of the last sequence', () => {
    const r = run('simulate', two, '--events');
    expect(r.code).toBe(0);
    expect(r.out).toBe([
      '{"step":0,"kind":"map-add","dev":"00:03.0","bar":0,"addr":"0xfe000000","size":"0x1000"}',
      '{"step":1,"kind":"map-del","dev":"00:03.0","bar":0,"addr":"0xfe000000","size":"0x1000"}',
      '{"step":1,"kind":"map-add","dev":"00:03.0","bar":0,"addr":"0xfe010000","size":"0x1000"}',
      '{"step":2,"kind":"map-del","dev":"00:03.0","bar":0,"addr":"0xfe010000","size":"0x1000"}',
      '',
    ].join('\n'));
  });

  it('--sequence picks another one', () => {
    const r = run('simulate', two, '--events', '--sequence', 'first');
    expect(r.out.trim().split('\n')).toHaveLength(2);
  });

  it('without --events: a per-step summary with labels and the end state', () => {
    const r = run('simulate', two);
    expect(r.code).toBe(0);
    expect(r.out).toContain('sequence second (start programmed, 2 steps, 4 map events)');
    expect(r.out).toContain('  step 2 "off": write 0x4 2 0x0 to 00:03.0\n      map-del 00:03.0 BAR0 0xfe010000+0x1000');
    expect(r.out).toMatch(/mapped at the end:\n {6}nothing\n$/);
  });

  it('an unknown sequence is a usage error (2)', () => {
    const r = run('simulate', two, '--sequence', 'nope');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no sequence named 'nope'\n$/);
  });

  it('a file without PCI statements is exit 1', () => {
    const r = run('simulate', file('plain.mrd', 'ram r size 4K\n'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no PCI statements/);
  });

  it('errors in the file: output still given, exit 1', () => {
    const r = run('simulate', file('bad.mrd', 'pci-host h { device 00:03.0 d { bar 0 mem32 size 3K } }\n'), '--events');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error MR2031: invalid BAR of d \(00:03\.0\): BAR size 0xc00 is not a power of two/);
  });
});

describe('mrd import-trace', () => {
  const trace = file('trace.log', [
    'pci_cfg_write e1000 00:03.0 @0x10 <- 0xfebc0000',
    'pci_cfg_write e1000 00:03.0 @0x4 <- 0x2',
    'pci_update_mappings_add e1000 00:03.0 0,0xfebc0000+0x20000',
    'pci_cfg_read e1000 00:03.0 @0x10 -> 0xfebc0000',
  ].join('\n') + '\n');
  const info = file('info-pci.txt', [
    '  Bus  0, device   3, function 0:',
    '    Ethernet controller: PCI device 8086:100e',
    '      BAR0: 32 bit memory at 0xfebc0000 [0xfebdffff].',
    '      id "net0"',
  ].join('\n') + '\n');

  it('writes the description to stdout; it simulates to the recorded events', () => {
    const r = run('import-trace', trace, '--pci', info);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain('device 00:03.0 net0 model e1000 vendor-id 0x8086 device-id 0x100e class 0x200 {');
    expect(r.out).toContain('sequence trace start reset {\n  on 00:03.0 {\n    write 0x10 4 0xfebc0000\n    write 0x4 2 0x2\n    read 0x10 4 expect 0xfebc0000\n  }\n}');
    const out = path.join(tmp, 'imported.mrd');
    expect(run('import-trace', trace, '--pci', info, '-o', out).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(r.out);
    expect(run('simulate', out, '--events').out).toBe('{"step":2,"kind":"map-add","dev":"00:03.0","bar":0,"addr":"0xfebc0000","size":"0x20000"}\n');
  });

  it('does not overwrite without --force', () => {
    const out = file('exists.mrd', 'x');
    expect(run('import-trace', trace, '--pci', info, '-o', out).code).toBe(2);
    expect(run('import-trace', trace, '--pci', info, '-o', out, '--force').code).toBe(0);
  });

  it('needs --pci (2), readable files (2), and devices in info pci (1)', () => {
    expect(run('import-trace', trace).code).toBe(2);
    expect(run('import-trace', path.join(tmp, 'none.log'), '--pci', info).code).toBe(2);
    const r = run('import-trace', trace, '--pci', file('empty.txt', 'nothing here\n'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no devices found/);
  });
});
