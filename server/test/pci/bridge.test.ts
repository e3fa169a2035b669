// Bridge windows (R-BR-2..4) and bus-number routing (R-PCI-16), hand-checked.
import { describe, expect, it } from 'vitest';
import { windowRange, windowSize, windowsFromConfig } from '../../src/engine/pci/bridge.js';
import { simulate } from '../../src/engine/pci/simulate.js';
import { bridge, device, eventLines, r, topology, w } from './support.js';

function header(bytes: Record<number, number>): Uint8Array {
  const c = new Uint8Array(64);
  for (const [k, v] of Object.entries(bytes)) c[Number(k)] = v;
  return c;
}

describe('window decoding (R-BR-2)', () => {
  it('16-bit I/O: base = (reg & 0xf0) << 8, limit | 0xfff', () => {
    const c = header({ 0x1c: 0xd0, 0x1d: 0xd0, 0x30: 0x12 });
    expect(windowRange(c, 0, 'io')).toEqual({ base: 0xd000n, limit: 0xdfffn });
  });

  it('32-bit I/O (type 1) adds the upper 16 bits', () => {
    const c = header({ 0x1c: 0xd1, 0x1d: 0xe1, 0x30: 0x01, 0x32: 0x02 });
    expect(windowRange(c, 0, 'io')).toEqual({ base: 0x1_d000n, limit: 0x2_efffn });
  });

  it('memory: (reg & 0xfff0) << 16, limit | 0xfffff', () => {
    const c = header({ 0x20: 0x80, 0x21: 0xfe, 0x22: 0x90, 0x23: 0xfe });
    expect(windowRange(c, 0, 'mem')).toEqual({ base: 0xfe80_0000n, limit: 0xfe9f_ffffn });
  });

  it('prefetchable with 64-bit type adds the upper 32 bits', () => {
    const c = header({ 0x24: 0x21, 0x25: 0x00, 0x26: 0x31, 0x27: 0x00, 0x28: 0x02, 0x2c: 0x02 });
    expect(windowRange(c, 0, 'pref')).toEqual({ base: 0x2_0020_0000n, limit: 0x2_003f_ffffn });
    // Without the type bit the upper registers are ignored.
    const c32 = header({ 0x24: 0x20, 0x26: 0x30, 0x28: 0x02, 0x2c: 0x02 });
    expect(windowRange(c32, 0, 'pref')).toEqual({ base: 0x0020_0000n, limit: 0x003f_ffffn });
  });

  it('size: 0 when disabled or limit < base; base 0 .. 2^64-1 wraps to 0 (R-BR-3)', () => {
    expect(windowSize({ base: 0xfe800000n, limit: 0xfe9fffffn }, true)).toBe(0x200000n);
    expect(windowSize({ base: 0xfe800000n, limit: 0xfe9fffffn }, false)).toBe(0n);
    expect(windowSize({ base: 0xfff00000n, limit: 0x000fffffn }, true)).toBe(0n);
    expect(windowSize({ base: 0n, limit: (1n << 64n) - 1n }, true)).toBe(0n);
  });

  it('reset state: base 0, limits 0xfff/0xfffff, size 0 because COMMAND is 0 (R-BR-6)', () => {
    const ws = windowsFromConfig(header({ 0x24: 0x01, 0x26: 0x01 }), 0);
    expect(ws).toEqual([
      { kind: 'pref', base: 0n, size: 0n },
      { kind: 'mem', base: 0n, size: 0n },
      { kind: 'io', base: 0n, size: 0n },
    ]);
  });
});

describe('window aliases in the region graph (R-BR-3, R-BR-4)', () => {
  it('a window write re-creates all three as the newest prio-1 children, mem before pref', () => {
    const t = topology();
    const d = device(t, 3, [{ index: 0, kind: 'mem32', size: 0x1000n, at: 0xfe800000n }], { command: 0x2 });
    const b = bridge(t, 4);
    const steps = [
      w('00:04.0', 0x20, 4, 0xfe90fe80), w('00:04.0', 0x24, 4, 0x0031_0021), w('00:04.0', 0x28, 4, 2),
      w('00:04.0', 0x2c, 4, 2), w('00:04.0', 0x04, 2, 0x2),
    ];
    simulate(t, steps, { start: 'programmed' });
    const br = b.bridge!;
    const list = t.hosts[0].bus.mem.children;
    expect(list.slice(0, 3)).toEqual([br.memWindow, br.prefWindow, d.bars[0]!.region]);
    expect([br.memWindow.addr, br.memWindow.size, br.memWindow.aliasOffset]).toEqual([0xfe800000n, 0x200000n, 0xfe800000n]);
    expect([br.prefWindow.addr, br.prefWindow.size]).toEqual([0x2_0020_0000n, 0x20_0000n]);
    expect(br.memWindow.alias).toBe(br.mem);
    // I/O decode is off: the I/O window is a size-0 alias at its base, not a disabled region.
    expect([br.ioWindow.size, br.ioWindow.enabled]).toEqual([0n, true]);
  });
});

describe('bridge BARs (R-PCI-1)', () => {
  it('the ROM BAR of a bridge is at 0x38; 0x30 is the I/O upper-16 register there', async () => {
    const { addBar } = await import('../../src/model/pci.js');
    const t = topology();
    const b = bridge(t, 4, { command: 2 });
    addBar(t, b, { index: 6, kind: 'mem32', size: 0x10000n });
    addBar(t, b, { index: 0, kind: 'mem64', size: 0x100n });
    const res = simulate(t, [
      w('00:04.0', 0x30, 4, 0xfe000001), r('00:04.0', 0x30, 4),
      w('00:04.0', 0x38, 4, 0xfe000001), r('00:04.0', 0x38, 4),
      w('00:04.0', 0x10, 4, 0xfe100000),
    ], { start: 'programmed' });
    expect(res.outcomes[1].read?.value).toBe(0);
    expect(res.outcomes[3].read?.value).toBe(0xfe000001);
    expect(eventLines(res.events)).toEqual([
      '2 map-add 00:04.0 bar6 0xfe000000+0x10000',
      '4 map-add 00:04.0 bar0 0xfe100000+0x100',
    ]);
  });
});

describe('bus-number routing (R-PCI-16)', () => {
  it('a device behind a bridge answers only once the secondary bus number routes to it', () => {
    const t = topology();
    const br = bridge(t, 4);
    device(t, 0, [{ index: 0, kind: 'mem32', size: 0x1000n }], { bus: br });
    const steps = [
      r('01:00.0', 0x0e, 1),
      w('00:04.0', 0x19, 1, 1), w('00:04.0', 0x1a, 1, 1),
      r('01:00.0', 0x10, 4),
      w('01:00.0', 0x10, 4, 0xfe840000), w('01:00.0', 0x04, 2, 2),
      // Renumber: the same device is now 05:00.0.
      w('00:04.0', 0x19, 1, 5), w('00:04.0', 0x1a, 1, 5),
      w('05:00.0', 0x04, 2, 0),
      r('01:00.0', 0x00, 2),
    ];
    const res = simulate(t, steps);
    expect(res.outcomes[0].device).toBe(-1);
    expect(res.outcomes[3].dev).toBe('01:00.0');
    expect(res.outcomes[8].dev).toBe('05:00.0');
    expect(res.outcomes[9].device).toBe(-1);
    expect(eventLines(res.events)).toEqual([
      '5 map-add 01:00.0 bar0 0xfe840000+0x1000',
      // The event names the device by the bus number it has at that moment.
      '8 map-del 05:00.0 bar0 0xfe840000+0x1000',
    ]);
  });

  it('bus numbers inside [secondary, subordinate] are searched below the bridge; bus reset blocks it', () => {
    const t = topology();
    const outer = bridge(t, 4);
    const inner = bridge(t, 0, { bus: outer });
    device(t, 2, [], { bus: inner, name: 'leaf' });
    const steps = [
      w('00:04.0', 0x19, 1, 1), w('00:04.0', 0x1a, 1, 3),
      w('01:00.0', 0x19, 1, 2), w('01:00.0', 0x1a, 1, 2),
      r('02:02.0', 0x04, 2),
      w('00:04.0', 0x3e, 2, 0x40),
      r('02:02.0', 0x04, 2),
      w('00:04.0', 0x3e, 2, 0),
      r('02:02.0', 0x04, 2),
      r('01:00.0', 0x18, 4),
    ];
    const res = simulate(t, steps);
    expect(res.outcomes[4].dev).toBe('02:02.0');
    // Secondary-bus reset held: routing stops at the bridge.
    expect(res.outcomes[6].device).toBe(-1);
    // Released: the reset cleared the inner bridge's bus numbers, so bus 2 is gone.
    expect(res.outcomes[8].device).toBe(-1);
    expect(res.outcomes[9].read?.value).toBe(0);
  });
});
