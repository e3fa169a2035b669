// End-to-end tests in a real VS Code. One entry point, two routes:
//  - electron: @vscode/test-electron downloads VS Code and runs the extension-host suites;
//  - offline:  the VS Code server shipped in the npm package code-server (installed by
//    e2e/install.sh) runs the same suites in its extension host, and chromium drives the
//    real workbench UI for a screenshot.
// E2E_ROUTE=auto (default) takes the electron route when VS Code can be downloaded.
// Prints "e2e: N passed, N failed" last; exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runExtensionHostTests } from './lib/exthost.mjs';
import { runUiScenario } from './lib/ui.mjs';
import { runMapScenario } from './lib/mapUi.mjs';
import { startVscodeServer, toolPaths } from './lib/vscodeServer.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const e2eHome = path.resolve(env.E2E_HOME || path.join(root, '.e2e'));
const outDir = path.join(root, 'test-artifacts');
const suites = path.join(root, 'client/out/test/suite/index.js');
/** Limit for one UI wait; the extension-host suites get 4× that in all. */
const timeoutMs = Number(env.E2E_TIMEOUT_MS || 90_000);
const t0 = Date.now();
const log = (...a) => console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const RESULT = /^MRD-E2E-RESULT (\{.*\})$/;

/**
 * The UI scenario, the README's screenshot: the seed sample (copied into the workspace), its
 * IOMMU-width warning in the editor and the Problems panel, and the hover of the step that
 * causes it (the step's map events come from the hover, not from the diagnostic).
 */
const seedLines = fs.readFileSync(path.join(root, 'samples/q35-vfio-sizing.mrd'), 'utf8').split('\n');
const scenario = {
  file: 'q35-vfio-sizing.mrd',
  problemText: env.E2E_PROBLEM_TEXT || 'exceeds the 48-bit IOMMU',
  hoverLine: seedLines.findIndex((l) => l.trim().startsWith('write 0x14 4 0xffff_ffff')) + 1,
  hoverWord: '0x14 4 0xffff_ffff',
  hoverText: 'map-add BAR0 of 01:10.0 at 0xffff_ffff_febe_0000',
  hoverScroll: true,
  shots: ['vscode-e2e.png'],
};

/** The memory-map scenario, on the sample with a BAR-sizing sequence (copied into the workspace). */
const mapSample = fs.readFileSync(path.join(root, 'samples/q35-vfio-sizing.mrd'), 'utf8').split('\n');
const mapScenario = {
  file: 'q35-vfio-sizing.mrd',
  clickRegion: 'ioapic',
  clickLine: mapSample.findIndex((l) => /^\s*io ioapic\b/.test(l)) + 1,
  // The band below ioapic in the memory column, reached with the Down key.
  nextRegion: 'hpet',
  nextLine: mapSample.findIndex((l) => /^\s*io hpet\b/.test(l)) + 1,
  step: 6,
  shot: 'map.png',
};

/** A scratch copy of the test workspace, so that the suites may edit files freely. */
function makeWorkspace() {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'mrd-e2e-ws-'));
  fs.cpSync(path.join(root, 'client/test/workspace'), ws, { recursive: true });
  // The memory-map suites use the sample with a BAR-sizing sequence.
  fs.copyFileSync(path.join(root, 'samples/q35-vfio-sizing.mrd'), path.join(ws, 'q35-vfio-sizing.mrd'));
  // The visibility check suite: a BAR that firmware places under RAM.
  fs.copyFileSync(path.join(root, 'samples/q35-ram-over-bar.mrd'), path.join(ws, 'q35-ram-over-bar.mrd'));
  // MRD_E2E_FIGURES=1: the benchmark's 100k-region machine, with one deliberate error at the end
  // so that its published diagnostics can be seen (client/src/test/suite/figures.ts).
  if (env.MRD_E2E_FIGURES) {
    const gen = spawnSync(process.execPath, ['--import', 'tsx', '-e',
      "process.stdout.write(require('./bench/generate.ts').generate(100000).mrd)"],
    { cwd: root, maxBuffer: 64 << 20, encoding: 'utf8' });
    if (gen.status !== 0) throw new Error(`generating the 100k-region machine failed: ${gen.stderr}`);
    fs.writeFileSync(path.join(ws, 'generated-100000.mrd'), `${gen.stdout}\nram figures-marker size 2^65\n`);
  }
  return ws;
}

async function canDownloadVscode() {
  try {
    const { downloadAndUnzipVSCode } = await import('@vscode/test-electron');
    let timer;
    const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), 60_000); });
    const exe = await Promise.race([downloadAndUnzipVSCode({ version: 'stable', timeout: 20_000, cachePath: path.join(e2eHome, 'vscode-test') }), timeout]);
    clearTimeout(timer);
    return exe;
  } catch (e) {
    log(`VS Code cannot be downloaded here (${String(e.message ?? e).split('\n')[0]}): offline route`);
    return undefined;
  }
}

async function electronRoute(vscodeExecutablePath, ws) {
  const { runTests } = await import('@vscode/test-electron');
  const code = await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: root,
    extensionTestsPath: suites,
    launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
  }).catch((e) => { log(e.message ?? e); return 1; });
  return code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
}

/** 1. The extension-host suites (the @vscode/test-electron contract) in the server's host. */
async function extensionHostSuites(host, ws) {
  // The extension host's whole console goes to a log file; test lines also to stdout.
  let counted;
  const hostLog = fs.openSync(path.join(outDir, 'extension-host.log'), 'w');
  const code = await runExtensionHostTests({
    e2eHome, host, folder: ws, extensionPath: root, testsPath: suites, timeoutMs: 4 * timeoutMs,
    log: (...a) => {
      const line = a.map(String).join(' ');
      fs.writeSync(hostLog, line + '\n');
      const m = RESULT.exec(line);
      if (m) counted = JSON.parse(m[1]);
      else if (/^\s*[✓✗] |^extension host: |^no result after|^MRD-E2E-FIGURES /.test(line)) console.log(line);
    },
  });
  fs.closeSync(hostLog);
  log(`extension-host suites: exit code ${code}`);
  const totals = counted ?? { passed: 0, failed: 0 };
  if (code !== 0 && totals.failed === 0) totals.failed++;
  return totals;
}

/**
 * Runs a UI scenario, and once more in a fresh browser if a step failed: pointer-driven steps
 * (a hover that must stay open while its content scrolls) can miss on a loaded machine. The
 * first attempt's failure stays in the log; the second attempt's results count.
 */
async function onceAgain(name, run) {
  const first = await run();
  if (first.every((r) => r.ok)) return first;
  const failed = first.find((r) => !r.ok);
  log(`${name}: "${failed?.name}" failed (${failed?.error?.message?.split('\n')[0] ?? 'no result'}); running the scenario once more`);
  return run();
}

async function offlineRoute(ws) {
  if (!fs.existsSync(toolPaths(e2eHome).serverMain) || !fs.existsSync(path.join(e2eHome, 'driver/node_modules/playwright-core'))) {
    log('offline tools missing: running e2e/install.sh');
    const r = spawnSync('bash', [path.join(root, 'e2e/install.sh')], { stdio: 'inherit', env: { ...env, E2E_HOME: e2eHome } });
    if (r.status !== 0) throw new Error('e2e/install.sh failed');
  }
  const server = await startVscodeServer({ e2eHome, logFile: path.join(outDir, 'vscode-server.log') });
  log(`VS Code server on ${server.host}`);
  const totals = { passed: 0, failed: 0 };
  try {
    // E2E_ONLY=ui / E2E_ONLY=exthost runs one part (for working on the tests).
    if (env.E2E_ONLY !== 'ui') {
      const r = await extensionHostSuites(server.host, ws);
      totals.passed += r.passed;
      totals.failed += r.failed;
    }
    if (env.E2E_ONLY === 'exthost') return totals;

    // 2. The real UI in chromium, ending in a screenshot for the README.
    const ui = await onceAgain('UI scenario', () => runUiScenario({
      e2eHome, host: server.host, folder: ws, extensionPath: root, scenario, outDir, timeoutMs, log,
    }));
    for (const r of ui) r.ok ? totals.passed++ : totals.failed++;
    // The README's screenshot is refreshed only on request, so a test run leaves the tree clean.
    if (ui.length > 0 && ui.every((r) => r.ok) && env.MRD_UPDATE_SCREENSHOT === '1') {
      fs.copyFileSync(path.join(outDir, scenario.shots[0]), path.join(root, 'docs/screenshot.png'));
      log('screenshot: test-artifacts/vscode-e2e.png, copied to docs/screenshot.png');
    }

    // 3. The memory map's webview in the real UI, ending in test-artifacts/map.png.
    const mapUi = await onceAgain('memory-map scenario', () => runMapScenario({
      e2eHome, host: server.host, folder: ws, extensionPath: root, scenario: mapScenario, outDir, timeoutMs, log,
    }));
    for (const r of mapUi) r.ok ? totals.passed++ : totals.failed++;
    if (mapUi.length > 0 && mapUi.every((r) => r.ok) && env.MRD_UPDATE_SCREENSHOT === '1') {
      fs.copyFileSync(path.join(outDir, mapScenario.shot), path.join(root, 'docs/map.png'));
      log('screenshot: test-artifacts/map.png, copied to docs/map.png');
    }
  } finally {
    await server.stop();
  }
  return totals;
}

fs.mkdirSync(outDir, { recursive: true });
if (!fs.existsSync(suites)) {
  console.error(`${path.relative(root, suites)} is missing: run npm run build first`);
  process.exit(1);
}
const ws = makeWorkspace();
const route = env.E2E_ROUTE || 'auto';
let totals;
try {
  const exe = route === 'offline' ? undefined : await canDownloadVscode();
  if (route === 'electron' && !exe) throw new Error('E2E_ROUTE=electron but VS Code could not be downloaded');
  totals = exe ? await electronRoute(exe, ws) : await offlineRoute(ws);
} catch (e) {
  console.error(e);
  totals = { passed: 0, failed: 1 };
} finally {
  fs.rmSync(ws, { recursive: true, force: true });
}
log(`done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
console.log(`e2e: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 && totals.passed > 0 ? 0 : 1);
