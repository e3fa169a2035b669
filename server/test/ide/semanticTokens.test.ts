import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { semanticTokens } from '../../src/ide/semanticTokens.js';

/** `text:type` of every token. */
function tokens(text: string): string[] {
  return semanticTokens(analyzeDocument(text)).map((t) => `${text.slice(t.span.start, t.span.end)}:${t.type}`);
}

describe('semantic tokens', () => {
  it('tell region names from ids and colour constants; dangling references stay plain', () => {
    expect(tokens(`const RAM = 128M
const HALF = RAM / 2
address-space memory root sys
container sys size 4G {
  alias lo -> pc.ram size HALF
  alias hi -> R0 offset HALF size HALF at 0x1000_0000
  alias bad -> nowhere size 4K
}
ram pc.ram id R0 size RAM
`)).toEqual(['RAM:constant', 'sys:region', 'pc.ram:region', 'HALF:constant', 'R0:regionId', 'HALF:constant', 'HALF:constant', 'RAM:constant']);
  });

  it('colour device addresses in sequences and iommu device lists', () => {
    const text = `container pci-mem size 4G
pci-host pcie mem pci-mem {
  device 00:03.0 {
    bar 0 mem32 size 16K
  }
}
iommu vtd aw-bits 48 { devices 00:03.0 }
sequence probe on 00:03.0 {
  read 0x10 4
}
`;
    expect(tokens(text)).toEqual(['pci-mem:region', '00:03.0:device', '00:03.0:device']);
  });
});
