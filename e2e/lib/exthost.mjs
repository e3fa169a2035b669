// Runs an extension-host test module (the @vscode/test-electron `extensionTestsPath`
// contract: `exports.run = async () => {…}`) inside the real Node extension host of the VS
// Code server, through the web workbench, and returns the exit code the workbench reports.
import { launchBrowser, workbenchUrl } from './browser.mjs';

export async function runExtensionHostTests({ e2eHome, host, folder, extensionPath, testsPath, timeoutMs, log }) {
  const { page, close } = await launchBrowser(e2eHome);
  try {
    // The workbench calls these two while an extensionTestsPath run is active.
    let exit;
    const exited = new Promise((resolve) => { exit = resolve; });
    await page.exposeFunction('codeAutomationLog', (_type, args) => log(...(args ?? [])));
    await page.exposeFunction('codeAutomationExit', (code) => exit(code));
    page.on('pageerror', (e) => log(`[workbench] ${e.message}`));
    await page.goto(workbenchUrl({ host, folder, extensionPath, testsPath }));
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => { log(`no result after ${timeoutMs} ms`); resolve(1); }, timeoutMs);
    });
    const code = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    return code;
  } finally {
    await close();
  }
}
