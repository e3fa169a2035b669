// Oracle acceptance for `mrd import-mtree`: for every real QEMU 7.2 capture, import the
// `info mtree -D` dump, emit .mrd text, analyse that text back into a machine, and print it
// again: `info mtree -f`, `info mtree` and `info mtree -D` must equal the captures except for
// what no dump records (spec §5.3). AS lines in flat blocks are compared in exact order, the
// creation order being recovered from `info qtree`.
import { afterAll, describe, expect, it } from 'vitest';
import type { Machine } from '../../src/model/region.js';
import { analyzeText } from '../../src/model/analyze.js';
import { importMtree } from '../../src/importer/index.js';
import { parseMtreeDump } from '../../src/importer/mtreeDump.js';
import { printMtree } from '../../src/engine/mtreePrint.js';
import { printFlat } from '../../src/engine/flatPrint.js';
import {
  captures,
  compareFlat,
  compareTree,
  oracleAvailable,
  readCapture,
  type Capture,
  type Comparison,
} from './oracleSupport.js';

interface Outcome {
  flat: Comparison;
  /** Without `info qtree`: AS lines of a flat block compared as a set (R-DUMP-1). */
  flatNoHint: Comparison;
  tree: Comparison;
  treeD: Comparison;
}

/** Import the dump, emit .mrd, analyse the text: the machine every comparison prints. */
function machineFor(c: Capture): Machine {
  const qtree = c.files.qtree ? readCapture(c.files.qtree) : undefined;
  const imported = importMtree(readCapture(c.files.mtreeD), { qtree });
  const errors = imported.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
  expect(errors.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const analysed = analyzeText(imported.text);
  const bad = analysed.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
  expect(bad.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return analysed.machine;
}

const results = new Map<string, Outcome>();

describe.skipIf(!oracleAvailable())('oracle: import-mtree round trip against QEMU 7.2 captures', () => {
  const all = oracleAvailable() ? captures() : [];

  it('lists 20 captures', () => {
    expect(all.length).toBe(20);
  });

  for (const c of all) {
    describe(c.name, () => {
      let outcome: Outcome | undefined;
      const get = (): Outcome => {
        if (!outcome) {
          const machine = machineFor(c);
          outcome = {
            flat: compareFlat(readCapture(c.files.flat), printFlat(machine), true),
            flatNoHint: compareFlat(readCapture(c.files.flat), printFlat(importMtree(readCapture(c.files.mtreeD)).machine), false),
            tree: compareTree(readCapture(c.files.mtree), printMtree(machine, { disabled: false })),
            treeD: compareTree(readCapture(c.files.mtreeD), printMtree(machine, { disabled: true })),
          };
          results.set(c.name, outcome);
        }
        return outcome;
      };
      it('info mtree -f', () => expect(get().flat.report).toBe(''));
      it('info mtree -f without qtree (AS lines as a set)', () => expect(get().flatNoHint.report).toBe(''));
      it('info mtree', () => expect(get().tree.report).toBe(''));
      it('info mtree -D', () => expect(get().treeD.report).toBe(''));
    });
  }

  it('imports truncated and garbled captures without throwing, into text that analyses cleanly', () => {
    for (const c of all) {
      const full = readCapture(c.files.mtreeD);
      const variants = [0.1, 0.5, 0.9].map((f) => full.slice(0, Math.floor(full.length * f)));
      variants.push(full.split('\n').filter((_, i) => i % 7 !== 3).join('\n'));
      for (const v of variants) {
        const r = importMtree(v);
        const bad = analyzeText(r.text).diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
        expect(bad.map((d) => `${c.name}: ${d.code} ${d.message}`)).toEqual([]);
      }
    }
  });

  afterAll(() => {
    const n = results.size;
    const count = (k: keyof Outcome) => [...results.values()].filter((o) => o[k].ok).length;
    console.log(
      `oracle (import → .mrd → analyzeText → print): flat ${count('flat')}/${n}, tree ${count('tree')}/${n}, treeD ${count('treeD')}/${n}` +
        ` (flat without qtree, AS lines as a set: ${count('flatNoHint')}/${n})`,
    );
  });
});

describe('mtree dump reader', () => {
  const dump = [
    'address-space: memory',
    '  0000000000000000-ffffffffffffffff (prio 0, i/o): system',
    '    0000000000000000-0000000007ffffff (prio 0, ram): alias ram @pc.ram 0000000000000000-0000000007ffffff [disabled]',
    '    00000000fee00000-00000000feefffff (prio 4096, nv-ram): a9gtimer shared',
    '',
    'memory-region: pc.ram',
    '  0000000000000000-0000000007ffffff (prio 0, ram): pc.ram',
    '',
    '',
  ].join('\r\n');

  it('reads groups, blocks, aliases, flags and names with spaces', () => {
    const d = parseMtreeDump(dump);
    expect(d.diagnostics).toEqual([]);
    expect(d.groups.map((g) => g.names)).toEqual([['memory']]);
    const sys = d.groups[0].root!;
    expect(sys.children.map((c) => c.name)).toEqual(['ram', 'a9gtimer shared']);
    expect(sys.children[0].alias).toEqual({ target: 'pc.ram', offset: 0n, end: 0x7ffffffn });
    expect(sys.children[0].disabled).toBe(true);
    expect(sys.children[1].nonvolatile).toBe(true);
    expect(sys.children[1].priority).toBe(4096);
    expect(d.blocks.map((b) => b.name)).toEqual(['pc.ram']);
  });

  it('reports garbled lines, indentation jumps and truncation with line numbers, never throws', () => {
    const bad = [
      'address-space: memory',
      '  0000000000000000-ffffffffffffffff (prio 0, i/o): system',
      '        0000000000000000-0000000000000fff (prio 0, i/o): deep',
      '    this is not a region line',
      '    0000000000001000-00000000000010',
    ].join('\n');
    const d = parseMtreeDump(bad);
    const codes = d.diagnostics.map((x) => x.code);
    expect(codes).toContain('MR7002');
    expect(codes).toContain('MR7001');
    expect(codes).toContain('MR7008');
    expect(d.diagnostics.find((x) => x.code === 'MR7002')!.message).toMatch(/^line 3:/);
    expect(d.groups[0].root!.children.map((c) => c.name)).toEqual(['deep']);
    expect(() => parseMtreeDump('\u0000garbage\n\n\n(prio')).not.toThrow();
  });

  it('imports a dump cut off inside the alias blocks with diagnostics', () => {
    const cut = dump.split('\r\n').slice(0, 5).join('\n');
    const r = importMtree(cut);
    expect(r.diagnostics.map((x) => x.code)).toContain('MR7005');
    expect(r.text).toContain('address-space memory root system');
  });
});

describe('import rules', () => {
  it('keeps equal-address, equal-priority siblings newest first and sizes closed windows 0', () => {
    const text = [
      'address-space: memory',
      '  0000000000000000-ffffffffffffffff (prio 0, i/o): system',
      '    0000000000000000-0000000000000000 (prio 1, i/o): alias pci_bridge_mem @pci_bridge_pci 0000000000000000-0000000000000000',
      '    0000000000000060-0000000000000060 (prio 0, i/o): port',
      '    00000000000c0000-00000000000c3fff (prio 1, ram): alias pam-ram @pc.ram 00000000000c0000-00000000000c3fff [disabled]',
      '    00000000000c0000-00000000000c3fff (prio 1, ram): alias pam-rom @pc.ram 00000000000c0000-00000000000c3fff',
      '',
      'memory-region: pci_bridge_pci',
      '  0000000000000000-ffffffffffffffff (prio 0, i/o): pci_bridge_pci',
      '',
      'memory-region: pc.ram',
      '  0000000000000000-0000000007ffffff (prio 0, ram): pc.ram',
      '',
      '',
    ].join('\n');
    const { machine, text: mrd } = importMtree(text);
    const sys = machine.spaces[0].root!;
    expect(sys.children.map((c) => c.name)).toEqual(['pam-ram', 'pam-rom', 'pci_bridge_mem', 'port']);
    expect(sys.children.find((c) => c.name === 'pci_bridge_mem')!.size).toBe(0n);
    expect(sys.children.find((c) => c.name === 'port')!.size).toBe(1n);
    expect(sys.children.find((c) => c.name === 'pam-rom')!.readonly).toBe(true);
    expect(machine.regions.find((r) => r.name === 'pci_bridge_pci')!.kind).toBe('container');
    expect(machine.regions.find((r) => r.name === 'port')!.kind).toBe('io');
    // Later statements are newer: pam-rom is written before pam-ram.
    expect(mrd.indexOf('pam-rom')).toBeLessThan(mrd.indexOf('pam-ram'));
    expect(printMtree(machine, { disabled: true })).toBe(text);
  });

  it('tells apart equal names by replaying the alias queue', () => {
    // Two bridges: each pair of windows targets its own secondary bus, both named alike.
    const text = [
      'address-space: memory',
      '  0000000000000000-ffffffffffffffff (prio 0, i/o): system',
      '    0000000000001000-0000000000001fff (prio 1, i/o): alias w @bus 0000000000001000-0000000000001fff',
      '    0000000000002000-0000000000002fff (prio 1, i/o): alias w @bus 0000000000002000-0000000000002fff',
      '    0000000000003000-0000000000003fff (prio 1, i/o): alias w @bus 0000000000003000-0000000000003fff',
      '',
      'memory-region: bus',
      '  0000000000000000-ffffffffffffffff (prio 0, i/o): bus',
      '    0000000000001000-0000000000001fff (prio 0, i/o): dev-a',
      '',
      'memory-region: bus',
      '  0000000000000000-ffffffffffffffff (prio 0, i/o): bus',
      '    0000000000003000-0000000000003fff (prio 0, i/o): dev-b',
      '',
      '',
    ].join('\n');
    const { machine, text: mrd, diagnostics } = importMtree(text);
    expect(diagnostics.filter((d) => d.severity !== 'information')).toEqual([]);
    const [w1, w2, w3] = machine.spaces[0].root!.children.slice().reverse();
    expect(w1.alias).toBe(w2.alias);
    expect(w3.alias).not.toBe(w1.alias);
    expect(mrd).toMatch(/container bus id bus_1/);
    expect(printMtree(machine, { disabled: true })).toBe(text);

    // A block no alias can have queued is reported alone; the others still line up.
    const extra = text + ['memory-region: stray', '  0000000000000000-0000000000000fff (prio 0, ram): stray', '', ''].join('\n');
    const r2 = importMtree(extra);
    expect(r2.diagnostics.filter((d) => d.severity !== 'information').map((d) => d.code)).toEqual(['MR7006']);
    const [v1, , v3] = r2.machine.spaces[0].root!.children.slice().reverse();
    expect(v3.alias).not.toBe(v1.alias);
  });
});
