// Several files never crash or hang the core: random token soups split over files that include
// each other in any pattern (cycles, self-includes, diamonds, missing, binary, directories,
// a provider that throws) go through every layer (harness.ts), with spans checked per file.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IncludeContext, IncludeRead } from '../../src/model/include.js';
import { exercise, grammarTokens } from './harness.js';

const names = ['a.mrd', 'b.mrd', 'c.mrd', 'sub/d.mrd', '../e.mrd', 'missing.mrd', 'bin.mrd', 'dir', 'boom.mrd'];
const line = fc.oneof(
  fc.constantFrom(...names).map((n) => `include "${n}"`),
  fc.array(fc.constantFrom(...grammarTokens), { maxLength: 8 }).map((t) => t.join(' ')),
  fc.constantFrom('ram r size 4K', 'container c size 64K {', '}', 'alias x -> r size 1K', 'const K = 4K', 'address-space m root c', 'alias y -> c/r'),
);
const text = fc.array(line, { maxLength: 12 }).map((ls) => ls.join('\n'));

function provider(files: Record<string, string>): IncludeContext {
  return {
    path: '/w/a.mrd',
    read(p): IncludeRead {
      if (p.endsWith('/boom.mrd')) throw new Error('provider failed');
      if (p.endsWith('/bin.mrd')) return { error: 'binary' };
      if (p.endsWith('/dir')) return { error: 'directory' };
      const t = files[p];
      return t === undefined ? { error: 'missing' } : { text: t };
    },
  };
}

describe('includes under random input', () => {
  it('random files including each other', () => {
    fc.assert(
      fc.property(text, text, text, text, text, (a, b, c, d, e) => {
        const files = { '/w/a.mrd': a, '/w/b.mrd': b, '/w/c.mrd': c, '/w/sub/d.mrd': d, '/e.mrd': e };
        const an = exercise(a, { include: provider(files), offsets: [0, a.indexOf('include') + 9, a.length >> 1, a.length] });
        // Each file is read at most once per analysis.
        const paths = an.includes!.files.map((f) => f.path);
        expect(new Set(paths).size).toBe(paths.length);
      }),
      { numRuns: 300 },
    );
  });

  it('a chain of 1000 files and a file including itself through every other', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) files[`/w/f${i}.mrd`] = `include "f${i + 1}.mrd"\ninclude "a.mrd"\nram r${i} size 4K\n`;
    const a = exercise('include "f0.mrd"\n', { include: { path: '/w/a.mrd', read: (p) => (p in files ? { text: files[p] } : { error: 'missing' }) } });
    expect(a.diagnostics.map((d) => d.code)).toEqual(['MR2026']);
    expect(a.includes!.files).toHaveLength(16);
  });
});
