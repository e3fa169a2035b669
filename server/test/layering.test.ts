// Imports run one way: base ← syntax ← model ← engine/importer ← ide ← lsp/cli, and only
// lsp/ imports vscode-languageserver. Reads the sources; fails on a forbidden import.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const src = path.resolve(__dirname, '../src');
const rank: Record<string, number> = { base: 0, syntax: 1, model: 2, engine: 3, importer: 4, ide: 5, lsp: 6, cli: 6 };

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

it('no layer imports a layer above it; only lsp/ imports vscode-languageserver', () => {
  const problems: string[] = [];
  for (const f of files(src)) {
    const layer = path.relative(src, f).split(path.sep)[0];
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[1];
      if (spec.startsWith('vscode-languageserver') && layer !== 'lsp') problems.push(`${path.relative(src, f)} imports ${spec}`);
      if (!spec.startsWith('.')) continue;
      const target = path.relative(src, path.resolve(path.dirname(f), spec)).split(path.sep)[0];
      if (target in rank && layer in rank && rank[target] > rank[layer]) {
        problems.push(`${path.relative(src, f)} (${layer}) imports ${spec} (${target})`);
      }
      if (target === 'cli' && layer === 'lsp') problems.push(`${path.relative(src, f)} imports the CLI`);
    }
  }
  expect(problems).toEqual([]);
});
