// The memory map in the real workbench UI: opens a sample with a BAR-sizing sequence, runs
// "mrd: Show Memory Map" from the command palette, and inside the webview checks the bands and
// the limit lines, clicks a band (the editor's cursor must move to the declaration), moves the
// step slider to the transient step (the BAR band must lie beyond a limit line) and saves a
// screenshot. Every wait polls with a timeout; nothing sleeps.
import path from 'node:path';
import { launchBrowser, workbenchUrl } from './browser.mjs';

/**
 * scenario: { file, clickRegion, clickLine (1-based), nextRegion, nextLine, step, shot }
 * Returns a list of { name, ok, error? } results.
 */
export async function runMapScenario({ e2eHome, host, folder, extensionPath, scenario, outDir, timeoutMs, log }) {
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
  // The webview's content lives two frames down: VS Code's host frame, then the active frame.
  const map = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  try {
    page.on('pageerror', (e) => log(`[workbench] ${e.message}`));
    await step('workbench loads', async () => {
      await page.goto(workbenchUrl({ host, folder, extensionPath }));
      await page.locator('.monaco-workbench').waitFor(T);
      const hide = page.locator('.part.auxiliarybar .action-label.codicon-auxiliarybar-close').first();
      if (await hide.waitFor({ timeout: 5000 }).then(() => true, () => false)) await hide.click();
    });
    await step(`opens ${scenario.file} and runs "mrd: Show Memory Map"`, async () => {
      const entry = page.locator('.explorer-folders-view .monaco-list-row', { hasText: scenario.file }).first();
      await entry.waitFor(T);
      await entry.click();
      await page.locator('.monaco-editor .view-lines').first().waitFor(T);
      // Wait for the language server (an inlay hint with an absolute address) before asking it.
      await page.locator('.monaco-editor .view-line', { hasText: '@ 0xfec0_0000' }).first().waitFor(T);
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor(T);
      await input.fill('>mrd: Show Memory Map');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Memory Map' }).first().waitFor(T);
      await page.keyboard.press('Enter');
    });
    await step('the map shows bands and limit lines', async () => {
      await map.locator('rect.band').first().waitFor(T);
      // Fit the whole map into the panel so that every line is drawn (lines have no area:
      // attached, not "visible").
      await map.locator('#fit').click();
      await map.locator('line.limit').first().waitFor({ ...T, state: 'attached' });
      const bands = await map.locator('rect.band').count();
      if (bands < 5) throw new Error(`only ${bands} bands drawn`);
      // The "computing" note the page starts with is gone once the map is drawn.
      const note = await map.locator('#message').textContent();
      if (note) throw new Error(`the map still says "${note}"`);
    });
    await step(`clicking "${scenario.clickRegion}" moves the editor's cursor to line ${scenario.clickLine}`, async () => {
      const label = map.locator('svg text', { hasText: new RegExp(`^${scenario.clickRegion}\\b`) }).first();
      await label.waitFor(T);
      const box = await label.boundingBox();
      if (!box) throw new Error(`the label of ${scenario.clickRegion} has no box`);
      // Labels let the mouse through to their band.
      await page.mouse.click(box.x + 4, box.y + box.height / 2);
      const selection = page.locator('[id="status.editor.selection"]');
      await selection.filter({ hasText: `Ln ${scenario.clickLine},` }).waitFor(T);
      // The cursor's declaration is highlighted in the map in turn.
      await map.locator('rect.band.hl').first().waitFor(T);
    });
    await step(`keyboard: Down moves to the next region, Enter goes to its declaration (line ${scenario.nextLine})`, async () => {
      // Revealing focused the editor: give the map the keyboard back (a click on its header,
      // which is no band), then the arrow keys move through the regions of the column.
      const head = await map.locator('svg text.col-title').first().boundingBox();
      await page.mouse.click(head.x + 2, head.y + head.height / 2);
      const before = await map.locator('rect.band.focus').getAttribute('data-i');
      await page.keyboard.press('ArrowDown');
      await map.locator(`rect.band.focus:not([data-i="${before}"])`).waitFor(T);
      await map.locator('#live', { hasText: scenario.nextRegion }).waitFor({ ...T, state: 'attached' });
      await page.keyboard.press('Enter');
      await page.locator('[id="status.editor.selection"]').filter({ hasText: `Ln ${scenario.nextLine},` }).waitFor(T);
    });
    await step(`after step ${scenario.step} the BAR band lies beyond a limit line`, async () => {
      await map.locator('#step').fill(String(scenario.step));
      await map.locator('#stepLabel', { hasText: `step ${scenario.step}/` }).waitFor(T);
      const bar = map.locator('rect.band.beyond').first();
      await bar.waitFor(T);
      // The map redraws for the new step in a frame or two: ask until the drawing settles.
      const crossing = () => bar.evaluate((el) => {
        const y = Number(el.getAttribute('y'));
        return [...document.querySelectorAll('line.limit')].some((l) => Number(l.getAttribute('y1')) <= y);
      }).catch(() => false);
      let crosses = await crossing();
      for (const until = Date.now() + T.timeout; !crosses && Date.now() < until; crosses = await crossing()) {
        await new Promise((r) => setTimeout(r, 100));
      }
      if (!crosses) throw new Error('no limit line above the BAR band');
      const marked = await map.locator('#marks .mark').count();
      if (marked < 1) throw new Error('the slider marks no step');
    });
    await step('screenshot', async () => {
      // More room for the map: hide the side bar; the lanes widen once the panel has resized.
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+B');
      await map.locator('svg text.col-title', { hasText: /^PCI bus 01 memory \(rp0\)$/ }).waitFor(T);
      await map.locator('#fit').click();
      await page.mouse.move(5, 5);
      await page.screenshot({ path: path.join(outDir, scenario.shot) });
    });
  } catch {
    await page.screenshot({ path: path.join(outDir, 'map-failure.png') }).catch(() => {});
  } finally {
    await close();
  }
  return results;
}
