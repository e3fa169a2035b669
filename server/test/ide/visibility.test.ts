// The visibility checks as the editor and `mrd check` report them (ide/visibility.ts, MR3010):
// where each goes, how it names the region and what covers it, suppression, and included files.
import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { visibilityDiagnostics } from '../../src/ide/visibility.js';
import type { IncludeContext } from '../../src/model/include.js';

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
      ["BAR0 of nic is mapped but never visible: 'cover' covers all of it (in memory at 0xfeb0_0000..0xfeb0_0fff)", 'bar 0 mem32 size 4K at 0xfeb0_0000'],
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
