// Drives the real workbench UI in chromium: opens a sample from the Explorer, waits for the
// language server's squiggle and Problems row, hovers a region name until the resolved
// address shows, and saves screenshots. Every wait polls with a timeout; nothing sleeps.
import path from 'node:path';
import { launchBrowser, workbenchUrl } from './browser.mjs';

/**
 * scenario: { file, problemText, hoverLine (1-based), hoverWord, hoverText, shots }
 * Returns a list of { name, ok, error? } results.
 */
export async function runUiScenario({ e2eHome, host, folder, extensionPath, scenario, outDir, timeoutMs, log }) {
  const { page, close } = await launchBrowser(e2eHome);
  const results = [];
  const step = async (name, fn) => {
    const t0 = Date.now();
    try {
      await fn();
      results.push({ name, ok: true });
      log(`  ✓ ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      results.push({ name, ok: false, error: e });
      log(`  ✗ ${name}: ${e.message.split('\n')[0]}`);
      throw e;
    }
  };
  const T = { timeout: timeoutMs };
  try {
    page.on('pageerror', (e) => log(`[workbench] ${e.message}`));
    await step('workbench loads', async () => {
      await page.goto(workbenchUrl({ host, folder, extensionPath }));
      await page.locator('.monaco-workbench').waitFor(T);
    });
    await step(`opens ${scenario.file} from the Explorer`, async () => {
      const entry = page.locator('.explorer-folders-view .monaco-list-row', { hasText: scenario.file }).first();
      await entry.waitFor(T);
      await entry.click();
      await page.locator('.monaco-editor .view-lines').first().waitFor(T);
    });
    await step('squiggle and Problems row appear', async () => {
      await page.locator('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning').first().waitFor(T);
      await page.keyboard.press('Control+Shift+M');
      await page.locator('.markers-panel .monaco-list-row', { hasText: scenario.problemText }).first().waitFor(T);
    });
    await step(`hover on "${scenario.hoverWord}" shows ${scenario.hoverText}`, async () => {
      // The target line must be rendered: go there first (Ctrl+G), then hover the word.
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+G');
      await page.keyboard.type(String(scenario.hoverLine));
      await page.keyboard.press('Enter');
      const word = page.locator('.monaco-editor .view-line span span', { hasText: scenario.hoverWord }).first();
      await word.waitFor(T);
      const box = await word.boundingBox();
      const hover = page.locator('.monaco-hover', { hasText: scenario.hoverText }).first();
      let shown = false;
      // The first mouse move after a focus change can be swallowed: retry a few times.
      for (let i = 0; i < 8 && !shown; i++) {
        await page.mouse.move(box.x + 2 + i, box.y + box.height / 2);
        await page.mouse.move(box.x + 5 + i, box.y + box.height / 2);
        shown = await hover.waitFor({ state: 'visible', timeout: 4000 }).then(() => true, () => false);
      }
      if (!shown) throw new Error(`no hover containing "${scenario.hoverText}"`);
    });
    await step('screenshot', async () => {
      for (const shot of scenario.shots) await page.screenshot({ path: path.join(outDir, shot) });
    });
  } catch {
    await page.screenshot({ path: path.join(outDir, 'ui-failure.png') }).catch(() => {});
  } finally {
    await close();
  }
  return results;
}
