// The visibility checks as the editor and `mrd check` report them (ide/visibility.ts, MR3010):
// where each goes, how it names the region and what covers it, suppression, and included files.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { visibilityDiagnostics } from '../../src/ide/visibility.js';
import type { IncludeContext } from '../../src/model/include.js';
import { importTraceText } from '../../src/cli/pciOut.js';

const TRACES = resolve(__dirname, '../../../../shared/oracle/bar-traces');
const traceFolders = existsSync(TRACES) ? readdirSync(TRACES).filter((f) => existsSync(join(TRACES, f, 'trace.log'))).sort() : [];

const at = (text: string, s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });

describe('MR3010 in a document', () => {
  it('at the name of the outermost hidden region, naming what is visible there instead', () => {
    const text = 'address-space memory root sys\ncontainer sys size 2^64 {\n  ram first size 4K at 0x1000\n  io second size 4K at 0x1000\n}\n';
    const [d, ...rest] = visibilityDiagnostics(analyzeDocument(text));
    expect(rest).toEqual([]);
    expect(d).toEqual({
      code: 'MR3010',
      severity: 'information',
      message: "ram 'first' is mapped but never visible: 'second' covers all of it (in memory at 0x1000..0x1fff)",
      span: at(text, 'first'),
      related: [{ span: at(text, 'second'), message: "visible there instead: io 'second'" }],
    });
  });

  it('names a hidden BAR after its device, at its bar statement', () => {
    // BAR0 at 0xfeb0_0000 is in `pci`, priority -1 under `system`, where `cover` (priority 0) lies
    // over all of it; BAR1 next to it is visible, so `pci` is not hidden as a whole.
    const text = `address-space memory root system
container system size 2^64 {
  container pci size 2^64 priority -1 {
  }
  io cover size 4K at 0xfeb0_0000
}
io io size 64K
pci-host host mem pci io io {
  device 00:03.0 nic command 0x0006 {
    bar 0 mem32 size 4K at 0xfeb0_0000
    bar 1 mem32 size 4K at 0xfeb0_1000
  }
}
`;
    const ds = visibilityDiagnostics(analyzeDocument(text));
    expect(ds.map((d) => [d.message, text.slice(d.span.start, d.span.end)])).toEqual([
      ["BAR0 of 00:03.0 is mapped but never visible: 'cover' covers all of it (in memory at 0xfeb0_0000..0xfeb0_0fff)", 'bar 0 mem32 size 4K at 0xfeb0_0000'],
    ]);
  });

  it('follows `# mrd-ignore`, and nothing is reported for regions of an included file', () => {
    const text = 'address-space memory root sys\ncontainer sys size 2^64 {\n  ram first size 4K # mrd-ignore MR3010\n  io second size 4K\n}\n';
    expect(visibilityDiagnostics(analyzeDocument(text))).toEqual([]);
    const main = 'include "b.mrd"\naddress-space memory root sys\n';
    const ctx: IncludeContext = { path: '/w/a.mrd', read: () => ({ text: 'container sys size 2^64 {\n  ram first size 4K\n  io second size 4K\n}\n' }) };
    const a = analyzeDocument(main, undefined, undefined, ctx);
    expect(a.machine.regions.map((r) => r.name)).toEqual(['sys', 'first', 'second']);
    expect(visibilityDiagnostics(a)).toEqual([]);
  });
});

describe('MR3011: BARs over each other or over memory', () => {
  // Both devices decode memory (command 0x0006) from their declared addresses. Device a's 8K BAR0
  // covers 0xfeb0_0000..0xfeb0_1fff, b's BAR0 0xfeb0_1000..0xfeb0_1fff: both are priority-1
  // subregions of `pci` (R-PCI-5), b's added after a's, so b's is listed first and wins
  // (R-ORD-2). b's BAR1 at 1 MiB is under `ram-below-4g`: priority 0 in `system`, above `pci` at -1.
  const machine = (bars: string, tail = '') => `address-space memory root system
container system size 2^64 {
  alias ram-below-4g -> pc.ram size 128M
  container pci size 2^64 priority -1 {
  }
}
ram pc.ram size 128M
io io size 64K
pci-host host mem pci io io {
${bars}}
${tail}`;
  const devices = `  device 00:03.0 a command 0x0006 {
    bar 0 mem32 size 8K at 0xfeb0_0000
  }
  device 00:04.0 b command 0x0006 {
    bar 0 mem32 size 4K at 0xfeb0_1000
    bar 1 mem32 size 4K at 0x0010_0000
  }
`;
  const report = (text: string) => visibilityDiagnostics(analyzeDocument(text)).map((d) => [d.code, text.slice(d.span.start, d.span.end), d.message]);

  it('says which one is visible and why, at the BAR hidden there', () => {
    const text = machine(devices);
    expect(report(text)).toEqual([
      ['MR3011', 'bar 0 mem32 size 8K at 0xfeb0_0000', "BAR0 of 00:03.0 overlaps BAR0 of 00:04.0 at 0xfeb0_1000..0xfeb0_1fff in memory: BAR0 of 00:04.0 is visible there: 'b-bar0' and 'a-bar0' share priority 1 in 'pci', and 'b-bar0' was added later (R-ORD-2)"],
      // Wholly under RAM, yet no MR3010 as well: this names it as the one hidden.
      ['MR3011', 'bar 1 mem32 size 4K at 0x0010_0000', "BAR1 of 00:04.0 overlaps alias 'ram-below-4g' at 0x10_0000..0x10_0fff in memory: alias 'ram-below-4g' is visible there: 'ram-below-4g' has priority 0 in 'system', above 'pci' at -1"],
    ]);
    const [first] = visibilityDiagnostics(analyzeDocument(text));
    expect(first.related?.map((r) => [text.slice(r.span.start, r.span.end), r.message])).toEqual([['bar 0 mem32 size 4K at 0xfeb0_1000', 'BAR0 of 00:04.0 is declared here']]);
  });

  it('follows the sequence: the BAR programmed last wins (R-PCI-5)', () => {
    // a's BAR0 is moved away and back: removed and added again, so now it is the newest.
    const text = machine(devices, `sequence move on 00:03.0 {
  write 0x10 4 0xfec0_0000
  write 0x10 4 0xfeb0_0000
}
`);
    expect(report(text)[0]).toEqual(['MR3011', 'bar 0 mem32 size 4K at 0xfeb0_1000',
      "BAR0 of 00:04.0 overlaps BAR0 of 00:03.0 at 0xfeb0_1000..0xfeb0_1fff in memory: BAR0 of 00:03.0 is visible there: 'a-bar0' and 'b-bar0' share priority 1 in 'pci', and 'a-bar0' was added later (R-ORD-2)"]);
  });

  it('reports nothing once the BARs are apart and clear of memory', () => {
    expect(report(machine(devices.replace('0xfeb0_1000', '0xfeb0_4000').replace('0x0010_0000', '0xfeb1_0000')))).toEqual([]);
  });
});

describe.skipIf(!traceFolders.length)('real firmware and kernels (the BAR traces)', () => {
  it.each(traceFolders)('%s: the state it ends in has no BAR over another or over memory', (f) => {
    const r = importTraceText(readFileSync(join(TRACES, f, 'trace.log'), 'utf8'), readFileSync(join(TRACES, f, 'info-pci.txt'), 'utf8'), 'trace.log');
    const a = analyzeDocument(r.text);
    expect(a.pci?.model.topology.devices.length).toBeGreaterThan(0);
    expect(visibilityDiagnostics(a)).toEqual([]);
  });
});
