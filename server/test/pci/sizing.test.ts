// Sizing sequences, config-write semantics and power-on, simulated step by step and checked
// against hand-derived QEMU behaviour (rule ids cited).
import { describe, expect, it } from 'vitest';
import { PciSimulator, simulate } from '../../src/engine/pci/simulate.js';
import { bar, device, eventLines, r, reset, topology, w } from './support.js';

const D = '00:03.0';

describe('config writes (R-PCI-3)', () => {
  it('reading after writing all ones gives ~(size-1) | type bits, high dword all ones', () => {
    const t = topology();
    device(t, 3, [{ index: 0, kind: 'mem64', size: 0x4000n, prefetchable: true }]);
    const res = simulate(t, [w(D, 0x10, 4, 0xffffffff), r(D, 0x10, 4), w(D, 0x14, 4, 0xffffffff), r(D, 0x14, 4)]);
    expect(res.outcomes[1].read?.value).toBe(0xffffc00c);
    expect(res.outcomes[3].read?.value).toBe(0xffffffff);
  });

  it('type bits survive any write; unregistered BARs read 0', () => {
    const t = topology();
    device(t, 3, [{ index: 1, kind: 'io', size: 0x20n }]);
    const res = simulate(t, [w(D, 0x14, 4, 0), r(D, 0x14, 4), w(D, 0x10, 4, 0xffffffff), r(D, 0x10, 4)]);
    expect(res.outcomes[1].read?.value).toBe(0x1);
    expect(res.outcomes[3].read).toEqual({ value: 0, known: 0xffffffff });
  });

  it('each byte goes through wmask: a byte write changes one byte only (R-PCI-15)', () => {
    const t = topology();
    device(t, 3, [{ index: 0, kind: 'mem32', size: 0x1000n }]);
    const res = simulate(t, [w(D, 0x10, 4, 0xffffffff), w(D, 0x11, 1, 0x20), r(D, 0x10, 4)]);
    // Byte 0x11 keeps only its writable bits (0xf0 for a 4 KiB BAR): 0x20.
    expect(res.outcomes[2].read?.value).toBe(0xffff2000);
  });

  it('COMMAND: only IO, MEMORY, MASTER, SERR, INTX_DISABLE are writable', () => {
    const t = topology();
    device(t, 3, []);
    const res = simulate(t, [w(D, 0x04, 2, 0xffff), r(D, 0x04, 2)]);
    expect(res.outcomes[1].read?.value).toBe(0x0507);
  });

  it('bytes beyond the modelled header read as unknown', () => {
    const t = topology();
    device(t, 3, []);
    const res = simulate(t, [w(D, 0x40, 4, 0x1234), r(D, 0x40, 4), r(D, 0x06, 2)]);
    expect(res.outcomes[1].read?.known).toBe(0);
    expect(res.outcomes[2].read?.known).toBe(0);
  });
});

describe('sizing with decode on', () => {
  it('R-SIZE-2: a 32-bit BAR is deleted by the all-ones write and re-added (newest) on restore', () => {
    const t = topology();
    const d = device(t, 3, [{ index: 0, kind: 'mem32', size: 0x20000n, at: 0xfebe0000n }], { command: 0x2 });
    const other = device(t, 4, [{ index: 0, kind: 'mem32', size: 0x1000n, at: 0xfebf0000n }], { command: 0x2 });
    const res = simulate(t, [r(D, 0x10, 4), w(D, 0x10, 4, 0xffffffff), r(D, 0x10, 4), w(D, 0x10, 4, 0xfebe0000)], { start: 'programmed' });
    expect(eventLines(res.events)).toEqual([
      '-1 map-add 00:03.0 bar0 0xfebe0000+0x20000',
      '-1 map-add 00:04.0 bar0 0xfebf0000+0x1000',
      '1 map-del 00:03.0 bar0 0xfebe0000+0x20000',
      '3 map-add 00:03.0 bar0 0xfebe0000+0x20000',
    ]);
    expect(res.outcomes[2].read?.value).toBe(0xfffe0000);
    // Re-added at priority 1: before the BAR of 00:04.0 that was added earlier (R-ORD-2).
    const list = t.hosts[0].bus.mem.children;
    expect(list.indexOf(d.bars[0]!.region)).toBeLessThan(list.indexOf(other.bars[0]!.region));
  });

  it('R-SIZE-3: 64-bit BAR, low dword then high dword: 0xfffe0000, back, 0xffffffff_febe0000, back', () => {
    const t = topology();
    device(t, 3, [{ index: 0, kind: 'mem64', size: 0x20000n, at: 0xfebe0000n }], { command: 0x2 });
    const steps = [
      r(D, 0x10, 4), w(D, 0x10, 4, 0xffffffff), r(D, 0x10, 4), w(D, 0x10, 4, 0xfebe0004),
      r(D, 0x14, 4), w(D, 0x14, 4, 0xffffffff), r(D, 0x14, 4), w(D, 0x14, 4, 0),
    ];
    const res = simulate(t, steps, { start: 'programmed' });
    expect(eventLines(res.events)).toEqual([
      '-1 map-add 00:03.0 bar0 0xfebe0000+0x20000',
      '1 map-del 00:03.0 bar0 0xfebe0000+0x20000',
      '1 map-add 00:03.0 bar0 0xfffe0000+0x20000',
      '3 map-del 00:03.0 bar0 0xfffe0000+0x20000',
      '3 map-add 00:03.0 bar0 0xfebe0000+0x20000',
      '5 map-del 00:03.0 bar0 0xfebe0000+0x20000',
      '5 map-add 00:03.0 bar0 0xfffffffffebe0000+0x20000',
      '7 map-del 00:03.0 bar0 0xfffffffffebe0000+0x20000',
      '7 map-add 00:03.0 bar0 0xfebe0000+0x20000',
    ]);
    expect(res.outcomes[2].read?.value).toBe(0xfffe0004);
    expect(res.outcomes[6].read?.value).toBe(0xffffffff);
  });

  it('R-SIZE-4: high dword first gives the same high transient; both all ones is unmapped', () => {
    const t = topology();
    device(t, 3, [{ index: 0, kind: 'mem64', size: 0x20000n, at: 0xfebe0000n }], { command: 0x2 });
    const res = simulate(t, [w(D, 0x14, 4, 0xffffffff), w(D, 0x10, 4, 0xffffffff), w(D, 0x10, 4, 0xfebe0000), w(D, 0x14, 4, 0)], { start: 'programmed' });
    expect(eventLines(res.events).slice(1)).toEqual([
      '0 map-del 00:03.0 bar0 0xfebe0000+0x20000',
      '0 map-add 00:03.0 bar0 0xfffffffffebe0000+0x20000',
      '1 map-del 00:03.0 bar0 0xfffffffffebe0000+0x20000',
      // step 1: value 0xffffffff_fffe0000 → last = 2^64-1 → unmapped, no add.
      '2 map-add 00:03.0 bar0 0xfffffffffebe0000+0x20000',
      '3 map-del 00:03.0 bar0 0xfffffffffebe0000+0x20000',
      '3 map-add 00:03.0 bar0 0xfebe0000+0x20000',
    ]);
  });

  it('with decode off the same sequence maps nothing (R-SIZE-1)', () => {
    const t = topology();
    device(t, 3, [{ index: 0, kind: 'mem64', size: 0x20000n, at: 0xfebe0000n }], { command: 0x2 });
    const res = simulate(t, [
      w(D, 0x04, 2, 0), w(D, 0x10, 4, 0xffffffff), w(D, 0x10, 4, 0xfebe0004), w(D, 0x14, 4, 0xffffffff),
      w(D, 0x14, 4, 0), w(D, 0x04, 2, 0x2),
    ], { start: 'programmed' });
    expect(eventLines(res.events).slice(1)).toEqual([
      '0 map-del 00:03.0 bar0 0xfebe0000+0x20000',
      '5 map-add 00:03.0 bar0 0xfebe0000+0x20000',
    ]);
  });

  it('a write that does not change the address produces no event (R-PCI-5)', () => {
    const t = topology();
    device(t, 3, [{ index: 0, kind: 'mem32', size: 0x1000n, at: 0xfebe1000n }], { command: 0x2 });
    const res = simulate(t, [w(D, 0x10, 4, 0xfebe1fff), w(D, 0x04, 2, 0x6)], { start: 'programmed' });
    expect(res.events.filter((e) => e.step >= 0)).toEqual([]);
  });

  it('bar N at ADDR programs both dwords in one update', () => {
    const t = topology();
    device(t, 3, [{ index: 2, kind: 'mem64', size: 0x4000n, prefetchable: true }], { command: 0x2 });
    const res = simulate(t, [bar(D, 2, 0x1_0000_0000n), r(D, 0x18, 4), r(D, 0x1c, 4)], { start: 'programmed' });
    expect(eventLines(res.events)).toEqual(['0 map-add 00:03.0 bar2 0x100000000+0x4000']);
    expect(res.outcomes[1].read?.value).toBe(0xc);
    expect(res.outcomes[2].read?.value).toBe(1);
  });
});

describe('power-on, reset and ROM', () => {
  it('R-PCI-13/14: realize with COMMAND set maps BARs at 0 on allow-0 machines, reset removes them', () => {
    const t = topology(true);
    const d = device(t, 1, [{ index: 0, kind: 'mem32', size: 0x100n }, { index: 2, kind: 'mem64', size: 0x8000_0000n, prefetchable: true }]);
    d.realizeCommand = 0x3;
    const res = simulate(t, []);
    expect(eventLines(res.events)).toEqual([
      '-1 map-add 00:01.0 bar0 0x0+0x100',
      '-1 map-add 00:01.0 bar2 0x0+0x80000000',
      '-1 map-del 00:01.0 bar0 0x0+0x100',
      '-1 map-del 00:01.0 bar2 0x0+0x80000000',
    ]);
  });

  it('on x86 (no allow-0) the same device maps nothing at realize', () => {
    const t = topology(false);
    const d = device(t, 1, [{ index: 0, kind: 'mem32', size: 0x100n }]);
    d.realizeCommand = 0x3;
    expect(simulate(t, []).events).toEqual([]);
  });

  it('a reset step deletes every mapped BAR and clears COMMAND (R-PCI-17)', () => {
    const t = topology();
    device(t, 3, [{ index: 0, kind: 'mem32', size: 0x1000n, at: 0xfebe1000n }, { index: 6, kind: 'mem32', size: 0x40000n }], { command: 0x2 });
    const res = simulate(t, [w(D, 0x30, 4, 0xfea00001), reset, r(D, 0x04, 2), r(D, 0x10, 4)], { start: 'programmed' });
    expect(eventLines(res.events)).toEqual([
      '-1 map-add 00:03.0 bar0 0xfebe1000+0x1000',
      '0 map-add 00:03.0 bar6 0xfea00000+0x40000',
      '1 map-del 00:03.0 bar0 0xfebe1000+0x1000',
      '1 map-del 00:03.0 bar6 0xfea00000+0x40000',
    ]);
    expect(res.outcomes[2].read?.value).toBe(0);
    expect(res.outcomes[3].read?.value).toBe(0);
  });

  it('an access to an absent device reads all ones and changes nothing', () => {
    const t = topology();
    device(t, 3, []);
    const res = simulate(t, [r('00:07.0', 0x00, 4), w('00:07.0', 0x04, 2, 2)]);
    expect(res.outcomes[0]).toEqual({ device: -1, absent: 'function', read: { value: 0xffffffff, known: 0xffffffff } });
    expect(res.outcomes[1].device).toBe(-1);
  });

  it('stateAfter puts the region graph back to any step', () => {
    const t = topology();
    const d = device(t, 3, [{ index: 0, kind: 'mem32', size: 0x1000n, at: 0xfebe1000n }], { command: 0x2 });
    const sim = new PciSimulator(t, { start: 'programmed', snapshotEvery: 2 });
    sim.run([w(D, 0x10, 4, 0xfe000000), w(D, 0x04, 2, 0), w(D, 0x10, 4, 0xfd000000), w(D, 0x04, 2, 2), r(D, 0, 2)]);
    const region = d.bars[0]!.region;
    expect(region.addr).toBe(0xfd000000n);
    sim.stateAfter(0);
    expect(region.container).toBe(t.hosts[0].bus.mem);
    expect(region.addr).toBe(0xfe000000n);
    sim.stateAfter(1);
    expect(region.container).toBeNull();
    expect(sim.mappingsAfter(-1)).toEqual([{ device: 0, bar: 0, addr: 0xfebe1000n }]);
  });
});
