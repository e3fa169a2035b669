import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { hover } from '../../src/ide/hover.js';
import { checkHover, fixture } from './support.js';

const pc = (cursorAt: string): string => `
const RAM = 128M
address-space memory root system
container system size 2^64 {
  alias ram-below-4g -> pc.ram offset 0 size RAM
  container pci size 2^64 priority -1 {
    rom pc.bios size 256K at 0xfffc_0000
  }
  io apic-msi size 1M at 0xfee0_0000 priority 4096
}
ram pc.ram size RAM
`.replace(cursorAt.replace('|', ''), cursorAt.replace('|', '<|>'));

describe('hover', () => {
  it('shows a region\'s absolute window, size and position in its container', () => {
    checkHover(pc('rom pc.b|ios'), ['**rom** `pc.bios`', '256 KiB', 'in `pci` at 0xfffc_0000', '**`memory`**: 0xfffc_0000..0xffff_ffff', 'fully visible']);
  });

  it('resolves an alias chain: alias → target + offset → container base → absolute', () => {
    const md = checkHover(pc('ram pc.r|am'), ['`system` @ 0x0 › `ram-below-4g` at +0x0 → `pc.ram` + 0x0', '0x0..0x7ff_ffff']);
    expect(md).toContain('byte 0 of `pc.ram` is at absolute 0x0');
  });

  it('is the same on a reference as on the declaration', () => {
    const { a: a1, offset: o1 } = fixture(pc('-> pc.r|am'));
    const { a: a2, offset: o2 } = fixture(pc('ram pc.r|am'));
    expect(hover(a1, o1)!.markdown).toBe(hover(a2, o2)!.markdown);
  });

  it('lists the parts of a container hidden by higher-priority siblings', () => {
    checkHover(pc('container p|ci'), [
      'priority -1', 'visible: 0xfffc_0000..0xffff_ffff',
      'hidden: 0x0..0x7ff_ffff by `pc.ram` (priority 0)',
      'hidden: 0xfee0_0000..0xfeef_ffff by `apic-msi` (priority 4096)',
    ]);
  });

  it('shows every placement of a region reached through several aliases, with offsets', () => {
    checkHover(`
address-space memory root sys
container sys size 4G {
  alias lo -> flash offset 0x1_0000 size 64K at 0xe_0000
  alias hi -> flash at 0xfff0_0000
}
rom fla<|>sh size 1M
`, ['**`memory`**: 0xe_0000..0xe_ffff', '→ `flash` + 0x1_0000', 'byte 0 of `flash` is at absolute 0xd_0000',
      '**`memory`**: 0xfff0_0000..0xffff_ffff']);
  });

  it('says when a hidden region is not visible at all', () => {
    checkHover(`
address-space memory root sys
container sys size 64K {
  ram low size 4K
  io co<|>vered size 4K priority -5
}
`, ['**not visible**', 'hidden: 0x0..0xfff by `low` (priority 0)']);
  });

  it('reports unmapped and disabled regions', () => {
    checkHover(`
address-space memory root sys
container sys size 64K {
  ram of<|>f size 4K disabled
}
`, ['**disabled**', 'Not mapped in any address space']);
    checkHover('ram lon<|>ely size 4K\n', ['top level (no container)', 'Not mapped']);
  });

  it('shows a constant\'s value and an address space\'s flat view', () => {
    checkHover(pc('const R|AM'), ['= 134217728 (0x800_0000) = 128 MiB']);
    checkHover(pc('address-space mem|ory'), ['**address space** `memory` — root `system`', '3 flat ranges']);
  });

  it('has nothing to say on keywords and comments (numbers: below)', () => {
    for (const at of ['con|tainer system', 'pri|ority 4096', 'a|ddress-space', '2^64 |{']) {
      const { a, offset } = fixture(pc(at));
      expect(hover(a, offset)).toBeNull();
    }
    const { a, offset } = fixture('# a co<|>mment 0x1000\nram r size 4K\n');
    expect(hover(a, offset)).toBeNull();
  });

  it('survives a broken document', () => {
    const a = analyzeDocument('container x size {\n  alias a -> \n  ram y size 4K at\n');
    for (let i = 0; i <= a.text.length; i++) hover(a, i);
  });
});

describe('hover on numbers and operators', () => {
  const src = (body: string) => `const RAM = 128M\naddress-space memory root top\ncontainer top size 2^64 {\n${body}\n}\nram pc.ram size RAM\n`;
  const at = (body: string) => {
    const { a, offset } = fixture(src(body));
    return hover(a, offset);
  };

  it('shows a literal and the whole expression, in hex, decimal and units', () => {
    const h = at('  alias hi -> pc.ram offset RAM - 6<|>4M size 64M at 4G');
    expect(h?.markdown).toBe(
      '`64M` = 0x400_0000 = 67,108,864 = 64 MiB\n\noffset `RAM - 64M` = 0x400_0000 = 67,108,864 = 64 MiB');
    const text = src('  alias hi -> pc.ram offset RAM - 64M size 64M at 4G');
    expect(h?.span.start).toBe(text.indexOf('64M'));
    // On the operator: the expression it joins.
    expect(at('  alias hi -> pc.ram offset RAM <|>- 64M size 64M at 4G')?.markdown)
      .toBe('offset `RAM - 64M` = 0x400_0000 = 67,108,864 = 64 MiB');
  });

  it('gives an address no size unless it is a whole number of units, and a priority none', () => {
    expect(at('  rom bios size 256K at 0xfff<|>c_0000')?.markdown).toBe('at `0xfffc_0000` = 0xfffc_0000 = 4,294,705,152');
    expect(at('  ram r size 4K at 4<|>G')?.markdown).toBe('at `4G` = 0x1_0000_0000 = 4,294,967,296 = 4 GiB');
    expect(at('  io apic size 1M priority 40<|>96')?.markdown).toBe('priority `4096` = 4096');
    expect(at('  io apic size 1M priority <|>-1')?.markdown).toBe('priority `-1` = -1');
    expect(at('  ram r size 4K at 1<|>00')?.markdown).toBe('at `100` = 100');
  });

  it('is exact past 2^64 and in constants', () => {
    const { a, offset } = fixture(`const BIG = 2^6<|>4 + 1\n`);
    expect(hover(a, offset)?.markdown).toBe(
      '`64` = 64\n\nconst BIG `2^64 + 1` = 0x1_0000_0000_0000_0001 = 18,446,744,073,709,551,617');
    expect(at('  container c size 2<|>^64 {\n  }')?.markdown)
      .toBe('size `2^64` = 0x1_0000_0000_0000_0000 = 18,446,744,073,709,551,616 = 16 EiB (2^64 bytes)');
  });

  it('counts constants as the build saw them there, and leaves names to their own hover', () => {
    // LATE is defined after its use: unknown there (MR2003), so the sum has no value.
    const { a, offset } = fixture('ram r size LATE + 4<|>K\nconst LATE = 4K\n');
    expect(a.diagnostics.map((d) => d.code)).toContain('MR2003');
    expect(hover(a, offset)?.markdown).toBe('`4K` = 4096 = 4 KiB');
    const own = fixture('const S = S + <|>1\n');
    expect(own.a.diagnostics.length).toBeGreaterThan(0);
    expect(hover(own.a, own.offset)?.markdown).toBe('`1` = 1');
    const before = fixture('const D = 4K\nconst E = D * <|>2\n');
    expect(hover(before.a, before.offset)?.markdown).toBe('`2` = 2\n\nconst E `D * 2` = 8192 = 8 KiB');
    expect(at('  alias lo -> pc.ram offset 0 size R<|>AM')?.markdown).toContain('**const** `RAM`');
    expect(at('  ram r si<|>ze 4K')).toBeNull();
  });

  it('reads numbers inside PCI statements too, parsing that statement alone', () => {
    const seed = readFileSync(path.join(__dirname, '../../../samples/q35-vfio-sizing.mrd'), 'utf8');
    const a = analyzeDocument(seed);
    const bar = seed.indexOf('mem64 size 16K') + 'mem64 size 1'.length;
    expect(hover(a, bar)?.markdown).toBe('size `16K` = 16384 = 16 KiB');
    expect(hover(a, seed.indexOf('aw-bits 48') + 9)?.markdown).toBe('aw-bits `48` = 48');
    expect(hover(a, seed.indexOf('device-id 0xa808') + 12)?.markdown).toBe('device-id `0xa808` = 0xa808 = 43,016');
    // A host statement longer than 64 KB is not parsed for a hover.
    const devices = Array.from({ length: 1200 }, (_, i) =>
      `    device 00:${(i % 32).toString(16).padStart(2, '0')}.${i % 8} d${i} { bar 0 mem32 size 4K at ${0x8000_0000 + i * 0x1000} }`);
    const big = `container pci size 2^64 {\n}\ncontainer io size 64K {\n}\npci-host h mem pci io io {\n${devices.join('\n')}\n}\n`;
    const b = analyzeDocument(big);
    expect(big.length).toBeGreaterThan(64 * 1024);
    expect(hover(b, big.indexOf('size 4K') + 5)).toBeNull();
  });
});
