// Extension-host suites, written to the @vscode/test-electron contract (`run()` is the
// extensionTestsPath entry). They run in a real VS Code on the workspace client/test/workspace.
import * as vscode from 'vscode';
import { assert, runAll, test, waitFor } from './harness.js';
import { figures } from './figures.js';
import { mapTests } from './map.js';
import { pciTests } from './pci.js';

const extensionId = 'mrd-dev.mrd';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert(folder, 'no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function open(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')))
    .join('\n');
}

/** 0-based line of the first line containing `needle`. */
function lineOf(doc: vscode.TextDocument, needle: string): number {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(needle)) return i;
  throw new Error(`"${needle}" not found in ${doc.uri.path}`);
}

test('the extension activates on an .mrd file', async () => {
  const doc = await open('pc.mrd');
  assert(doc.languageId === 'mrd', `languageId is ${doc.languageId}`);
  const ext = vscode.extensions.getExtension(extensionId);
  assert(ext, `extension ${extensionId} is not installed`);
  await waitFor(() => ext.isActive, 'activation');
});

test('diagnostics of a sample appear on the right line', async () => {
  const doc = await open('pc.mrd');
  const expected = lineOf(doc, 'no-such-region');
  const diags = await waitFor(() => {
    const d = vscode.languages.getDiagnostics(doc.uri);
    return d.length > 0 ? d : undefined;
  }, 'diagnostics');
  const d = diags.find((x) => x.range.start.line === expected);
  assert(d, `no diagnostic on line ${expected + 1}; got ${JSON.stringify(diags.map((x) => [x.range.start.line + 1, x.message]))}`);
  assert(d.message.includes('no-such-region'), `message: ${d.message}`);
  assert(d.source === 'mrd', `source: ${d.source}`);
  const code = d.code as { value: string; target: vscode.Uri } | string;
  assert(typeof code === 'object' && /^MR\d{4}$/.test(code.value), `code: ${JSON.stringify(code)}`);
  assert(/language\.md#L\d+$/.test(code.target.toString()), `code link: ${code.target.toString()}`);
});

test('hover over a region shows its resolved absolute address', async () => {
  const doc = await open('pc.mrd');
  const line = lineOf(doc, 'rom pc.bios');
  const pos = new vscode.Position(line, doc.lineAt(line).text.indexOf('pc.bios') + 2);
  const text = await waitFor(async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
    const t = hoverText(hovers ?? []);
    return t.includes('0xfffc_0000') ? t : undefined;
  }, 'a hover with 0xfffc_0000');
  assert(text.includes('256 KiB'), `hover without size: ${text}`);
});

test('hover over an alias target shows the alias resolution', async () => {
  const doc = await open('pc.mrd');
  const line = lineOf(doc, 'ram pc.ram');
  const pos = new vscode.Position(line, doc.lineAt(line).text.indexOf('pc.ram') + 1);
  await waitFor(async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
    const t = hoverText(hovers ?? []);
    return t.includes('ram-below-4g') ? t : undefined;
  }, 'a hover naming the alias ram-below-4g');
});

test('"mrd: Show Flat View" opens the info mtree -f text', async () => {
  const doc = await open('pc.mrd');
  const expected = (await vscode.workspace.fs.readFile(workspaceFile('pc.flat.txt'))).toString();
  await vscode.commands.executeCommand('mrd.showFlatView', doc.uri);
  const view = await waitFor(() => {
    const d = vscode.window.activeTextEditor?.document;
    return d?.uri.scheme === 'mrd-view' ? d : undefined;
  }, 'the flat view editor');
  assert(view.getText() === expected, `flat view differs:\n${view.getText()}\n--- expected ---\n${expected}`);
  // Views are read-only: an edit must not apply.
  const applied = await vscode.window.activeTextEditor!.edit((b) => b.insert(new vscode.Position(0, 0), 'x'));
  assert(!applied || view.getText() === expected, 'the flat view accepted an edit');
});

test('go to definition jumps from an alias target to the region', async () => {
  const doc = await open('pc.mrd');
  const line = lineOf(doc, '-> pc.ram');
  const pos = new vscode.Position(line, doc.lineAt(line).text.indexOf('pc.ram') + 1);
  const target = lineOf(doc, 'ram pc.ram');
  await waitFor(async () => {
    const locs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider', doc.uri, pos);
    return (locs ?? []).some((l) => ('range' in l ? l.range : l.targetRange).start.line === target);
  }, `a definition on line ${target + 1}`);
});

test('outline, completion and inlay hints come from the server', async () => {
  const doc = await open('pc.mrd');
  const symbols = await waitFor(async () => {
    const r = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    return r && r.length > 0 ? r : undefined;
  }, 'document symbols');
  const system = symbols.find((x) => x.name === 'system');
  assert(system && system.children.some((c) => c.name === 'pci' && c.children.some((g) => g.name === 'pc.bios')),
    `outline: ${JSON.stringify(symbols.map((x) => x.name))}`);
  const line = lineOf(doc, '-> pc.ram');
  const pos = new vscode.Position(line, doc.lineAt(line).text.indexOf('-> ') + 3);
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
  const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
  assert(labels.includes('pc.ram') && labels.includes('pc.bios'), `completions: ${labels.join(', ')}`);
  const bios = lineOf(doc, 'rom pc.bios');
  const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri,
    new vscode.Range(bios, 0, bios + 1, 0));
  const text = hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''))).join('|');
  assert(text.includes('@ 0xfffc_0000'), `inlay hints: ${text}`);
});

test('highlights, expand selection, the value of a number and its rewrites come from the server', async () => {
  const doc = await open('pc.mrd');
  const use = lineOf(doc, '-> pc.ram');
  const pos = new vscode.Position(use, doc.lineAt(use).text.indexOf('pc.ram') + 1);
  const decl = lineOf(doc, 'ram pc.ram');
  const highlights = await waitFor(async () => {
    const h = await vscode.commands.executeCommand<vscode.DocumentHighlight[]>('vscode.executeDocumentHighlights', doc.uri, pos);
    return h && h.length > 0 ? h : undefined;
  }, 'document highlights');
  const got = highlights.map((h) => `${h.range.start.line}:${h.range.start.character} ${h.kind}`);
  const expected = [
    `${use}:${doc.lineAt(use).text.indexOf('pc.ram')} ${vscode.DocumentHighlightKind.Read}`,
    `${decl}:${doc.lineAt(decl).text.indexOf('pc.ram')} ${vscode.DocumentHighlightKind.Write}`,
  ];
  assert(JSON.stringify(got) === JSON.stringify(expected), `highlights ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);

  const bios = lineOf(doc, 'rom pc.bios');
  const onSize = new vscode.Position(bios, doc.lineAt(bios).text.indexOf('256K') + 1);
  const [sel] = await vscode.commands.executeCommand<vscode.SelectionRange[]>('vscode.executeSelectionRangeProvider', doc.uri, [onSize]);
  const chain: string[] = [];
  for (let r: vscode.SelectionRange | undefined = sel; r; r = r.parent) chain.push(doc.getText(r.range));
  // VS Code may add ranges of its own (the line, for one); ours must all be there, in order.
  const ours = ['256K', 'size 256K', 'rom pc.bios size 256K at 0xfffc_0000', doc.getText()];
  let k = 0;
  for (const c of chain) if (c === ours[k]) k++;
  assert(k === ours.length, `selection ranges ${JSON.stringify(chain.map((c) => c.slice(0, 40)))}`);

  // A number's hover: its value in hex, decimal and units.
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, onSize);
  const value = hoverText(hovers ?? []);
  assert(value.includes('size `256K` = 0x4_0000 = 262,144 = 256 KiB'), `hover on 256K: ${value}`);

  // And the same number rewritten: a refactoring the editor lists with its light bulb.
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider', doc.uri, new vscode.Range(onSize, onSize), vscode.CodeActionKind.RefactorRewrite.value);
  const titles = (actions ?? []).map((x) => x.title);
  assert(titles.includes('Write 256K as 0x4_0000') && titles.includes('Write 256K as 262144'), `code actions: ${titles.join(' | ')}`);
});

test('workspace symbols include the .mrd files that are not open', async () => {
  await open('pc.mrd');
  // A file that no editor has open (the suites run in a scratch copy of the workspace).
  const extra = workspaceFile('board-extra.mrd');
  await vscode.workspace.fs.writeFile(extra, Buffer.from('container board size 1M {\n  io board_gpio size 4K\n}\n'));
  const found = await waitFor(async () => {
    const r = await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', 'board_gpio');
    return r?.find((x) => x.name === 'board_gpio');
  }, 'board_gpio from the closed file');
  assert(found.location.uri.toString() === extra.toString(), `in ${found.location.uri.toString()}`);
  assert(found.location.range.start.line === 1 && found.containerName === 'board', JSON.stringify(found));
  const fromOpen = await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', 'pc.bios');
  assert(fromOpen.some((x) => x.name === 'pc.bios' && x.location.uri.path.endsWith('/pc.mrd')), 'pc.bios from the open pc.mrd');
});

test('a severity override in the settings reaches the server and re-grades the diagnostic', async () => {
  const doc = await open('pc.mrd');
  const line = lineOf(doc, 'no-such-region');
  const severityOn = () => vscode.languages.getDiagnostics(doc.uri).find((d) => d.range.start.line === line)?.severity;
  await waitFor(() => severityOn() === vscode.DiagnosticSeverity.Error, 'the error');
  const config = vscode.workspace.getConfiguration('mrd');
  await config.update('severity', { MR2010: 'warning' }, vscode.ConfigurationTarget.Workspace);
  try {
    await waitFor(() => severityOn() === vscode.DiagnosticSeverity.Warning, 'the diagnostic to become a warning');
  } finally {
    await config.update('severity', undefined, vscode.ConfigurationTarget.Workspace);
  }
  await waitFor(() => severityOn() === vscode.DiagnosticSeverity.Error, 'the error again');
});

test('an edit is re-analysed: fixing the mistake clears the diagnostic', async () => {
  const doc = await open('pc.mrd');
  const line = lineOf(doc, 'no-such-region');
  const col = doc.lineAt(line).text.indexOf('no-such-region');
  const editor = vscode.window.activeTextEditor!;
  await editor.edit((b) => b.replace(new vscode.Range(line, col, line, col + 'no-such-region'.length), 'pc.ram'));
  try {
    await waitFor(() => vscode.languages.getDiagnostics(doc.uri).length === 0, 'no diagnostics after the fix');
  } finally {
    await vscode.commands.executeCommand('undo');
  }
  await waitFor(() => vscode.languages.getDiagnostics(doc.uri).length === 1, 'the diagnostic again after undo');
});

pciTests();
mapTests();

export async function run(): Promise<void> {
  // MRD_E2E_FIGURES=1: timings in this VS Code instead of the tests (figures.ts).
  if (process.env.MRD_E2E_FIGURES) await figures();
  else await runAll();
}
