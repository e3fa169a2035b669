// The editor features on the PCI side, on small annotated fixtures (`<|>` is the cursor).
// Expectations are derived from the rules (docs/pci.md), not recorded:
//  - BAR2 is a 16 KiB prefetchable mem64 BAR at 0x8_0000_0000 (register type bits 0xc).
//    Step 1 writes all ones to its low dword: address bits 0xffff_c000, high dword 0x8, so it
//    decodes at 0x8_ffff_c000 (decode on). Step 2 writes all ones to the high dword: the BAR
//    would end at 0xffff_ffff_ffff_ffff, which QEMU never maps (R-PCI-8). Step 3 clears the low
//    dword: 0xffff_ffff_0000_0000, beyond the 39-bit IOMMU. Step 5 clears memory decode:
//    BAR0 and BAR2 are unmapped, in BAR order (pci_update_mappings walks BARs 0..6).
//  - BAR0 is a 4 KiB mem32 BAR at 0xfeb0_0000 in `pci` (priority -1 under `system`), whose
//    upper half `hole` (priority 0, directly in `system`) hides.
import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { completions } from '../../src/ide/completion.js';
import { quickFixes } from '../../src/ide/codeActions.js';
import { inlayHints } from '../../src/ide/inlayHints.js';
import { definition, references } from '../../src/ide/navigation.js';
import { documentSymbols } from '../../src/ide/symbols.js';
import { hover } from '../../src/ide/hover.js';
import { flatViewText } from '../../src/ide/views.js';
import type { IdeSymbol } from '../../src/ide/types.js';
import { checkHover, fixture } from './support.js';

const machine = `address-space memory root system
container system size 2^64 {
  container pci size 2^64 priority -1 {
  }
  io hole size 2K at 0xfeb0_0800
}
io io size 64K
pci-host host mem pci io io {
  device 00:03.0 nic model e1000 vendor-id 0x8086 command 0x0006 {
    bar 0 mem32 size 4K at 0xfeb0_0000
    bar 2 mem64 size 16K prefetchable at 0x8_0000_0000
  }
}
iommu vtd aw-bits 39 model vtd { devices 00:03.0 }
`;

const sequence = `${machine}sequence probe on 00:03.0 {
  write 0x18 4 0xffff_ffff
  write 0x1c 4 0xffff_ffff
  label low-zero
  write 0x18 4 0
  read 0x1c 4
  write 0x04 2 0x0004
}
`;

/** `source` with the cursor put after the first `n` characters of `needle`. */
const cursor = (source: string, needle: string, n = 1): string => {
  const i = source.indexOf(needle);
  if (i < 0) throw new Error(`no ${needle}`);
  return source.slice(0, i + n) + '<|>' + source.slice(i + n);
};

describe('hover on PCI declarations', () => {
  it('a BAR declaration: its absolute window, the bus container at priority 1, and what hides part of it', () => {
    checkHover(cursor(machine, 'bar 0'), [
      '**BAR0** of 00:03.0 (`nic`): 0xfeb0_0000..0xfeb0_0fff (4 KiB), mem32',
      'in the declared state',
      'in `pci` (the root bus of `host`) at +0xfeb0_0000, priority 1',
      '**`memory`**: 0xfeb0_0000..0xfeb0_0fff',
      '`system` @ 0x0 › `pci` at +0x0 › `nic-bar0` at +0xfeb0_0000',
      'visible: 0xfeb0_0000..0xfeb0_07ff',
      'hidden: 0xfeb0_0800..0xfeb0_0fff by `hole` (priority 0)',
    ]);
  });

  it('a 64-bit prefetchable BAR above 4 GiB', () => {
    checkHover(cursor(machine, 'bar 2'), [
      '**BAR2** of 00:03.0 (`nic`): 0x8_0000_0000..0x8_0000_3fff (16 KiB), mem64 prefetchable',
      '**`memory`**: 0x8_0000_0000..0x8_0000_3fff', 'fully visible',
    ], ['beyond']);
  });

  it('a device: address, model, BARs where the flat views show them, and its IOMMU', () => {
    checkHover(cursor(machine, 'nic model'), [
      '**device** `nic` — 00:03.0 · `e1000` · conventional PCI',
      'on the root bus of `host` · vendor 0x8086',
      'COMMAND 0x0006 (memory, bus master)',
      '- BAR0 mem32, 4 KiB: 0xfeb0_0000..0xfeb0_0fff',
      '- BAR2 mem64 prefetchable, 16 KiB: 0x8_0000_0000..0x8_0000_3fff',
      // 2^39 - 1
      'DMA: translated by IOMMU `vtd` (aw-bits 39: DMA addresses up to 0x7f_ffff_ffff)',
    ]);
  });

  it('a device address used as a reference hovers as the device', () => {
    checkHover(cursor(sequence, 'on 00:03.0', 5), ['**device** `nic` — 00:03.0']);
    checkHover(cursor(machine, 'devices 00:03.0', 10), ['**device** `nic` — 00:03.0']);
  });

  it('an initiator: its width as a maximum address and what it translates', () => {
    checkHover(cursor(machine, 'vtd aw'), ['**iommu** `vtd` — aw-bits 39', 'translates 00:03.0 (`nic`)']);
  });

  it('a BAR at the end of a sequence that turned decode off is unmapped, with the reason', () => {
    checkHover(cursor(sequence, 'bar 0'), ['**BAR0** of 00:03.0 (`nic`) — mem32, 4 KiB: unmapped at the end of sequence `probe` (memory decode off)']);
  });
});

describe('hover on sequence steps', () => {
  it('after the low-dword sizing write: BAR2 decodes at 0x8_ffff_c000; the map events of the step', () => {
    checkHover(cursor(sequence, 'write 0x18 4 0xffff_ffff', 3), [
      '**step 1** of sequence `probe`: `write 0x18 4 0xffff_ffff` to 00:03.0 (`nic`)',
      'After it: COMMAND 0x0006 (memory, bus master)',
      '- BAR0 mem32, 4 KiB: 0xfeb0_0000..0xfeb0_0fff',
      '- BAR2 mem64 prefetchable, 16 KiB: 0x8_ffff_c000..0x8_ffff_ffff',
      '- map-del BAR2 of 00:03.0 at 0x8_0000_0000..0x8_0000_3fff',
      '- map-add BAR2 of 00:03.0 at 0x8_ffff_c000..0x8_ffff_ffff',
    ]);
  });

  it('all ones in both dwords: unmapped, because the last byte would be 2^64-1', () => {
    checkHover(cursor(sequence, 'write 0x1c 4', 3), [
      '**step 2**',
      '- BAR2 mem64 prefetchable, 16 KiB: unmapped (sizing value: its last byte would be 0xffff_ffff_ffff_ffff) · register 0xffff_ffff_ffff_c00c',
      '- map-del BAR2 of 00:03.0 at 0x8_ffff_c000..0x8_ffff_ffff',
    ], ['map-add']);
  });

  it('a labelled step: its name, and the address beyond the IOMMU', () => {
    const md = checkHover(cursor(sequence, 'write 0x18 4 0\n', 3), [
      '**step 3 "low-zero"**',
      '- BAR2 mem64 prefetchable, 16 KiB: 0xffff_ffff_0000_0000..0xffff_ffff_0000_3fff — **beyond the 39-bit IOMMU `vtd`',
      '- map-add BAR2 of 00:03.0 at 0xffff_ffff_0000_0000..0xffff_ffff_0000_3fff',
    ]);
    // The label hovers as the step it names.
    expect(checkHover(cursor(sequence, 'low-zero', 2), ['**step 3 "low-zero"**'])).toBe(md);
  });

  it('a read shows the value read; a read maps nothing', () => {
    checkHover(cursor(sequence, 'read 0x1c', 2), ['**step 4**', 'reads 0xffffffff', 'No map events.']);
  });

  it('clearing memory decode unmaps both memory BARs', () => {
    checkHover(cursor(sequence, 'write 0x04', 3), [
      'After it: COMMAND 0x0004 (bus master)',
      '- BAR0 mem32, 4 KiB: unmapped (memory decode off)',
      '- BAR2 mem64 prefetchable, 16 KiB: unmapped (memory decode off)',
      '- map-del BAR0 of 00:03.0 at 0xfeb0_0000..0xfeb0_0fff',
      '- map-del BAR2 of 00:03.0 at 0xffff_ffff_0000_0000..0xffff_ffff_0000_3fff',
    ]);
  });

  it('leaves the region graph in the state the flat views show', () => {
    const { a, offset } = fixture(cursor(sequence, 'write 0x18 4 0xffff_ffff', 3));
    // Where each region sits (an unmapped BAR region keeps a stale address: it is not in any list).
    const graph = () => a.machine.regions.map((r) => `${r.name}@${r.container ? r.addr : '-'}:${r.container?.name}:${r.children.length}`).join();
    const before = graph();
    expect(hover(a, offset)?.markdown).toContain('0x8_ffff_c000');
    expect(graph()).toBe(before);
    expect(flatViewText(a)).toBe(flatViewText(analyzeDocument(a.text)));
  });
});

describe('inlay hints on steps', () => {
  it('say where each BAR the step moved decodes now, or that it is unmapped; reads show their value', () => {
    const a = analyzeDocument(sequence);
    const hints = inlayHints(a, { start: sequence.indexOf('sequence probe'), end: sequence.length });
    const lineOf = (o: number) => sequence.slice(sequence.lastIndexOf('\n', o - 1) + 1, o).trim();
    expect(hints.map((h) => `${lineOf(h.offset)} ${h.label}`)).toEqual([
      'write 0x18 4 0xffff_ffff → BAR2 @ 0x8_ffff_c000',
      'write 0x1c 4 0xffff_ffff → BAR2 unmapped',
      'write 0x18 4 0 → BAR2 @ 0xffff_ffff_0000_0000',
      'read 0x1c 4 = 0xffffffff',
      'write 0x04 2 0x0004 → BAR0 unmapped, BAR2 unmapped',
    ]);
    expect(hints[2].tooltip).toBe('after step 3 "low-zero": BAR2 of 00:03.0 mapped at 0xffff_ffff_0000_0000..0xffff_ffff_0000_3fff');
  });
});

describe('outline, definition, references', () => {
  it('lists host, devices with their BARs, the initiator and the sequence with its labels', () => {
    const a = analyzeDocument(sequence);
    const flat = (s: IdeSymbol, d = 0): string[] => [`${'  '.repeat(d)}${s.name} ${s.kind} ${s.detail ?? ''}`.trimEnd(), ...s.children.flatMap((c) => flat(c, d + 1))];
    const pci = documentSymbols(a).filter((s) => ['pci', 'sequence'].includes(s.kind)).flatMap((s) => flat(s));
    expect(pci).toEqual([
      'host pci pci-host · mem pci',
      '  nic pci device 00:03.0 · e1000',
      '    BAR0 bar mem32 · 4 KiB',
      '    BAR2 bar mem64 prefetchable · 16 KiB',
      'vtd pci iommu · aw-bits 39',
      'probe sequence sequence on 00:03.0 · 5 steps',
      '  low-zero label label · step 3',
    ]);
  });

  it('goes from `on BDF` and from an iommu `devices` list to the device declaration', () => {
    const decl = sequence.indexOf('00:03.0');
    for (const [needle, n] of [['on 00:03.0', 4], ['devices 00:03.0', 9]] as const) {
      const { a, offset, text } = fixture(cursor(sequence, needle, n));
      const [d] = definition(a, offset);
      expect(text.slice(d.start, d.end)).toBe('00:03.0');
      expect(d.start).toBe(decl);
    }
  });

  it('finds every use of a device address', () => {
    const { a, offset, text } = fixture(cursor(sequence, 'on 00:03.0', 4));
    const spans = references(a, offset, true);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(['00:03.0', '00:03.0', '00:03.0']);
    expect(spans[0].start).toBe(text.indexOf('device 00:03.0') + 'device '.length);
  });
});

describe('completion in PCI statements', () => {
  const at = (src: string, after: string, insert: string) => {
    const i = src.indexOf(after) + after.length;
    const text = src.slice(0, i) + insert + src.slice(i);
    return completions(analyzeDocument(text), i + insert.length).items;
  };

  it('offers the declared device addresses after `on` and in a devices list', () => {
    const items = at(sequence, 'label low-zero\n', '  on ');
    expect(items.map((x) => x.label)).toEqual(['00:03.0']);
    expect(items[0].detail).toBe('nic · e1000');
  });

  it('offers the BARs of the sequence device after `bar`, and the free slots in a device body', () => {
    expect(at(sequence, 'label low-zero\n', '  bar ').map((x) => x.label)).toEqual(['0', '2']);
    // BAR1 is free; BAR3 is BAR2's high dword.
    expect(at(machine, 'prefetchable at 0x8_0000_0000\n', '    bar ').map((x) => x.label)).toEqual(['1', '4', '5', '6 rom']);
  });

  it('offers COMMAND and the BAR registers after `write`, both dwords of a 64-bit BAR', () => {
    expect(at(sequence, 'label low-zero\n', '  write 0x').map((x) => x.label)).toEqual(['0x04', '0x10', '0x18', '0x1c']);
  });
});

describe('the decode quick fix (MR6001)', () => {
  const seed = `${machine}sequence linux on 00:03.0 {
  label hi
  write 0x1c 4 0xffff_ffff   # all ones in the high dword
  write 0x1c 4 0             # restored
}
`;

  it('clears memory decode before the label of the sizing step and restores COMMAND after the restoring line', () => {
    const a = analyzeDocument(seed);
    expect(a.diagnostics.map((d) => d.code)).toEqual(['MR4001', 'MR6001']);
    const [fix] = quickFixes(a, { start: seed.indexOf('write 0x1c'), end: seed.indexOf('write 0x1c') });
    expect(fix.code).toBe('MR6001');
    let text = seed;
    for (const e of [...fix.edits].sort((x, y) => y.span.start - x.span.start)) text = text.slice(0, e.span.start) + e.text + text.slice(e.span.end);
    expect(text.slice(text.indexOf('sequence linux'))).toBe(`sequence linux on 00:03.0 {
  write 0x04 2 0x0004
  label hi
  write 0x1c 4 0xffff_ffff   # all ones in the high dword
  write 0x1c 4 0             # restored
  write 0x04 2 0x0006
}
`);
    expect(analyzeDocument(text).diagnostics).toEqual([]);
  });
});

describe('settings as defaults', () => {
  const open = `${machine.replace('iommu vtd aw-bits 39 model vtd', 'iommu vtd model vtd')}sequence s on 00:03.0 {
  write 0x1c 4 0x80
}
`;
  // BAR2 moves to 0x80_0000_0000 = 2^39: beyond a 39-bit IOMMU, inside a 40-bit one.
  it('an iommu without aw-bits takes mrd.iommu.awBits', () => {
    const codes = (awBits: number) => analyzeDocument(open, { physBits: 46, awBits }).diagnostics.map((d) => d.code);
    expect(codes(39)).toEqual(['MR4001']);
    expect(analyzeDocument(open, { physBits: 46, awBits: 39 }).diagnostics[0].message).toContain('exceeds the 39-bit IOMMU');
    expect(codes(40)).toEqual([]);
  });

  it('the hover of the iommu says where its width comes from', () => {
    const { a, offset } = fixture(cursor(open, 'vtd model', 1));
    expect(hover(a, offset)?.markdown).toContain('aw-bits 48 (from the settings)');
    const b = analyzeDocument(a.text, { physBits: 46, awBits: 40 });
    expect(hover(b, offset)?.markdown).toContain('aw-bits 40 (from the settings), model `vtd`: DMA addresses up to 0xff_ffff_ffff');
  });
});
