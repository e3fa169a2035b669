// Bundles the language server, the CLI (when its source exists), the VS Code client and the
// end-to-end suites with esbuild: CommonJS for Node 20, source maps, `vscode` left external.
// Usage: node scripts/build.mjs [--watch] [--minify]; also importable (`build()`), e.g. by tests.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const r = (p) => path.join(root, p);

/** The bundles: entry → output file. The CLI and the e2e suites are built only if present. */
export function targets() {
  const list = [
    { name: 'server', entry: 'server/src/lsp/main.ts', out: 'server/out/server.js' },
    { name: 'cli', entry: 'server/src/cli/main.ts', out: 'server/out/cli.js', optional: true },
    { name: 'client', entry: 'client/src/extension.ts', out: 'client/out/extension.js', external: ['vscode'] },
  ];
  // The memory-map webview's script: a browser bundle (the panel loads client/out/map.js).
  list.push({ name: 'map webview', entry: 'client/src/map/webview/main.ts', out: 'client/out/map.js', platform: 'browser', format: 'iife' });
  // The end-to-end suites: one bundle, the @vscode/test-electron extensionTestsPath entry.
  list.push({
    name: 'e2e suites', entry: 'client/src/test/suite/index.ts', out: 'client/out/test/suite/index.js',
    external: ['vscode'], optional: true,
  });
  return list.filter((t) => !t.optional || fs.existsSync(r(t.entry)));
}

function options(t, { minify = false } = {}) {
  return {
    absWorkingDir: root,
    entryPoints: [r(t.entry)],
    outfile: r(t.out),
    bundle: true,
    platform: t.platform ?? 'node',
    format: t.format ?? 'cjs',
    target: t.platform === 'browser' ? 'chrome114' : 'node20',
    sourcemap: true,
    sourcesContent: false,
    minify,
    external: t.external ?? [],
    // vscode-languageserver/client pick their Node entry points through `main`.
    mainFields: ['module', 'main'],
    logLevel: 'warning',
  };
}

/** Builds every target once; returns the list of output files. Throws on a build error. */
export async function build(opts = {}) {
  const list = targets();
  await Promise.all(list.map((t) => esbuild.build(options(t, opts))));
  return list.map((t) => t.out);
}

/** True when `out` is missing or older than any .ts file under the given source folders. */
export function isStale(out, sourceDirs = ['server/src', 'client/src']) {
  const file = r(out);
  if (!fs.existsSync(file)) return true;
  const built = fs.statSync(file).mtimeMs;
  const newer = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).some((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? newer(p) : e.name.endsWith('.ts') && fs.statSync(p).mtimeMs > built;
    });
  return sourceDirs.some((d) => fs.existsSync(r(d)) && newer(r(d)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = new Set(process.argv.slice(2));
  const minify = args.has('--minify');
  if (args.has('--watch')) {
    for (const t of targets()) {
      const ctx = await esbuild.context(options(t, { minify }));
      await ctx.watch();
    }
    console.log('watching for changes…');
  } else {
    const t0 = Date.now();
    const outs = await build({ minify });
    console.log(`built ${outs.join(', ')} in ${Date.now() - t0} ms`);
  }
}
