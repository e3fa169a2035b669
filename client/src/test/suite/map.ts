// End-to-end: "mrd: Show Memory Map" in a real VS Code on the sample with a BAR-sizing sequence
// (q35-vfio-sizing.mrd, copied into the test workspace by the runner). The webview's DOM is
// checked by the UI scenario (e2e/lib/mapUi.mjs); here: the panel opens beside the editor, its
// script draws and reports back, the map data after the transient step crosses the IOMMU line,
// and an edit re-draws the open map.
import * as vscode from 'vscode';
import type { MrdApi } from '../../extension.js';
import { fromWire } from '../../../../server/src/ide/mapDecode.js';
import { assert, test, waitFor } from './harness.js';

const file = 'q35-vfio-sizing.mrd';

async function setup(): Promise<{ api: MrdApi; doc: vscode.TextDocument }> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert(folder, 'no workspace folder is open');
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, file));
  await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
  const ext = vscode.extensions.getExtension<MrdApi>('mrd-dev.mrd');
  assert(ext, 'the extension is not installed');
  const api = await ext.activate();
  return { api, doc };
}

const mapTab = () =>
  vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('mrd.memoryMap'));

/** Registers the suite (after the others: index.ts calls it last). */
export function mapTests(): void {
  test('"mrd: Show Memory Map" opens a webview beside the editor and draws the map', async () => {
    const { api, doc } = await setup();
    await vscode.commands.executeCommand('mrd.showMemoryMap', doc.uri);
    const tab = await waitFor(mapTab, 'the memory-map tab');
    assert(tab.label === `Memory map: ${file}`, `tab label: ${tab.label}`);
    assert(tab.group.viewColumn !== vscode.ViewColumn.One, `the map opened in column ${tab.group.viewColumn}, not beside`);
    const drawn = await waitFor(() => api.memoryMapState(doc.uri)?.rendered, 'the webview to report a drawing');
    assert(drawn.bands > 0 && drawn.scale === 'compressed', `rendered: ${JSON.stringify(drawn)}`);
  });

  test('after the transient step the BAR lies beyond the IOMMU line; the step is marked', async () => {
    const { api, doc } = await setup();
    const m = fromWire((await api.memoryMap(doc.uri, 6)).map);
    const iommu = m.limits.find((l) => l.kind === 'iommu');
    assert(iommu, `limits: ${JSON.stringify(m.limits.map((l) => l.label))}`);
    const bus = m.columns.findIndex((c) => c.title.startsWith('PCI bus 01'));
    const bar = m.columns[bus]?.bands.find((b) => m.regions[b.region].name.includes('BAR 0'));
    assert(bar && bar.end > iommu.addr, `BAR 0 after step 6: ${bar ? bar.start.toString(16) : 'missing'}`);
    assert(m.sequence?.steps[5].beyond.includes(iommu.label), `step 6 marks: ${JSON.stringify(m.sequence?.steps[5])}`);
    const before = fromWire((await api.memoryMap(doc.uri, 5)).map);
    const early = before.columns[bus].bands.find((b) => before.regions[b.region].name.includes('BAR 0'));
    assert(early && early.end <= iommu.addr, 'BAR 0 before step 6 is below the line');
  });

  test('an edit re-draws the open map', async () => {
    const { api, doc } = await setup();
    await vscode.commands.executeCommand('mrd.showMemoryMap', doc.uri);
    const v0 = await waitFor(() => api.memoryMapState(doc.uri)?.version, 'a drawn map');
    const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    const line = doc.getText().split('\n').findIndex((l) => l.includes('io hpet size 1K'));
    await editor.edit((b) => b.insert(new vscode.Position(line + 1, 0), '  io added-by-test size 4K at 0xfed4_0000\n'));
    try {
      await waitFor(() => (api.memoryMapState(doc.uri)?.version ?? 0) > v0, 'the map to follow the edit');
      const m = fromWire((await api.memoryMap(doc.uri)).map);
      assert(m.regions.some((r) => r.name === 'added-by-test'), 'the new region is in the map');
    } finally {
      await vscode.commands.executeCommand('undo');
    }
  });
}
