import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { suppressions } from '../../src/ide/suppress.js';
import { checkDiagnostics } from './support.js';

const base = `address-space memory root sys
container sys size 4G {
`;

describe('# mrd-ignore', () => {
  it('reports the diagnostic without a directive', () => {
    checkDiagnostics(`${base}  alias a -> nowhere size 4K
#            ^^^^^^^ error MR2010: no region named 'nowhere'
}
`);
  });

  it('suppresses the named code on its own line, or on the next line when alone', () => {
    checkDiagnostics(`${base}  alias a -> nowhere size 4K at 0 # mrd-ignore MR2010
  # mrd-ignore MR2010
  alias b -> nowhere size 4K at 0x1000
  # mrd-ignore MR9999, MR2001
  alias c -> nowhere size 4K at 0x2000
#            ^^^^^^^ error MR2010: no region named 'nowhere'
}
`);
  });

  it('a bare directive suppresses every code; a # inside a string is not a comment', () => {
    checkDiagnostics(`${base}  # mrd-ignore
  alias a -> nowhere size 4K
  alias "x # mrd-ignore" -> nowhere size 4K at 0x1000
#                           ^^^^^^^ error MR2010: no region named 'nowhere'
}
`);
  });

  it('applies to the analysis the CLI reads, and only to the line it targets', () => {
    const text = `${base}  # mrd-ignore MR2010\n\n  alias a -> nowhere size 4K\n}\n`;
    expect(analyzeDocument(text).diagnostics.map((d) => d.code)).toEqual(['MR2010']);
    expect([...suppressions('x # mrd-ignore mr2010\r\n# mrd-ignore\r\ny').entries()])
      .toEqual([[0, new Set(['MR2010'])], [2, 'all']]);
  });
});
