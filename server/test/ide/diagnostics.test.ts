import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { documentDiagnostics } from '../../src/ide/diagnostics.js';
import { checkDiagnostics } from './support.js';

describe('diagnostics', () => {
  it('reports catalogue diagnostics where they belong', () => {
    checkDiagnostics(`address-space memory root sys
container sys size 4G {
  alias a -> nowhere size 4K
#            ^^^^^^^ error MR2010: no region named 'nowhere'
}
`);
  });

  it('applies severity overrides and links codes to the docs', () => {
    const a = analyzeDocument('alias a -> nowhere\n');
    const [d] = documentDiagnostics(a, { docsUrl: 'file:///x/language.md', severity: { MR2010: 'warning' } });
    expect(d).toMatchObject({ code: 'MR2010', severity: 'warning', docs: 'file:///x/language.md#mr2010' });
    expect(documentDiagnostics(a, { severity: { MR2010: 'off' } })).toEqual([]);
  });
});
