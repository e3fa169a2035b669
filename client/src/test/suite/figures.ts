// Figures in a real VS Code, not tests: with MRD_E2E_FIGURES=1 in the environment the runner
// puts the benchmark's 100k-region machine (bench/generate.ts) into the workspace, and the
// extension-host run opens it and then its memory map and prints how long each took as the
// editor sees it (`npm run test:e2e` with E2E_ONLY=exthost; bench/RESULTS.md records them).
// Nothing about time is asserted.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { MrdApi } from '../../extension.js';
import { assert, waitFor } from './harness.js';

/** Polls every 2 ms (the timing's resolution), a minute at most. */
const until = <T>(probe: () => T | undefined, what: string) => waitFor(probe, what, 60_000, 2);

export async function figures(sizes = [100_000]): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert(folder, 'no workspace folder is open');
  // The extension and its server are started on a small file first: a big file opened in a
  // window that already uses mrd, as the benchmark's open (bench/lsp.ts) is.
  const small = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'pc.mrd'));
  await vscode.window.showTextDocument(small);
  const ext = vscode.extensions.getExtension<MrdApi>('mrd-dev.mrd');
  assert(ext, 'the extension is not installed');
  const api = await ext.activate();
  await until(() => vscode.languages.getDiagnostics(small.uri).length > 0, 'the small file analysed');
  for (const n of sizes) {
    const uri = vscode.Uri.joinPath(folder.uri, `generated-${n}.mrd`);
    assert(fs.existsSync(uri.fsPath), `${uri.fsPath} is missing (the runner writes it)`);
    const t0 = performance.now();
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    await until(() => vscode.languages.getDiagnostics(uri).length > 0, 'diagnostics of the generated file');
    const open = performance.now() - t0;
    const t1 = performance.now();
    await vscode.commands.executeCommand('mrd.showMemoryMap', uri);
    const drawn = await until(() => api.memoryMapState(uri)?.rendered, 'the memory map drawn');
    const map = performance.now() - t1;
    console.log(`MRD-E2E-FIGURES ${JSON.stringify({
      regions: n, openToDiagnosticsMs: Math.round(open), commandToMapDrawnMs: Math.round(map), bandsDrawn: drawn.bands,
    })}`);
  }
}
