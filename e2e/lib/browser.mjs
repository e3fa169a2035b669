// Headless Debian chromium driven by playwright-core (installed by e2e/install.sh; it downloads
// no browser), and the workbench URL that loads the extension under development.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

function playwright(e2eHome) {
  try {
    return createRequire(import.meta.url)('playwright-core');
  } catch {
    return createRequire(path.join(e2eHome, 'driver', 'package.json'))('playwright-core');
  }
}

/** A fresh profile per launch: reused profiles restore old windows and editors. */
export async function launchBrowser(e2eHome) {
  const { chromium } = playwright(e2eHome);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mrd-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 860 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync',
      '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage'],
  });
  // A loaded machine can take well over playwright's default 30 s to load the workbench.
  const navTimeout = Number(process.env.E2E_NAV_TIMEOUT_MS || 180_000);
  context.setDefaultNavigationTimeout(navTimeout);
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultNavigationTimeout(navTimeout);
  return {
    page,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The workbench of the VS Code server at `host`, with `folder` open and the extension at
 * `extensionPath` loaded as "under development" (needs --enable-smoke-test-driver); with
 * `testsPath`, the workbench runs that module in the extension host and reports its exit code.
 */
export function workbenchUrl({ host, folder, extensionPath, testsPath }) {
  const remote = (p) => `vscode-remote://${host}${p}`;
  const payload = [['extensionDevelopmentPath', remote(extensionPath)]];
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  return `http://${host}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
