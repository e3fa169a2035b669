// docs/language.md stays true: its examples analyse with exactly the diagnostics their
// comments announce, and every 1xxx/2xxx/3xxx code in the catalogue is documented there.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntaxCodes } from '../../src/base/catalog/syntax.js';
import { structureCodes } from '../../src/base/catalog/structure.js';
import { flattenCodes } from '../../src/base/catalog/flatten.js';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { visibilityDiagnostics } from '../../src/ide/visibility.js';

const doc = readFileSync(resolve(__dirname, '../../../docs/language.md'), 'utf8');
const blocks = [...doc.matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1]);

describe('docs/language.md', () => {
  it.each(blocks.map((b, i) => [i, b] as const))('example %i analyses as announced', (_i, block) => {
    const announced = [...block.matchAll(/# (?:error|warning|information) (MR\d{4})/g)].map((m) => m[1]);
    // As `mrd check` reports them: the analysis and the visibility checks, in text order.
    const a = analyzeDocument(block);
    const all = a.diagnostics.concat(visibilityDiagnostics(a)).sort((x, y) => x.span.start - y.span.start);
    expect(all.map((d) => d.code)).toEqual(announced);
  });

  it.each([...syntaxCodes, ...structureCodes, ...flattenCodes].map((e) => [e.code, e.severity]))('documents %s', (code, severity) => {
    expect(doc).toContain(`#### ${code} — ${severity}`);
  });
});
