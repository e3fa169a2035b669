import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { docsLinks, documentDiagnostics } from '../../src/ide/diagnostics.js';
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
    const docs = docsLinks('# Codes\n\n#### MR2001 — error\ntext\n#### MR2010 — error\n', 'file:///x/language.md');
    const [d] = documentDiagnostics(a, { docs, severity: { MR2010: 'warning' } });
    expect(d).toMatchObject({ code: 'MR2010', severity: 'warning', docs: 'file:///x/language.md#L5' });
    expect(docs('MR9999')).toBeUndefined();
    expect(documentDiagnostics(a, { severity: { MR2010: 'off' } })).toEqual([]);
  });
});

describe('the language reference', () => {
  it('documents every code the catalogue has', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const { catalog } = await import('../../src/base/catalog/index.js');
    const docs = docsLinks(fs.readFileSync(path.join(__dirname, '../../../docs/language.md'), 'utf8'), 'x');
    const pci = fs.existsSync(path.join(__dirname, '../../../docs/pci.md'))
      ? docsLinks(fs.readFileSync(path.join(__dirname, '../../../docs/pci.md'), 'utf8'), 'x') : () => undefined;
    const undocumented = [...catalog.keys()].filter((c) => c < 'MR3000' && !docs(c) && !pci(c));
    expect(undocumented).toEqual([]);
  });
});

describe('related locations', () => {
  it('point at the candidates of an ambiguous reference, and go to definition offers them all', async () => {
    const { definition } = await import('../../src/ide/navigation.js');
    const text = `address-space memory root sys
container sys size 4G {
  io msix size 4K
  container dev size 64K at 0x10000 {
    io msix size 4K
  }
  alias a -> msix size 4K at 0x20000
}
`;
    const a = analyzeDocument(text);
    const [d] = documentDiagnostics(a);
    expect(d.code).toBe('MR2011');
    expect(d.related.map((r) => text.slice(r.span.start, r.span.end))).toEqual(['msix', 'msix']);
    const at = text.indexOf('-> msix') + 4;
    expect(definition(a, at).map((s) => s.start)).toEqual(d.related.map((r) => r.span.start));
  });
});

describe('quick fixes', () => {
  it('offers the fixes diagnostics carry, for the requested range only', async () => {
    const { quickFixes } = await import('../../src/ide/codeActions.js');
    const base = analyzeDocument('ram a size 4K\n');
    const fix = { title: 'use 8K', edits: [{ span: { start: 11, end: 13 }, text: '8K' }] };
    const a = { ...base, diagnostics: [{ code: 'MR9999', severity: 'warning' as const, message: 'm', span: { start: 11, end: 13 }, fix }] };
    expect(quickFixes(a, { start: 12, end: 12 })).toEqual([{ title: 'use 8K', code: 'MR9999', span: { start: 11, end: 13 }, edits: fix.edits }]);
    expect(quickFixes(a, { start: 0, end: 3 })).toEqual([]);
  });
});
