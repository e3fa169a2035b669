// The PCI syntax (docs/pci.md) as data: one-line inputs with the diagnostics they must produce
// (code@offset), a golden tree of the docs example, and the never-fails properties on random
// token sequences that mix PCI and region words.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/syntax/parser.js';
import type { PciFunctionNode, SequenceNode } from '../../src/syntax/pciAst.js';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { dumpTree } from './dump.js';

function codes(text: string): string[] {
  return parse(text).diagnostics.map((d) => `${d.code}@${d.span.start}`);
}

const cases: [string, string[]][] = [
  ['pci-host h mem pci io io { }', []],
  ['pci-host h { device 00:03.0 nic model e1000 express command 0x6 { bar 0 mem32 size 128K at 0xfebc_0000 } }', []],
  ['pci-host h { device 00:03.0 nic { bar 0 mem64 size 16K prefetchable region R rom size 256K } }', []],
  ['pci-host h { bridge 00:04.0 rp root-port secondary 1 subordinate 1 { window mem 0xfe80_0000 limit 0xfebf_ffff } }', []],
  ['cpu c phys-bits 46', []],
  ['iommu vtd aw-bits 48 model vtd { devices 01:10.0 00:02.0 }', []],
  ['iommu vtd aw-bits 48 { devices all }', []],
  ['iommu r size 4K', []], // a region
  ['sequence s on 01:10.0 start reset { read 0x10 4 expect 0 write 0x10 4 0xffffffff bar 0 at 0x1000 label l reset on 00:02.0 { read 0 2 } }', []],
  ['sequence s {\n  read 0x10 4\n  write 4 2 6\n}', []],
  // Device addresses: hex bus starting with a letter is a word, read as an address.
  ['pci-host h { device ff:1f.7 d }', []],
  ['pci-host h { device 01:20.0 d }', ['MR1033@20']],
  ['pci-host h { device 01:10.8 d }', ['MR1033@20']],
  ['pci-host h { device 1:2 d }', ['MR1033@20']],
  ['pci-host h { device nic }', ['MR1010@19']],
  ['pci-host h { device 00:03.0 model x }', ['MR1010@27']],
  // Missing pieces.
  ['pci-host h { device 00:03.0 d { bar 0 size 4K } }', ['MR1010@37']],
  ['sequence s { read 0x10 }', ['MR1020@22']],
  ['sequence s { read 0x10 expect 5 }', ['MR1020@22']],
  ['sequence s { write 0x10 4\n read 0 4 }', ['MR1020@25']],
  ['sequence s { label\n reset }', ['MR1010@18']],
  ['sequence s { bar 0 0x1000 }', ['MR1010@18']],
  ['sequence s { on 00:02.0 read 0 4 }', ['MR1010@23']],
  ['sequence s', ['MR1010@10']],
  // Garbage and misplaced statements.
  ['pci-host h { junk 1 2 }', ['MR1030@13']],
  ['pci-host h { device 00:03.0 d junk }', ['MR1031@30']],
  ['pci-host h { bar 0 io size 32 }', ['MR1032@13']],
  ['device 00:03.0 d', ['MR1032@0']],
  ['read 0 4', ['MR1032@0']],
  ['container c { device 00:03.0 d }', ['MR1016@14']],
  ['pci-host h { ram r size 4K }', ['MR1032@13']],
  ['pci-host h { pci-host g }', ['MR1032@13']],
  ['cpu c phys-bits 46 { }', ['MR1031@19']],
  ['pci-host h {', ['MR1013@12']],
  ['sequence s { on 00:02.0 { read 0 4 }', ['MR1013@36']],
  // A statement keyword at the start of a line ends the statement above.
  ['pci-host h mem\npci-host g', ['MR1010@14']],
  // A PCI keyword cannot be a constant; other PCI words can.
  ['const bar = 1', ['MR1017@6']],
  ['const model = 1\nram r size model', []],
];

describe('PCI parse errors', () => {
  it.each(cases)('%j', (text, expected) => {
    expect(codes(text)).toEqual(expected);
  });
});

describe('PCI parse results', () => {
  it('reads device addresses and names', () => {
    const { file } = parse('pci-host h { device 00:1f.3 smbus model ich9 }');
    const d = (file.statements[0] as unknown as { body: { statements: PciFunctionNode[] } }).body.statements[0];
    expect([d.address.bus, d.address.slot, d.address.func, d.address.valid, d.name.text]).toEqual([0, 0x1f, 3, true, 'smbus']);
    expect(d.address.span).toEqual({ start: 20, end: 27 });
  });

  it('keeps steps, labels and on blocks in order', () => {
    const { file } = parse('sequence s on 01:10.0 {\n  label a\n  write 0x14 4 0xffffffff\n  on 00:02.0 { reset }\n}');
    const s = file.statements[0] as SequenceNode;
    expect(s.body!.statements.map((x) => x.kind)).toEqual(['Label', 'WriteStep', 'OnBlock']);
  });

  it('the docs/pci.md examples parse without a diagnostic', () => {
    const md = readFileSync(resolve(__dirname, '../../../docs/pci.md'), 'utf8');
    const blocks = [...md.matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => /^(pci-host|cpu|#)/m.test(b) && !b.includes('STEPS'));
    expect(blocks.length).toBeGreaterThan(0);
    for (const b of blocks) expect(parse(b).diagnostics).toEqual([]);
  });

  it('golden tree of a small description', async () => {
    const text = `pci-host q35 mem pci io io {
  window mem 0x8000_0000 size 2G name pci-hole
  bridge 00:04.0 rp1 root-port secondary 1 subordinate 1 command 0x6 {
    window mem 0xfe80_0000 limit 0xfebf_ffff
    device 01:10.0 nic express command 0x0006 {
      bar 0 mem64 size 16K at 0xfebe_0000
      rom size 256K
    }
  }
}
iommu vtd aw-bits 48 { devices 01:10.0 }
sequence size on 01:10.0 {
  read 0x10 4 expect 0xfebe_0004
  label hi
  write 0x14 4 0xffff_ffff
  on 00:04.0 { write 0x04 2 0 }
  bar 0 at 0xfebe_0000
  reset
}
`;
    const { file, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    await expect(dumpTree(file, text)).toMatchFileSnapshot('__snapshots__/pci-example.ast.txt');
  });
});

const tokens = [
  'pci-host', 'bridge', 'device', 'cpu', 'sequence', 'window', 'bar', 'rom', 'read', 'write', 'label', 'reset',
  'on', 'iommu', 'aw-bits', 'phys-bits', 'devices', 'all', 'model', 'express', 'mem', 'io', 'pref', 'mem32', 'mem64',
  'size', 'at', 'limit', 'expect', 'start', 'command', 'secondary', 'ram', 'const', '{', '}', '(', ')', '=', '-',
  'x', '"q"', '0', '4', '0x10', '16K', '01:10.0', 'ff:00.0', '1:2', '00:20.0', '\n', '#c\n',
  'pci-host h mem m io m {', 'device 00:03.0 d command 6 {', 'bar 0 mem64 size 16K at 0xfebe_0000', 'region m',
  'sequence s on 00:03.0 {', 'write 0x14 4 0xffffffff', 'bar 0 at 0x1000', 'bridge 00:04.0 b secondary 1 subordinate 1 command 7 {',
  'container m size 2^64', 'iommu v aw-bits 40 { devices all }', 'cpu c phys-bits 39', 'write 0x19 1 1', 'write 0x3e 2 0x40',
];

describe('PCI parsing never fails', () => {
  it('on random token sequences', () => {
    const seq = fc.array(fc.constantFrom(...tokens), { maxLength: 60 }).map((t) => t.join(' '));
    fc.assert(fc.property(seq, (text) => {
      const { file, diagnostics } = parse(text);
      expect(file.span).toEqual({ start: 0, end: text.length });
      const starts = diagnostics.map((d) => d.span.start);
      expect(new Set(starts).size).toBe(starts.length);
      checkNesting(file);
      // Build, simulate and check whatever came out: none of it may throw.
      analyzeDocument(text);
    }), { numRuns: 500 });
  });

  it('on deeply nested on blocks', () => {
    const text = 'sequence s {' + ' on 00:00.0 {'.repeat(5000) + '}'.repeat(5001);
    expect(codes(text).map((c) => c.split('@')[0])).toEqual(['MR1015']);
  });
});

/** Every node lies inside its parent, and siblings in lists do not go backwards. */
function checkNesting(root: object): void {
  const stack: [object, number, number][] = [[root, 0, Infinity]];
  while (stack.length > 0) {
    const [node, lo, hi] = stack.pop()!;
    const n = node as { start?: number; end?: number };
    if (typeof n.start === 'number' && typeof n.end === 'number' && (n.start < lo || n.end > hi || n.start > n.end)) {
      throw new Error(`span ${n.start}..${n.end} outside ${lo}..${hi}`);
    }
    const pLo = n.start ?? lo;
    const pHi = n.end ?? hi;
    for (const v of Object.values(node)) {
      if (Array.isArray(v)) {
        let prev = pLo;
        for (const x of v) {
          if ((x as { start: number }).start < prev) throw new Error('list goes backwards');
          prev = (x as { end: number }).end;
          stack.push([x, pLo, pHi]);
        }
      } else if (v && typeof v === 'object') stack.push([v, pLo, pHi]);
    }
  }
}
