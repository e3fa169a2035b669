// The legacy VGA ranges, hand-checked against QEMU 7.2's hw/pci/pci.c and hw/pci/pci_bridge.c:
// a device registers them at realize (`pci_register_vga`, R-PCI-10), COMMAND switches them
// (`pci_update_vga`); a bridge forwards them with aliases only while BRIDGE_CONTROL.VGA is set,
// re-made after its windows on every window update (R-BR-5).
import { describe, expect, it } from 'vitest';
import { PciSimulator, simulate } from '../../src/engine/pci/simulate.js';
import { addDevice } from '../../src/model/pci.js';
import type { Region } from '../../src/model/region.js';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { mtreeText } from '../../src/ide/views.js';
import { hover } from '../../src/ide/hover.js';
import { bridge, device, topology, w } from './support.js';

const names = (list: readonly Region[]) => list.map((r) => `${r.name}${r.enabled ? '' : ' (off)'}`);

describe('a device with VGA ranges (R-PCI-10)', () => {
  it('registers them at realize, at priority 1 in its bus, switched by COMMAND.MEMORY and COMMAND.IO', () => {
    const t = topology();
    const gpu = addDevice(t, t.hosts[0].bus, { name: 'gpu', slot: 2, vga: true });
    const sim = new PciSimulator(t);
    const res = sim.run([w('00:02.0', 0x04, 2, 0x1), w('00:02.0', 0x04, 2, 0x3), w('00:02.0', 0x04, 2, 0x2)]);
    // Switching them is no mapping: nothing is traced.
    expect(res.events).toEqual([]);
    const { mem, io } = t.hosts[0].bus;
    const v = gpu.vga!;
    expect([v.mem.container, v.mem.addr, v.mem.priority, v.mem.size]).toEqual([mem, 0xa0000n, 1, 0x20000n]);
    expect([v.ioLo.container, v.ioLo.addr, v.ioLo.size, v.ioHi.addr, v.ioHi.size]).toEqual([io, 0x3b0n, 0xcn, 0x3c0n, 0x20n]);
    const after = (i: number) => {
      sim.stateAfter(i);
      return [names(mem.children), names(io.children)];
    };
    // Reset: COMMAND 0, both off; io_hi was registered last, so it is first among equals.
    expect(after(-1)).toEqual([['vfio-vga-mmio@0xa0000 (off)'], ['vfio-vga-io@0x3c0 (off)', 'vfio-vga-io@0x3b0 (off)']]);
    expect(after(0)).toEqual([['vfio-vga-mmio@0xa0000 (off)'], ['vfio-vga-io@0x3c0', 'vfio-vga-io@0x3b0']]);
    expect(after(1)).toEqual([['vfio-vga-mmio@0xa0000'], ['vfio-vga-io@0x3c0', 'vfio-vga-io@0x3b0']]);
    expect(after(2)).toEqual([['vfio-vga-mmio@0xa0000'], ['vfio-vga-io@0x3c0 (off)', 'vfio-vga-io@0x3b0 (off)']]);
  });

  it('takes its place in realize order: older than a BAR mapped later, than a bridge realized after it', () => {
    const t = topology();
    addDevice(t, t.hosts[0].bus, { name: 'gpu', slot: 2, vga: true, initialCommand: 0x3 });
    const br = bridge(t, 4).bridge!;
    device(t, 5, [{ index: 0, kind: 'mem32', size: 0x1000n, at: 0xa0000n }], { command: 0x2 });
    simulate(t, [], { start: 'programmed' });
    expect(names(t.hosts[0].bus.mem.children)).toEqual(['dev5-bar0', br.memWindow.name, br.prefWindow.name, 'vfio-vga-mmio@0xa0000']);
  });
});

describe('a bridge forwarding VGA (R-BR-5)', () => {
  it('adds its aliases after its windows while BRIDGE_CONTROL.VGA is set, enabled by its COMMAND', () => {
    const t = topology();
    const b = bridge(t, 4, { command: 0x3 });
    const br = b.bridge!;
    const host = t.hosts[0].bus;
    const sim = new PciSimulator(t, { start: 'programmed' });
    sim.run([
      w('00:04.0', 0x3e, 2, 0x08), // VGA enable
      w('00:04.0', 0x04, 2, 0x2), // I/O decode off: the I/O aliases go off
      w('00:04.0', 0x20, 4, 0xfe90fe80), // a window write: the aliases are made again, after the windows
      w('00:04.0', 0x3e, 2, 0x00), // VGA disable: gone, even from the tree
    ]);
    const state = (i: number) => {
      sim.stateAfter(i);
      return [names(host.mem.children), names(host.io.children)];
    };
    expect(state(-1)).toEqual([['pci_bridge_mem', 'pci_bridge_pref_mem'], ['pci_bridge_io']]);
    expect(state(0)).toEqual([
      ['pci_bridge_vga_mem', 'pci_bridge_mem', 'pci_bridge_pref_mem'],
      ['pci_bridge_vga_io_hi', 'pci_bridge_vga_io_lo', 'pci_bridge_io'],
    ]);
    expect(state(1)).toEqual([
      ['pci_bridge_vga_mem', 'pci_bridge_mem', 'pci_bridge_pref_mem'],
      ['pci_bridge_vga_io_hi (off)', 'pci_bridge_vga_io_lo (off)', 'pci_bridge_io'],
    ]);
    expect(state(2)[0]).toEqual(['pci_bridge_vga_mem', 'pci_bridge_mem', 'pci_bridge_pref_mem']);
    expect(state(3)).toEqual([['pci_bridge_mem', 'pci_bridge_pref_mem'], ['pci_bridge_io']]);
    expect([br.vga.mem.container, br.vga.ioLo.container]).toEqual([null, null]);
    // What the aliases show: the secondary bus's legacy ranges.
    sim.stateAfter(0);
    expect([br.vga.mem.alias, br.vga.mem.aliasOffset, br.vga.mem.addr, br.vga.mem.size]).toEqual([br.mem, 0xa0000n, 0xa0000n, 0x20000n]);
    expect([br.vga.ioLo.alias, br.vga.ioLo.aliasOffset, br.vga.ioHi.aliasOffset]).toEqual([br.io, 0x3b0n, 0x3c0n]);
  });

  it('keeps them through a reset, switched off with COMMAND, as pci_bridge_reset leaves the windows', () => {
    const t = topology();
    bridge(t, 4, { command: 0x3 });
    const host = t.hosts[0].bus;
    const sim = new PciSimulator(t, { start: 'programmed' });
    sim.run([w('00:04.0', 0x3e, 2, 0x08), { op: 'reset' }]);
    sim.stateAfter(1);
    expect(names(host.mem.children)).toEqual(['pci_bridge_vga_mem (off)', 'pci_bridge_mem', 'pci_bridge_pref_mem']);
  });
});

describe('in a description', () => {
  it('`x-vga` on a device: the GPU behind a root port that forwards VGA shows at 0xa0000', () => {
    const text = [
      'container pci size 2^64 {',
      '}',
      'container pio size 64K {',
      '}',
      'address-space memory root pci',
      'pci-host q35 mem pci io pio {',
      '  bridge 00:1c.0 rp command 0x3 secondary 1 subordinate 1 {',
      '    window mem 0xc000_0000 limit 0xc0ff_ffff',
      '    device 01:00.0 gpu model vfio-pci x-vga command 0x3 {',
      '      bar 0 mem32 size 16M at 0xc000_0000',
      '    }',
      '  }',
      '}',
      'sequence firmware on 00:1c.0 start programmed {',
      '  write 0x3e 2 0x0008',
      '}',
      '',
    ].join('\n');
    const a = analyzeDocument(text);
    expect(a.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    const tree = mtreeText(a, false);
    expect(tree).toContain('00000000000a0000-00000000000bffff (prio 1, i/o): alias pci_bridge_vga_mem @pci_bridge_pci 00000000000a0000-00000000000bffff');
    expect(tree).toContain('00000000000a0000-00000000000bffff (prio 1, i/o): vfio-vga-mmio@0xa0000');
    // A device called `vga` (QEMU's standard VGA, whose ranges are not PCI's) is just a name.
    const std = analyzeDocument('container pci size 2^64 {\n}\ncontainer pio size 64K {\n}\npci-host h mem pci io pio {\n  device 00:02.0 vga model VGA command 0x3 {\n  }\n}\n');
    expect(std.diagnostics).toEqual([]);
    expect(std.machine.regions.filter((r) => r.name.startsWith('vfio-vga'))).toEqual([]);
    expect(mtreeText(std, true)).not.toContain('vfio-vga');
    // The hovers of the GPU and of the root port say so, at the end of the sequence.
    expect(hover(a, text.indexOf('gpu model') + 1)?.markdown).toContain(
      '- legacy VGA: memory 0xa_0000..0xb_ffff on, I/O 0x3b0..0x3bb and 0x3c0..0x3df on');
    expect(hover(a, text.indexOf('rp command') + 1)?.markdown).toContain(
      '- legacy VGA, forwarded: memory 0xa_0000..0xb_ffff on, I/O 0x3b0..0x3bb and 0x3c0..0x3df on');
  });
});
