// The memory map: its input (bands = the flat views, hidden parts, limit lines, sequence
// steps), the layout (compressed/linear/log scales, hidden lanes, limits, the 2^64 edge), the
// address labels, and golden SVGs of two small machines (reviewed as PNGs, then pinned).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { flatViews } from '../../src/engine/addressSpace.js';
import { printFlat } from '../../src/engine/flatPrint.js';
import { type Analysis, analyzeDocument } from '../../src/ide/analysis.js';
import { mapData } from '../../src/ide/mapData.js';
import { describeBand } from '../../src/ide/mapDescribe.js';
import { bandAt, bandList, hiddenLanes, layoutMap } from '../../src/ide/mapLayout.js';
import { addrAt, formatAddr, shortSize, yAt } from '../../src/ide/mapScale.js';
import { documentMapSvg } from '../../src/ide/mapSvg.js';
import { fromWire } from '../../src/ide/mapDecode.js';
import { toWire } from '../../src/ide/mapEncode.js';
import { unpack } from '../../src/ide/mapPack.js';
import type { MapInput } from '../../src/ide/mapTypes.js';

const SAMPLES = path.resolve(__dirname, '../../../samples');
const sample = (name: string) => analyzeDocument(readFileSync(path.join(SAMPLES, name), 'utf8'));
const names = (m: MapInput, ids: readonly number[]) => ids.map((i) => m.regions[i].name);

/** Column `ci`'s bands as `start..end name` lines (exact hex). */
function bandLines(m: MapInput, ci: number): string[] {
  return m.columns[ci].bands.map((b) => `${formatAddr(b.start)}..${formatAddr(b.end)} ${m.regions[b.region].name}`);
}

const small = `
address-space memory root system
address-space "I/O" root io
container system size 2^64 {
  alias ram-below-4g -> ram size 128M
  io apic size 4K at 0xfee0_0000
  container pci size 2^64 priority -1 {
    rom bios size 256K at 0xfffc_0000
    io bar size 1M at 0xfee0_0000 priority 1
  }
}
ram ram size 128M
io io size 64K {
  io port size 4 at 0xcf8
}
`;

describe('map input', () => {
  it('bands are exactly the flat views (every sample, every address space)', () => {
    for (const file of ['pc-i440fx.mrd', 'aarch64-virt.mrd', 'q35-iommu.mrd', 'q35-vfio-sizing.mrd']) {
      const a = sample(file);
      const m = mapData(a);
      const groups = flatViews(a.machine);
      const spaceColumns = m.columns.filter((c) => c.role !== 'pci');
      expect(spaceColumns.map((c) => c.spaces), file).toEqual(groups.map((g) => g.spaces.map((s) => s.name)));
      groups.forEach((g, i) => {
        expect(spaceColumns[i].bands.map((b) => [b.start, b.end - b.start, m.regions[b.region].name, b.offset, b.readonly]), file)
          .toEqual(g.ranges.map((r) => [r.start, r.size, r.mr.name, r.offsetInRegion, r.readonly]));
      });
    }
  });

  it('hidden parts: what a region would cover and who is visible there, never a region under its own children', () => {
    const m = mapData(analyzeDocument(small));
    const mem = m.columns[0];
    expect(mem.hidden.map((h) => `${formatAddr(h.start)}..${formatAddr(h.end)} ${m.regions[h.region].name} by ${m.regions[h.by].name}`))
      .toEqual(['0x0000_0000_fee0_0000..0x0000_0000_fee0_1000 bar by apic']);
    // `io` renders under `port` (R-FLAT-6): not a conflict, not listed.
    expect(m.columns[1].hidden).toEqual([]);
    const q = mapData(sample('q35-iommu.mrd'));
    const lines = q.columns[0].hidden.map((h) => `${q.regions[h.region].name} by ${q.regions[h.by].name}`);
    expect(lines).toContain('m by ioapic');
    expect(q.columns[2].hidden.map((h) => `${q.regions[h.region].name} by ${q.regions[h.by].name}`)).toContain('apic-msi by vtd-ir');
  });

  it('kinds, alias chains and roles', () => {
    const m = mapData(analyzeDocument(small));
    expect(m.columns.map((c) => [c.title, c.role])).toEqual([['memory', 'cpu'], ['I/O', 'io']]);
    const [ram, apic, bar, bios] = m.columns[0].bands;
    expect([ram.kind, names(m, ram.via), apic.kind, bar.kind, bios.kind]).toEqual(['ram', ['ram-below-4g'], 'mmio', 'mmio', 'rom']);
    expect(formatAddr(bar.start)).toBe('0x0000_0000_fee0_1000');
  });

  it('without PCI the CPU line comes from the settings, and an IOMMU line only where a device space is', () => {
    const m = mapData(analyzeDocument(small, { physBits: 40, awBits: 39 }));
    expect(m.limits.map((l) => [l.label, l.addr, l.columns])).toEqual([['CPU phys-bits 40 (setting)', 1n << 40n, [0]]]);
    const q = mapData(sample('q35-iommu.mrd'));
    expect(q.limits.map((l) => [l.label, l.columns])).toEqual([['CPU phys-bits 46 (setting)', [0]], ['IOMMU aw-bits 48 (setting)', [2]]]);
  });

  it('a sequence: the state after any step, the step that maps a BAR beyond the IOMMU marked, the graph restored', () => {
    const a = sample('q35-vfio-sizing.mrd');
    const before = printFlat(a.machine);
    const at = (step: number) => mapData(a, { step });
    const bus = (m: MapInput) => m.columns.findIndex((c) => c.role === 'pci');
    const m6 = at(6);
    expect(m6.sequence?.current).toBe(6);
    expect(m6.columns[bus(m6)].title).toBe('PCI bus 01 memory (rp0)');
    expect(bandLines(m6, bus(m6))).toEqual(['0xffff_ffff_febe_0000..0xffff_ffff_febe_4000 0000:01:10.0 BAR 0 mmaps[0]']);
    expect(bandLines(at(0), bus(m6))).toEqual(['0x0000_0000_febe_0000..0x0000_0000_febe_4000 0000:01:10.0 BAR 0 mmaps[0]']);
    expect(m6.sequence!.steps.map((s, i) => (s.beyond.length ? `${i + 1} ${s.label}: ${s.beyond.join(', ')}` : '')).filter(Boolean))
      .toEqual(['6 size-hi: CPU phys-bits 46 (setting), IOMMU vtd: aw-bits 48']);
    expect(m6.sequence!.steps[5].text).toBe('write 0x14 4 0xffffffff on 01:10.0');
    // The IOMMU line concerns only the BARs of the devices behind it.
    const iommu = m6.limits.find((l) => l.kind === 'iommu')!;
    expect(names(m6, iommu.regions ?? [])).toContain('0000:01:10.0 BAR 0 mmaps[0]');
    expect(names(m6, iommu.regions ?? [])).not.toContain('pc.ram');
    expect(printFlat(a.machine)).toBe(before);
  });

  it("a covered device's own bus-master space is its DMA view: there the IOMMU line concerns every band", () => {
    const text = `address-space memory root system
address-space nic root NIC_BM
container system size 2^64 {
  ram big size 4K at 0x2_0000_0000_0000
  container pci size 2^64 priority -1
}
container nicbm id NIC_BM size 2^64 {
  alias "bus master" -> system size 2^64
  io ir size 1M at 0xfee0_0000 priority 1
}
pci-host h mem pci {
  device 00:03.0 nic command 0x6 { bar 0 mem32 size 4K at 0xfe00_0000 }
}
iommu vtd aw-bits 48 { devices 00:03.0 }
`;
    const m = mapData(analyzeDocument(text));
    expect(m.columns.map((c) => `${c.title} ${c.role}`)).toEqual(['memory cpu', 'nic dma', 'PCI bus 00 memory (h) pci']);
    expect(m.limits.map((l) => [l.label, l.columns, l.regions && names(m, l.regions)])).toEqual([
      ['CPU phys-bits 46 (setting)', [0, 2], undefined],
      ['IOMMU vtd: aw-bits 48', [0, 2], ['nic-bar0']],
      ['IOMMU vtd: aw-bits 48', [1], undefined],
    ]);
    // RAM at 2^49 is beyond the CPU line in memory, and beyond the IOMMU line in the DMA view.
    const l = layoutMap(m);
    expect(bandList(l).filter((b) => b.beyond.length).map((b) => [b.column, m.regions[b.region].name, b.beyond]))
      .toEqual([[0, 'big', [0]], [1, 'big', [2]]]);
  });

  it('survives the wire (packed columns of numbers, line ranges) unchanged', () => {
    for (const m of [mapData(sample('q35-iommu.mrd')), mapData(sample('q35-vfio-sizing.mrd'))]) {
      const range = (s: { start: number; end: number }) => [s.start >> 4, s.start & 15, (s.end >> 4) + 1, s.end & 15] as const;
      const wire = toWire(m, range);
      for (const back of [fromWire(JSON.parse(JSON.stringify(wire))), fromWire(structuredClone(wire))]) {
        // `flat`: the same bands as float columns, for the view's layout (next test).
        expect(back.columns.map(({ flat: _, ...c }) => c)).toEqual(m.columns);
        expect(back.limits.map((l) => l.addr)).toEqual(m.limits.map((l) => l.addr));
        expect(back.regions.map((r) => ({ name: r.name, kind: r.kind, priority: r.priority, path: r.path, decl: r.decl, nameRange: r.nameRange }))).toEqual(m.regions.map(({ span, nameSpan, ...r }) => ({
          ...r, decl: span && range(span), nameRange: nameSpan && range(nameSpan),
        })));
        expect(back.sequence?.steps.map((x) => x.decl)).toEqual(m.sequence?.steps.map((x) => x.span && range(x.span)));
      }
    }
  });

  it('the view lays out the decoded wire form (float columns) exactly as the input itself', () => {
    for (const m of ['q35-iommu.mrd', 'q35-vfio-sizing.mrd', 'pc-i440fx.mrd', 'aarch64-virt.mrd'].map((n) => mapData(sample(n)))) {
      const view = fromWire(JSON.parse(JSON.stringify(toWire(m, () => [0, 0, 0, 0]))));
      expect(view.columns.every((c) => c.flat)).toBe(true);
      for (const scale of ['compressed', 'linear', 'log'] as const) {
        const a = layoutMap({ ...m }, { scale });
        const b = layoutMap(view, { scale });
        expect(b.axis).toEqual(a.axis);
        expect(b.bands).toEqual(a.bands);
        expect(b.limits).toEqual(a.limits);
        expect([b.columns, b.width, b.height]).toEqual([a.columns, a.width, a.height]);
        expect(bandList(b)).toEqual(bandList(a));
        expect(bandList(b).map((_, i) => describeBand(b, i).line)).toEqual(bandList(a).map((_, i) => describeBand(a, i).line));
      }
    }
  });

  it('keeps addresses at and above 2^53 exact on the wire', () => {
    const m = mapData(analyzeDocument(`
address-space memory root system
container system size 2^64 {
  io mid size 0x11 at 0x20_0000_0000_0001
  io top size 4K at 0xffff_ffff_ffff_f000
  alias win -> far offset 0xffff_0000_0000_0003 size 64K at 0x1000
}
ram far size 2^64
`, undefined));
    const wire = JSON.parse(JSON.stringify(toWire(m, () => [0, 0, 0, 0])));
    expect(wire.big.length).toBeGreaterThan(0);
    // Some band refers to the table of big values (a negative entry).
    expect(Array.from(unpack(wire.columns[0].bands)).some((x) => x < 0)).toBe(true);
    const back = fromWire(wire);
    expect(back.columns[0].flat).toBeUndefined();
    expect(back.columns).toEqual(m.columns);
    expect(bandLines(back, 0)).toEqual(bandLines(m, 0));
    expect(bandLines(m, 0)).toContain('0x0020_0000_0000_0001..0x0020_0000_0000_0012 mid');
    expect(back.columns[0].bands.find((b) => back.regions[b.region].name === 'far')?.offset).toBe(0xffff_0000_0000_0003n);
  });

  it('keeps hidden parts exact on the wire on both sides of 2^53', () => {
    const m = mapData(analyzeDocument(`
address-space memory root system
container system size 2^64 {
  ram below size 0x2000 at 0x1f_ffff_ffff_f000
  io low size 0x10 at 0x1f_ffff_ffff_f800 priority 1
  io high size 0x10 at 0x20_0000_0000_0800 priority 1
  io top size 0x10 at 0xffff_ffff_ffff_f000 priority 1
  ram under size 0x2000 at 0xffff_ffff_ffff_e000
}
`, undefined));
    expect(m.columns[0].hidden.map((h) => h.start)).toEqual([0x1f_ffff_ffff_f800n, 0x20_0000_0000_0800n, 0xffff_ffff_ffff_f000n]);
    const back = fromWire(JSON.parse(JSON.stringify(toWire(m, () => [0, 0, 0, 0]))));
    expect(back.columns).toEqual(m.columns);
  });
});

describe('layout', () => {
  const layout = (text: string, o = {}, opts = {}) => layoutMap(mapData(analyzeDocument(text, undefined), opts), o);

  it('compressed: an empty stretch is one fixed-height break mark that states its size', () => {
    const l = layout(small);
    const gaps = l.axis.breaks.map((b) => `${formatAddr(b.start)} ${b.size} ${b.y1 - b.y0}`);
    expect(gaps).toContain('0x0000_0000_0800_0000 ~3.9 GiB 22');
    // 2^46 − 4 GiB is one mark too, as tall as a 4 KiB gap would be.
    expect(l.axis.breaks.every((b) => b.y1 - b.y0 === 22)).toBe(true);
    // A 4 KiB register and 128 MiB of RAM are both readable (≥ 14 units), and the whole map stays short.
    const bands = bandList(l).filter((b) => b.lane === 0);
    const apic = bands.find((b) => b.start === 0xfee00000n)!;
    expect(apic.y1 - apic.y0).toBeGreaterThanOrEqual(14);
    expect(l.height).toBeLessThan(600);
  });

  it('compressed, linear and log are monotone in the address; linear is proportional', () => {
    for (const scale of ['compressed', 'linear', 'log'] as const) {
      const l = layout(small, { scale });
      for (let i = 1; i < l.axis.stops.length; i++) expect(l.axis.ys[i], scale).toBeGreaterThan(l.axis.ys[i - 1]);
    }
    const lin = layout(small, { scale: 'linear' });
    const top = lin.axis.stops[lin.axis.stops.length - 1];
    expect(yAt(lin.axis, top / 2n)).toBeCloseTo(lin.height / 2, 6);
    // On the linear scale a limit beyond the content is off the axis instead of squeezing it.
    expect(lin.limits[0].y).toBeNull();
    expect(layout(small, { scale: 'log' }).limits[0].y).not.toBeNull();
  });

  it('2^64: a leaf of the whole space, its end label, and finite coordinates on every scale', () => {
    const text = 'address-space memory root top\ncontainer top size 2^64 {\n  io all size 2^64\n  ram low size 4K priority 1\n}\n';
    for (const scale of ['compressed', 'linear', 'log'] as const) {
      const l = layout(text, { scale });
      const last = l.axis.stops[l.axis.stops.length - 1];
      expect(last).toBe(1n << 64n);
      expect(formatAddr(last, l.axis.digits)).toBe('0x1_0000_0000_0000_0000');
      const all = bandList(l).find((b) => b.end === 1n << 64n)!;
      expect(Number.isFinite(all.y1) && all.y1 > all.y0, scale).toBe(true);
      expect(addrAt(l.axis, l.height)).toBe(1n << 64n);
    }
  });

  it('hidden parts go to side lanes: overlapping ones side by side, capped', () => {
    const parts = [[0n, 10n], [5n, 20n], [8n, 9n], [9n, 30n], [20n, 25n]].map(([start, end]) => ({ start, end }));
    expect(hiddenLanes(parts, 3)).toEqual({ lane: [1, 2, 3, 3, 1], used: 3 });
    // With two lanes the third overlapping part shares the lane that frees first.
    expect(hiddenLanes(parts, 2).lane).toEqual([1, 2, 1, 1, 2]);
    const l = layout(small);
    const hidden = bandList(l).filter((b) => b.lane > 0);
    expect(hidden).toHaveLength(1);
    expect(hidden[0].x0).toBeGreaterThanOrEqual(l.columns[0].mainX + l.columns[0].mainWidth);
    expect(l.columns[0].hiddenLanes).toBe(1);
    expect(l.columns[1].hiddenLanes).toBe(0);
  });

  it('limit lines at 2^bits; the bands beyond them are flagged, and only those the limit concerns', () => {
    const a = sample('q35-vfio-sizing.mrd');
    const l6 = layoutMap(mapData(a, { step: 6 }));
    const flagged = bandList(l6).filter((b) => b.beyond.length > 0).map((b) => [l6.input.regions[b.region].name, b.beyond]);
    expect(flagged).toEqual([['0000:01:10.0 BAR 0 mmaps[0]', [0, 1]]]);
    const cpu = l6.limits[0];
    expect(cpu.y).toBe(yAt(l6.axis, 1n << 46n));
    const bar = bandList(l6).find((b) => b.beyond.length > 0)!;
    expect(bar.y0).toBeGreaterThan(cpu.y!);
    expect(bandList(layoutMap(mapData(a, { step: 8 }))).some((b) => b.beyond.length > 0)).toBe(false);
    expect(describeBand(l6, bandAt(l6, bar.column, 0xffff_ffff_febe_0000n)).lines).toContain('beyond IOMMU vtd: aw-bits 48');
  });

  it('is deterministic and describes a band in words', () => {
    const m = mapData(analyzeDocument(small));
    const l = layoutMap(m);
    expect(bandList(layoutMap(m))).toEqual(bandList(l));
    const i = bandAt(l, 0, 0x100n);
    expect(describeBand(l, i).lines).toEqual([
      'ram', '0x0000_0000_0000..0x0000_07ff_ffff (128 MiB)', 'RAM, priority 0', 'via ram-below-4g → ram',
    ]);
  });
});

describe('labels', () => {
  it('exact hex with _ every four digits, padded to the axis width', () => {
    expect(formatAddr(0n)).toBe('0x0000_0000_0000_0000');
    expect(formatAddr(0xfee0_0000n, 8)).toBe('0xfee0_0000');
    expect(formatAddr(0xcf8n, 4)).toBe('0x0cf8');
    expect(formatAddr((1n << 64n) - 1n)).toBe('0xffff_ffff_ffff_ffff');
    expect(formatAddr(1n << 64n)).toBe('0x1_0000_0000_0000_0000');
    expect(layout64Digits('address-space io root io\nio io size 64K\n')).toBe(4);
    // `small` ends at the CPU line, 2^46: twelve digits.
    expect(layout64Digits(small)).toBe(12);
  });

  it('gap sizes: exact binary units when whole, else about one decimal', () => {
    expect([4096n, 768n << 20n, 1n << 64n, 1536n, 1000n].map(shortSize)).toEqual(['4 KiB', '768 MiB', '16 EiB', '~1.5 KiB', '1000 B']);
  });
});

function layout64Digits(text: string): number {
  return layoutMap(mapData(analyzeDocument(text))).axis.digits;
}

describe('SVG', () => {
  const svg = (a: Analysis, name: string, step?: number) => {
    const r = documentMapSvg(a, { name, step });
    if ('error' in r) throw new Error(r.error);
    return r.svg;
  };

  it('golden: a small PC (plain machine)', async () => {
    await expect(svg(analyzeDocument(small), 'small-pc.mrd')).toMatchFileSnapshot('__snapshots__/map-small-pc.svg');
  });

  it('golden: q35-vfio-sizing after step 6 (a BAR beyond the IOMMU and CPU lines)', async () => {
    const out = svg(sample('q35-vfio-sizing.mrd'), 'q35-vfio-sizing.mrd', 6);
    expect(out).toContain('after step 6 of 8 &quot;size-hi&quot;');
    await expect(out).toMatchFileSnapshot('__snapshots__/map-q35-vfio-step6.svg');
  });

  it('every band has a text alternative; names are escaped', () => {
    const out = svg(analyzeDocument('address-space m root r\ncontainer r size 1M {\n  io "a<b&c" size 4K\n}\n'), 'x.mrd');
    expect(out).toContain('<title>a&lt;b&amp;c\n0x0000..0x0fff (4 KiB)');
    expect(out).not.toContain('a<b');
  });

  it('options that do not fit the document are reported, not drawn', () => {
    expect(documentMapSvg(analyzeDocument(small), { name: 'x', space: 'nope' })).toEqual({
      error: "no address space named 'nope' (there are 'memory', 'I/O')",
    });
    expect(documentMapSvg(analyzeDocument(small), { name: 'x', step: 1 })).toEqual({
      error: '--step needs a PCI sequence with steps, and there is none',
    });
  });
});
