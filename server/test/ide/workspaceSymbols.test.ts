import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { fuzzyMatch, workspaceSymbols } from '../../src/ide/workspaceSymbols.js';

const pc = `const RAM = 128M
address-space memory root system
container system size 4G {
  alias ram-below-4g -> pc.ram size RAM
  rom pc.bios size 256K at 0xfffc_0000
}
ram pc.ram size RAM
`;

describe('workspace symbols', () => {
  const docs = [
    { uri: 'file:///a.mrd', analysis: analyzeDocument(pc) },
    { uri: 'file:///b.mrd', analysis: analyzeDocument('ram other.ram size 4K\n') },
  ];

  it('lists regions, constants and address spaces of every document, nested ones with their container', () => {
    const all = workspaceSymbols(docs, '').map((s) => `${s.uri.slice(8)} ${s.kind} ${s.name}${s.container ? ` in ${s.container}` : ''}`);
    expect(all).toEqual([
      'a.mrd const RAM',
      'a.mrd space memory',
      'a.mrd container system',
      'a.mrd alias ram-below-4g in system',
      'a.mrd region pc.bios in system',
      'a.mrd region pc.ram',
      'b.mrd region other.ram',
    ]);
  });

  it('filters by a fuzzy, case-insensitive query and points at the name', () => {
    const hits = workspaceSymbols(docs, 'PCBi');
    expect(hits).toHaveLength(1);
    expect(pc.slice(hits[0].span.start, hits[0].span.end)).toBe('pc.bios');
    expect(workspaceSymbols(docs, '.ram').map((s) => s.name)).toEqual(['pc.ram', 'other.ram']);
    expect(fuzzyMatch('rb4', 'ram-below-4g')).toBe(true);
    expect(fuzzyMatch('4r', 'ram-below-4g')).toBe(false);
  });

  it('includes PCI hosts and devices', () => {
    const a = analyzeDocument(`container pci-mem size 4G
pci-host pcie mem pci-mem {
  device 00:03.0 {
    bar 0 mem32 size 16K
  }
}
`);
    const kinds = workspaceSymbols([{ uri: 'file:///p.mrd', analysis: a }], '').map((s) => `${s.kind} ${s.name}`);
    expect(kinds).toContain('pci pcie');
    expect(kinds.filter((k) => k.startsWith('pci ')).length).toBeGreaterThanOrEqual(2);
  });
});
