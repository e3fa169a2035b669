// PCI documents that parse: random hosts, bridges (nested, with windows and bus numbers),
// devices with BARs of every kind and size, initiators, and sequences of config accesses at
// any offset, length and value, through the simulator, the checks and every ide feature.
// Nothing may throw; every value out of range is a diagnostic.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exercise } from './harness.js';

const hex = (v: bigint | number) => `0x${v.toString(16)}`;
const bdf = (bus: number, slot: number, fn: number) =>
  `${bus.toString(16).padStart(2, '0')}:${slot.toString(16).padStart(2, '0')}.${fn}`;

const sizeExpr = fc.oneof(
  fc.integer({ min: 0, max: 64 }).map((k) => `2^${k}`),
  fc.constantFrom('4K', '16K', '1M', '256M', '4G', '3', '0', '2^64', '2^65', '0x1000'),
);
const value = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }).map(hex),
  fc.constantFrom('0', '0xffff_ffff', '0xfebe_0004', '0xffff_c004', '0x1_0000_0000', '-1', '2^64', '0x6', '0x7', '0x3'),
);
const offset = fc.oneof(
  fc.constantFrom(0x04, 0x10, 0x14, 0x18, 0x1c, 0x20, 0x24, 0x28, 0x2c, 0x30, 0x38, 0x3e, 0x19, 0x1a),
  fc.integer({ min: 0, max: 0x1100 }),
);
const len = fc.oneof(fc.constantFrom(1, 2, 4), fc.integer({ min: 0, max: 9 }));

const bar = fc.tuple(
  fc.integer({ min: 0, max: 7 }), fc.constantFrom('io', 'mem32', 'mem64', 'rom'), sizeExpr,
  fc.option(value, { nil: undefined }), fc.boolean(),
).map(([i, k, size, at, pref]) => `bar ${i} ${k} size ${size}${pref ? ' prefetchable' : ''}${at ? ` at ${at}` : ''}`);

const device = (bus: number) => fc.tuple(
  fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 7 }), fc.array(bar, { maxLength: 4 }),
  fc.constantFrom('', ' command 0x6', ' command 0x3', ' express', ' realize-command 0x3', ' serr off', ' command 0xffff', ' x-vga', ' x-vga command 0x3'),
  fc.boolean(),
).map(([s, f, bars, attrs, romLine]) =>
  `device ${bdf(bus, s, f)} d${bus}_${s}_${f}${attrs} {\n${bars.map((b) => `  ${b}\n`).join('')}${romLine ? '  rom size 256K\n' : ''}}`);

const windowLine = fc.tuple(fc.constantFrom('mem', 'io', 'pref'), value, fc.oneof(value.map((v) => `limit ${v}`), sizeExpr.map((s) => `size ${s}`)))
  .map(([k, b, l]) => `window ${k} ${b} ${l}`);

const bridge = fc.tuple(
  fc.integer({ min: 0, max: 31 }), fc.integer({ min: 1, max: 4 }), fc.array(windowLine, { maxLength: 3 }),
  fc.array(device(1), { maxLength: 3 }), fc.constantFrom('', ' root-port', ' express', ' command 0x7'), fc.boolean(),
).map(([s, sec, ws, devs, attrs, nested]) =>
  `bridge ${bdf(0, s, 0)} br${s} secondary ${sec} subordinate ${sec + (nested ? 1 : 0)}${attrs} {\n` +
  ws.map((w) => `  ${w}\n`).join('') + devs.map((d) => d.replace(/^device 01/m, `device ${sec.toString(16).padStart(2, '0')}`)).join('\n') +
  (nested ? `\n  bridge ${bdf(sec, 1, 0)} inner secondary ${sec + 1} subordinate ${sec + 1} command 0x6 {\n    device ${bdf(sec + 1, 0, 0)} deep command 0x6 { bar 0 mem32 size 4K at 0xfe00_0000 }\n  }` : '') +
  '\n}');

const step = fc.oneof(
  fc.tuple(offset, len, value).map(([o, l, v]) => `write ${hex(o)} ${l} ${v}`),
  fc.tuple(offset, len, fc.option(value, { nil: undefined })).map(([o, l, v]) => `read ${hex(o)} ${l}${v ? ` expect ${v}` : ''}`),
  fc.tuple(fc.integer({ min: 0, max: 7 }), value).map(([b, v]) => `bar ${b} at ${v}`),
  fc.constantFrom('reset', 'label here', 'on 00:03.0 { write 0x04 2 0x6 }', 'on 01:00.0 { read 0x00 4 }', 'on ff:1f.7 { write 0x10 4 0 }'),
);

const sequence = fc.tuple(fc.array(step, { maxLength: 25 }), fc.constantFrom('', ' start reset', ' start programmed'), fc.constantFrom('00:03.0', '00:03.0', '00:03.0', '01:00.0', '00:1c.0', '02:00.0'))
  .map(([steps, start, on]) => `sequence s on ${on}${start} {\n${steps.map((x) => `  ${x}\n`).join('')}}`);

const document = fc.tuple(
  fc.array(device(0), { maxLength: 3 }), fc.array(bridge, { maxLength: 2 }), fc.array(sequence, { maxLength: 2 }),
  fc.constantFrom('', ' allow-0', ' bus 0x10'), fc.constantFrom('', 'cpu c0 phys-bits 46', 'cpu c0 phys-bits 0', 'cpu c0 phys-bits 65'),
  fc.constantFrom('', 'iommu vtd aw-bits 48 { devices all }', 'iommu vtd aw-bits 39 { devices 00:03.0 01:00.0 }', 'iommu v aw-bits 99 { devices 7 }'),
).map(([devs, brs, seqs, hostAttrs, cpu, iommu]) => [
  'container pci size 2^64',
  'io io size 64K',
  'address-space memory root pci',
  `pci-host h mem pci io io${hostAttrs} {`,
  '  window mem 0x8000_0000 size 0x7000_0000',
  'device 00:03.0 nic command 0x6 {\n  bar 0 mem64 size 16K at 0xfebe_0000\n  bar 2 io size 32 at 0xc000\n}',
  ...devs, ...brs,
  '}', cpu, iommu, ...seqs,
].join('\n'));

describe('PCI documents: simulator, checks and ide features never throw', () => {
  it('random topologies and sequences', () => {
    const widths = fc.record({ physBits: fc.integer({ min: 1, max: 64 }), awBits: fc.integer({ min: 1, max: 64 }) });
    fc.assert(fc.property(document, widths, (text, analysis) => {
      const a = exercise(text, { analysis, offsets: [text.indexOf('device'), text.indexOf('write'), text.indexOf('bar '), text.length] });
      // A step value that cannot fit its register is an error, never a silent wrap.
      if (/^ {2}(write 0x[0-9a-f]+ [124] 2\^64|bar \d at 2\^64)$/m.test(text)) {
        expect(a.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      }
    }), { numRuns: 150 });
  });

  it('a sequence of 20,000 steps and a device with every BAR index', () => {
    const steps = [];
    for (let i = 0; i < 20_000; i++) steps.push(`  write 0x${(0x10 + (i % 6) * 4).toString(16)} 4 ${i % 3 ? '0xffff_ffff' : '0xfebe_0000'}`);
    const text = [
      'container pci size 2^64', 'io io size 64K', 'address-space memory root pci',
      'pci-host h mem pci io io {',
      '  device 00:03.0 nic command 0x6 {',
      ...[0, 1, 2, 3, 4, 5, 6].map((i) => `    bar ${i} mem32 size 4K`),
      '  }', '}',
      'sequence long on 00:03.0 {', ...steps, '}',
    ].join('\n');
    const a = exercise(text, { offsets: [text.length - 10] });
    expect(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).not.toContain(undefined);
  }, 60_000);
});
