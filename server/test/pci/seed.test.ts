// The seed sample, pinned: samples/q35-vfio-sizing.mrd sizes a 64-bit BAR with memory decode on
// (Linux, early 2014), and `mrd check --format json` must report exactly what the rules say —
// written out here by hand, not recorded:
//   step 2 (low dword all ones): BAR0 moves to 0xffff_c000 until step 4 restores it → MR6001;
//   step 6 "size-hi" (high dword all ones): BAR0 at 0xffff_ffff_febe_0000, whose last byte is
//     at or above 2^48 → MR4001 for the 48-bit IOMMU that translates 01:10.0, and MR6001 until
//     step 8 writes the high dword back.
// No CPU is declared, so no MR4002; at the end BAR0 is back inside both windows, so no MR5003.
// The fixed variant clears memory decode around the sizing and must be clean.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { flatViewText } from '../../src/ide/views.js';

const seed = resolve(__dirname, '../../../samples/q35-vfio-sizing.mrd');
const fixed = resolve(__dirname, '../../../samples/q35-vfio-sizing-fixed.mrd');

function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = runCli(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

// 0-based lines of the sample, as the JSON format gives them.
const STEP2 = 58; // write 0x10 4 0xffff_ffff
const STEP4 = 60; // write 0x10 4 0xfebe_0004
const STEP6 = 63; // write 0x14 4 0xffff_ffff   (label size-hi)
const STEP8 = 65; // write 0x14 4 0
const IOMMU = 53; // iommu vtd aw-bits 48 model vtd { devices 01:10.0 }

describe('seed sample q35-vfio-sizing.mrd', () => {
  it('the pinned lines are the steps they stand for', () => {
    const lines = readFileSync(seed, 'utf8').split('\n');
    expect(lines[STEP2].trim()).toMatch(/^write 0x10 4 0xffff_ffff\b/);
    expect(lines[STEP4].trim()).toMatch(/^write 0x10 4 0xfebe_0004\b/);
    expect(lines[STEP6 - 1].trim()).toBe('label size-hi');
    expect(lines[STEP6].trim()).toMatch(/^write 0x14 4 0xffff_ffff\b/);
    expect(lines[STEP8].trim()).toMatch(/^write 0x14 4 0\b/);
    expect(lines[IOMMU]).toBe('iommu vtd aw-bits 48 model vtd { devices 01:10.0 }');
  });

  it('mrd check --format json reports the transient mappings and the IOMMU width, nothing else', () => {
    const r = run('check', seed, '--format', 'json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0); // warnings only
    expect(JSON.parse(r.out)).toEqual([
      {
        file: seed,
        range: range(STEP2, 2, 26),
        severity: 'warning',
        code: 'MR6001',
        message: 'sizing BAR0 of 01:10.0 with memory decode on maps it at 0x0000_0000_ffff_c000..0x0000_0000_ffff_ffff from step 2 until step 4',
        related: [{ range: range(STEP4, 2, 26), message: 'the mapping ends here' }],
      },
      {
        file: seed,
        range: range(STEP6, 2, 26),
        severity: 'warning',
        code: 'MR4001',
        message: 'BAR0 of 01:10.0 at 0xffff_ffff_febe_0000..0xffff_ffff_febe_3fff exceeds the 48-bit IOMMU ' +
          '(max 0x0000_ffff_ffff_ffff) after step 6 "size-hi" (high dword written 0xffffffff while memory decode is on)',
        related: [{ range: range(IOMMU, 0, 50), message: 'the 48-bit IOMMU vtd' }],
      },
      {
        file: seed,
        range: range(STEP6, 2, 26),
        severity: 'warning',
        code: 'MR6001',
        message: 'sizing BAR0 of 01:10.0 with memory decode on maps it at 0xffff_ffff_febe_0000..0xffff_ffff_febe_3fff from step 6 "size-hi" until step 8',
        related: [{ range: range(STEP8, 2, 16), message: 'the mapping ends here' }],
      },
    ]);
  });

  it('the MR6001 quick fix clears memory decode around the sizing', () => {
    const text = readFileSync(seed, 'utf8');
    const d = analyzeDocument(text).diagnostics.find((x) => x.code === 'MR6001' && x.message.includes('step 6'))!;
    expect(d.fix?.edits.map((e) => e.text)).toEqual(['write 0x04 2 0x0004\n  ', '\n  write 0x04 2 0x0006']);
  });

  it('the flat view shows the end of the sequence: BAR0 back at 0xfebe_0000', () => {
    const a = analyzeDocument(readFileSync(seed, 'utf8'));
    expect(flatViewText(a, 'memory')).toContain('00000000febe0000-00000000febe3fff (prio 0, ramd): 0000:01:10.0 BAR 0 mmaps[0]');
  });

  it('mrd simulate --events gives the map events of the sequence', () => {
    const r = run('simulate', seed, '--events');
    expect(r.code).toBe(0);
    const ev = (step: number, kind: string, addr: string) => JSON.stringify({ step, kind, dev: '01:10.0', bar: 0, addr, size: '0x4000' });
    expect(r.out.trimEnd().split('\n')).toEqual([
      ev(0, 'map-add', '0xfebe0000'),
      ev(2, 'map-del', '0xfebe0000'), ev(2, 'map-add', '0xffffc000'),
      ev(4, 'map-del', '0xffffc000'), ev(4, 'map-add', '0xfebe0000'),
      ev(6, 'map-del', '0xfebe0000'), ev(6, 'map-add', '0xfffffffffebe0000'),
      ev(8, 'map-del', '0xfffffffffebe0000'), ev(8, 'map-add', '0xfebe0000'),
    ]);
  });
});

describe('fixed variant q35-vfio-sizing-fixed.mrd', () => {
  it('checks clean', () => {
    const r = run('check', fixed, '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([]);
  });

  it('never maps BAR0 anywhere but 0xfebe_0000', () => {
    const r = run('simulate', fixed, '--events');
    const adds = r.out.trimEnd().split('\n').map((l) => JSON.parse(l)).filter((e) => e.kind === 'map-add');
    expect(adds.map((e) => e.addr)).toEqual(['0xfebe0000', '0xfebe0000']);
  });
});
