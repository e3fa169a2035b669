// Figures in a real VS Code, not tests: with MRD_E2E_FIGURES=1 in the environment the runner
// puts the benchmark's 100k-region machine (bench/generate.ts) into the workspace, and the
// extension-host run opens it and then its memory map and prints how long each took as the
// editor sees it (`npm run test:e2e` with E2E_ONLY=exthost; bench/RESULTS.md records them).
// Nothing about time is asserted.
//
// Each figure is split into the editor's share and mrd's: the map of the small file first (what
// any map costs in this editor), the same 4 MB opened as plain text (what opening it costs
// without mrd), the time VS Code takes to hand the big file to extensions, and
// the map's own timeline (server answer, webview ready, message delivered, decode, layout,
// draw). MRD_E2E_SETTLE_MS=N waits N ms between the open and the map command: right after
// opening a 4 MB file the workbench is still busy with it (tokens, layout), and that work
// delays creating any webview.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { MrdApi } from '../../extension.js';
import type { MapPanelState } from '../../map/mapPanel.js';
import { assert, waitFor } from './harness.js';

/** Polls every 2 ms (the timing's resolution), a minute at most. */
const until = <T>(probe: () => T | undefined, what: string) => waitFor(probe, what, 60_000, 2);

/** The command, then the first drawing of the map, split by the panel's and the view's timelines. */
async function mapFigures(api: MrdApi, uri: vscode.Uri): Promise<Record<string, number>> {
  const t0 = Date.now();
  await vscode.commands.executeCommand('mrd.showMemoryMap', uri);
  await until(() => api.memoryMapState(uri)?.rendered, 'the memory map drawn');
  const drawn = Date.now();
  const s = api.memoryMapState(uri) as MapPanelState;
  const t = s.timeline!;
  const v = s.rendered!.timing;
  const since = (x: number | undefined, from: number) => (x === undefined ? NaN : Math.round(x - from));
  return {
    commandToMapDrawnMs: drawn - t0,
    serverAnswerMs: since(t.answered, t.created),
    webviewReadyMs: since(t.ready, t.created),
    postToReceivedMs: since(v.received, t.posted ?? NaN),
    decodeMs: Math.round(v.decode),
    layoutMs: Math.round(v.layout),
    drawMs: Math.round(v.draw),
    bandsDrawn: s.rendered!.bands,
  };
}

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
  console.log(`MRD-E2E-FIGURES ${JSON.stringify({ file: 'pc.mrd', ...await mapFigures(api, small.uri) })}`);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const settle = Number(process.env.MRD_E2E_SETTLE_MS ?? 0);
  for (const n of sizes) {
    const uri = vscode.Uri.joinPath(folder.uri, `generated-${n}.mrd`);
    assert(fs.existsSync(uri.fsPath), `${uri.fsPath} is missing (the runner writes it)`);
    // The same text as plain text first: what this editor takes to open 4 MB without mrd.
    const plain = vscode.Uri.joinPath(folder.uri, `generated-${n}.txt`);
    fs.copyFileSync(uri.fsPath, plain.fsPath);
    const tp = Date.now();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(plain));
    const plainTextOpenMs = Date.now() - tp;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const t0 = Date.now();
    const doc = await vscode.workspace.openTextDocument(uri);
    // The document is in the extension host: the language client sends it to the server now.
    const documentMs = Date.now() - t0;
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    await until(() => vscode.languages.getDiagnostics(uri).length > 0, 'diagnostics of the generated file');
    const openToDiagnosticsMs = Date.now() - t0;
    if (settle > 0) await new Promise((r) => setTimeout(r, settle));
    console.log(`MRD-E2E-FIGURES ${JSON.stringify({
      regions: n, plainTextOpenMs, openToDiagnosticsMs, documentToExtensionsMs: documentMs, settledMs: settle, ...await mapFigures(api, uri),
    })}`);
  }
}
