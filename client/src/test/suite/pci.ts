// End-to-end: the seed scenario (samples/q35-vfio-sizing.mrd, copied into the test workspace
// by the runner) in a real VS Code. The IOMMU-width warning on the `size-hi` step, hovers on
// the BAR declaration and on the step, the step's inlay hint, the flat view against the CLI's
// `mrd flatten` of the same file, and the decode quick fix clearing the warnings. Lines are
// found in the file's text; every wait polls.
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import { assert, test, waitFor } from './harness.js';

const file = 'q35-vfio-sizing.mrd';
const extensionId = 'mrd-dev.mrd';

async function openSeed(): Promise<vscode.TextDocument> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert(folder, 'no workspace folder is open');
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, file));
  await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
  return doc;
}

/** 0-based line of the first line that, trimmed, starts with `prefix`. */
function lineOf(doc: vscode.TextDocument, prefix: string): number {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.trim().startsWith(prefix)) return i;
  throw new Error(`no line starting with "${prefix}" in ${doc.uri.path}`);
}

const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

async function hoverAt(doc: vscode.TextDocument, pos: vscode.Position, expected: string): Promise<string> {
  return waitFor(async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
    const t = (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    return t.includes(expected) ? t : undefined;
  }, `a hover containing ${expected}`);
}

export function pciTests(): void {
  test('seed: the extension activates on q35-vfio-sizing.mrd', async () => {
    const doc = await openSeed();
    assert(doc.languageId === 'mrd', `languageId is ${doc.languageId}`);
    const ext = vscode.extensions.getExtension(extensionId);
    assert(ext, `extension ${extensionId} is not installed`);
    await waitFor(() => ext.isActive, 'activation');
  });

  test('seed: MR4001 (48-bit IOMMU) is on the size-hi step, with the IOMMU as related information', async () => {
    const doc = await openSeed();
    const step = lineOf(doc, 'write 0x14 4 0xffff_ffff');
    const iommu = lineOf(doc, 'iommu vtd');
    const d = await waitFor(() => vscode.languages.getDiagnostics(doc.uri).find((x) => codeOf(x) === 'MR4001'), 'MR4001');
    assert(d.range.start.line === step, `MR4001 on line ${d.range.start.line + 1}, expected ${step + 1}`);
    assert(d.severity === vscode.DiagnosticSeverity.Warning, `severity ${d.severity}`);
    assert(d.message.includes('0xffff_ffff_febe_0000') && d.message.includes('48-bit IOMMU'), `message: ${d.message}`);
    assert(d.relatedInformation?.some((r) => r.location.range.start.line === iommu), `related: ${JSON.stringify(d.relatedInformation)}`);
    const transient = vscode.languages.getDiagnostics(doc.uri).filter((x) => codeOf(x) === 'MR6001').map((x) => x.range.start.line);
    assert(transient.includes(step), `MR6001 lines: ${transient.map((l) => l + 1).join(', ')}`);
  });

  test('q35-ram-over-bar: MR3011 on the BAR that RAM hides, naming RAM as visible, with its declaration as related', async () => {
    const folder = vscode.workspace.workspaceFolders![0];
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'q35-ram-over-bar.mrd'));
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    const bar = lineOf(doc, 'bar 0 mem32 size 128K');
    const ram = lineOf(doc, 'alias ram-below-4g');
    const d = await waitFor(() => vscode.languages.getDiagnostics(doc.uri).find((x) => codeOf(x) === 'MR3011'), 'MR3011');
    assert(d.range.start.line === bar, `MR3011 on line ${d.range.start.line + 1}, expected ${bar + 1}`);
    assert(d.severity === vscode.DiagnosticSeverity.Warning, `severity ${d.severity}`);
    assert(d.message.includes("alias 'ram-below-4g' is visible there") && d.message.includes("above 'pci' at -1"), `message: ${d.message}`);
    assert(d.relatedInformation?.some((r) => r.location.range.start.line === ram), `related: ${JSON.stringify(d.relatedInformation)}`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('seed: hover on the BAR0 declaration shows its resolved absolute address', async () => {
    const doc = await openSeed();
    const line = lineOf(doc, 'bar 0 mem64');
    const pos = new vscode.Position(line, doc.lineAt(line).text.indexOf('bar 0') + 1);
    const text = await hoverAt(doc, pos, '0xfebe_0000..0xfebe_3fff');
    assert(text.includes('**`memory`**: 0xfebe_0000..0xfebe_3fff'), `hover: ${text}`);
  });

  test('seed: hover on the size-hi step shows the transient address; its inlay hint too', async () => {
    const doc = await openSeed();
    const line = lineOf(doc, 'write 0x14 4 0xffff_ffff');
    const pos = new vscode.Position(line, doc.lineAt(line).text.indexOf('write') + 2);
    await hoverAt(doc, pos, '0xffff_ffff_febe_0000');
    const hints = await waitFor(async () => {
      const r = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, new vscode.Range(line, 0, line + 1, 0));
      const labels = (r ?? []).map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
      return labels.length > 0 ? labels : undefined;
    }, 'inlay hints on the step');
    assert(hints.includes('→ BAR0 @ 0xffff_ffff_febe_0000'), `inlay hints: ${hints.join(' | ')}`);
  });

  test('seed: go to definition from `on 01:10.0` reaches the device; the outline has the device and its BAR', async () => {
    const doc = await openSeed();
    const on = lineOf(doc, 'sequence linux-2014-sizing');
    const decl = lineOf(doc, 'device 01:10.0');
    const pos = new vscode.Position(on, doc.lineAt(on).text.indexOf('01:10.0') + 2);
    await waitFor(async () => {
      const locs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, pos);
      return (locs ?? []).some((l) => ('range' in l ? l.range : l.targetRange).start.line === decl);
    }, `a definition on line ${decl + 1}`);
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    const nvme = symbols.find((s) => s.name === 'q35')?.children.find((s) => s.name === 'rp0')?.children.find((s) => s.name === 'nvme0');
    assert(nvme?.children.some((s) => s.name === 'BAR0'), `outline: ${JSON.stringify(symbols.map((s) => s.name))}`);
  });

  test('seed: "mrd: Show Flat View" opens the text `mrd flatten` prints for the same file', async () => {
    const doc = await openSeed();
    const ext = vscode.extensions.getExtension(extensionId)!;
    // The CLI of the same build, run by the extension host's own runtime (node, or electron as node).
    const cli = vscode.Uri.joinPath(ext.extensionUri, 'server/out/cli.js').fsPath;
    const expected = execFileSync(process.execPath, [cli, 'flatten', doc.uri.fsPath], {
      encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    assert(expected.includes('0000:01:10.0 BAR 0 mmaps[0]'), `mrd flatten: ${expected}`);
    await vscode.commands.executeCommand('mrd.showFlatView', doc.uri);
    const view = await waitFor(() => {
      const d = vscode.window.activeTextEditor?.document;
      return d?.uri.scheme === 'mrd-view' && d.uri.path.includes(file) ? d : undefined;
    }, 'the flat view editor');
    assert(view.getText() === expected, `flat view differs:\n${view.getText()}\n--- mrd flatten ---\n${expected}`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('seed: the quick fix clears memory decode around the sizing and the warnings go away', async () => {
    const doc = await openSeed();
    const original = doc.getText();
    const warningsOn = (line: number) => vscode.languages.getDiagnostics(doc.uri)
      .filter((d) => d.range.start.line === line && ['MR4001', 'MR6001'].includes(codeOf(d)));
    const fixAt = async (line: number) => {
      const diags = await waitFor(() => (warningsOn(line).length > 0 ? warningsOn(line) : undefined), `warnings on line ${line + 1}`);
      const actions = await waitFor(async () => {
        const r = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diags[0].range, vscode.CodeActionKind.QuickFix.value);
        const fixes = (r ?? []).filter((a) => a.title.startsWith('clear memory decode'));
        return fixes.length > 0 ? fixes : undefined;
      }, `the quick fix on line ${line + 1}`);
      assert(actions[0].edit, 'the quick fix has no edit');
      assert(await vscode.workspace.applyEdit(actions[0].edit), 'the edit did not apply');
    };
    try {
      // The transient beyond the IOMMU first: MR4001 and its MR6001 leave that step.
      await fixAt(lineOf(doc, 'write 0x14 4 0xffff_ffff'));
      await waitFor(() => warningsOn(lineOf(doc, 'write 0x14 4 0xffff_ffff')).length === 0, 'MR4001 and MR6001 gone from the size-hi step');
      assert(lineOf(doc, 'label size-hi') === lineOf(doc, 'write 0x14 4 0xffff_ffff') - 1, 'the label no longer names the sizing step');
      // Then the low dword's transient: the file checks clean.
      await fixAt(lineOf(doc, 'write 0x10 4 0xffff_ffff'));
      await waitFor(() => vscode.languages.getDiagnostics(doc.uri).length === 0, 'no diagnostics after both fixes');
    } finally {
      const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
      await editor.edit((b) => b.replace(new vscode.Range(0, 0, doc.lineCount, 0), original));
      await doc.save();
    }
    await waitFor(() => vscode.languages.getDiagnostics(doc.uri).some((d) => codeOf(d) === 'MR4001'), 'MR4001 back after restoring the file');
  });
}
