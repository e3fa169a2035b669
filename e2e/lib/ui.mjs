// Drives the real workbench UI in chromium: opens a sample from the Explorer, waits for the
// language server's squiggle and Problems row, hovers a word until the expected text
// shows, and saves screenshots. Every wait polls with a timeout; nothing sleeps.
import path from 'node:path';
import { launchBrowser, workbenchUrl } from './browser.mjs';

/**
 * scenario: { file, problemText, hoverLine (1-based), hoverWord, hoverText, hoverScroll?, shots }
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
  /** Ctrl+G to a 1-based line, so that it is rendered (the editor only renders what is in view). */
  const goToLine = async (line) => {
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(line));
    await page.keyboard.press('Enter');
  };
  try {
    page.on('pageerror', (e) => log(`[workbench] ${e.message}`));
    await step('workbench loads', async () => {
      await page.goto(workbenchUrl({ host, folder, extensionPath }));
      await page.locator('.monaco-workbench').waitFor(T);
      // A clean screenshot: hide the secondary side bar (chat) that this build opens.
      const hide = page.locator('.part.auxiliarybar .action-label.codicon-auxiliarybar-close').first();
      if (await hide.waitFor({ timeout: 5000 }).then(() => true, () => false)) await hide.click();
    });
    await step(`opens ${scenario.file} from the Explorer`, async () => {
      const entry = page.locator('.explorer-folders-view .monaco-list-row', { hasText: scenario.file }).first();
      await entry.waitFor(T);
      await entry.click();
      await page.locator('.monaco-editor .view-lines').first().waitFor(T);
    });
    await step('squiggle and Problems row appear', async () => {
      // The problem may lie below the fold: bring the scenario's line into view first.
      await goToLine(scenario.hoverLine);
      await page.locator('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning').first().waitFor(T);
      await page.keyboard.press('Control+Shift+M');
      await page.locator('.markers-panel .monaco-list-row', { hasText: scenario.problemText }).first().waitFor(T);
    });
    await step(`hover on "${scenario.hoverWord}" shows ${scenario.hoverText}`, async () => {
      // The target line must be rendered: go there first (the Problems panel took room), then hover the word.
      await goToLine(scenario.hoverLine);
      await page.locator('.monaco-editor .view-line', { hasText: scenario.hoverWord }).first().waitFor(T);
      // Room for a tall hover above the line: scroll it down one line at a time (Ctrl+Up)
      // while it stays four lines above the editor's lower edge, each time polling until the
      // editor has drawn the new position.
      const editor = await page.locator('.monaco-editor .overflow-guard', {
        has: page.locator('.view-line', { hasText: scenario.hoverWord }),
      }).first().boundingBox();
      const settled = async () => {
        let prev = null;
        for (let i = 0; i < 40; i++) {
          const b = await page.evaluate(wordBox, scenario.hoverWord);
          if (b && prev && b.y === prev.y) return b;
          prev = b;
          await page.waitForTimeout(50);
        }
        return prev;
      };
      for (let i = 0; i < 40 && editor; i++) {
        const b = await settled();
        if (!b || b.y + 5 * b.height > editor.y + editor.height) break;
        await page.keyboard.press('Control+ArrowUp');
      }
      await settled();
      const box = await page.evaluate(wordBox, scenario.hoverWord);
      if (!box) throw new Error(`"${scenario.hoverWord}" is not rendered`);
      const hover = page.locator('.monaco-hover', { hasText: scenario.hoverText }).first();
      const showHover = async () => {
        // The first mouse move after a focus change can be swallowed: retry a few times.
        for (let i = 0; i < 8; i++) {
          await page.mouse.move(box.x + 1, box.y + box.height / 2);
          await page.mouse.move(box.x + box.width / 2 + (i % 3), box.y + box.height / 2);
          if (await hover.waitFor({ state: 'visible', timeout: 4000 }).then(() => true, () => false)) return true;
        }
        return false;
      };
      // A hover is at most about 250 px high and the diagnostics come first: scroll its content
      // to the end, where the symbol's own part is. The pointer jumps straight up onto the
      // hover (which sits right above the line) so that it stays open; small wheel steps stop
      // once the expected text is above the hover's status bar (a wheel past the end would
      // scroll the editor instead).
      const scrollHover = async () => {
        const h = await hover.boundingBox();
        if (!h) return false;
        const x = Math.min(Math.max(box.x + box.width / 2, h.x + 20), h.x + h.width - 20);
        await page.mouse.move(x, h.y + h.height - 40);
        const text = hover.getByText(scenario.hoverText).first();
        for (let i = 0; i < 40; i++) {
          const b = await text.boundingBox();
          if (!b || b.y + b.height <= h.y + h.height - 30) break;
          await page.mouse.wheel(0, 40);
        }
        return hover.isVisible();
      };
      let ok = false;
      for (let attempt = 0; attempt < 3 && !ok; attempt++) {
        if (!(await showHover())) throw new Error(`no hover containing "${scenario.hoverText}"`);
        ok = !scenario.hoverScroll || (await scrollHover());
      }
      if (!ok) throw new Error('the hover closed while its content was scrolled');
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

/**
 * In the page: the screen box of the first rendered occurrence of `word` in an editor line
 * (tokens may split it over several spans, so the line's text nodes are searched together).
 */
function wordBox(word) {
  for (const line of document.querySelectorAll('.monaco-editor .view-line')) {
    const nodes = [];
    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
    const text = nodes.map((n) => n.textContent).join('').replace(/\u00a0/g, ' ');
    const at = text.indexOf(word);
    if (at < 0) continue;
    const locate = (offset) => {
      for (const n of nodes) {
        if (offset <= n.textContent.length) return [n, offset];
        offset -= n.textContent.length;
      }
      return [nodes[nodes.length - 1], nodes[nodes.length - 1].textContent.length];
    };
    const range = document.createRange();
    range.setStart(...locate(at));
    range.setEnd(...locate(at + word.length));
    const r = range.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  }
  return null;
}
