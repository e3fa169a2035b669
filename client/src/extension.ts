// The VS Code side of mrd: starts the language server over IPC and contributes the commands
// and read-only views (flat view, memory tree). All language smarts live in the server.
import * as vscode from 'vscode';
import {
  LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind,
} from 'vscode-languageclient/node';
import {
  Commands, FlatViewRequest, type FlatViewParams, type FlatViewResult, ImportMtreeRequest, type ImportMtreeParams,
  type ImportMtreeResult, type MapDataResult, MtreeRequest, type MtreeParams, type MtreeResult, serverNodeFlags,
  viewScheme,
} from '../../server/src/lsp/protocol.js';
import { MapPanels, type MapPanelState, requestMap } from './map/mapPanel.js';

let client: LanguageClient | undefined;

/** What the extension hands to other extensions and to its end-to-end tests. */
export interface MrdApi {
  readonly client: LanguageClient | undefined;
  /** The `info mtree -f` text the server computes for a document. */
  flatView(uri: vscode.Uri, space?: string): Promise<string>;
  /** The memory map's input (wire form) the server computes, optionally after a sequence step. */
  memoryMap(uri: vscode.Uri, step?: number): Promise<MapDataResult>;
  /** What the memory-map panel of a document last drew, if one is open. */
  memoryMapState(uri: vscode.Uri): MapPanelState | undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<MrdApi> {
  const module = context.asAbsolutePath('server/out/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...serverNodeFlags] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...serverNodeFlags, '--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'mrd', scheme: 'file' }, { language: 'mrd', scheme: 'untitled' }],
    synchronize: { configurationSection: 'mrd' },
    initializationOptions: { settings: vscode.workspace.getConfiguration('mrd') },
  };
  client = new LanguageClient('mrd', 'mrd language server', serverOptions, clientOptions);

  const views = new ViewProvider(() => client);
  const maps = new MapPanels(context.extensionUri, () => client);
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(viewScheme, views),
    views,
    vscode.commands.registerCommand(Commands.showFlatView, (uri?: vscode.Uri, space?: string) =>
      showView('flat', uri, space)),
    vscode.commands.registerCommand(Commands.showMtree, (uri?: vscode.Uri) => showView('mtree', uri)),
    maps,
    vscode.commands.registerCommand(Commands.showMemoryMap, async (uri?: vscode.Uri) => {
      const source = uri ?? sourceOfActiveEditor();
      if (!source) {
        void vscode.window.showWarningMessage('Open an .mrd file to show its memory map.');
        return;
      }
      await maps.show(source);
    }),
    vscode.commands.registerCommand(Commands.restartServer, async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand(Commands.importMtree, (file?: vscode.Uri) => importMtreeDump(client, file)),
  );
  await client.start();

  return {
    get client() {
      return client;
    },
    flatView: async (uri, space) => (await requestFlat(client, uri, space)).text,
    memoryMap: (uri, step) => requestMap(client, uri, step),
    memoryMapState: (uri) => maps.state(uri),
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

async function requestFlat(c: LanguageClient | undefined, uri: vscode.Uri, space?: string): Promise<FlatViewResult> {
  if (!c) throw new Error('the mrd language server is not running');
  const params: FlatViewParams = { uri: uri.toString(), space };
  const r = await c.sendRequest<FlatViewResult | null>(FlatViewRequest.method, params);
  if (!r) throw new Error(`${uri.toString()} is not open in the mrd language server`);
  return r;
}

type ViewKind = 'flat' | 'mtree';

/**
 * Read-only documents `mrd-view:/<file> (flat view).txt?<query>`; the query carries the
 * source document and the view's options. Views follow their source while it is edited.
 */
class ViewProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly open = new Map<string, vscode.Uri>();
  private readonly listener: vscode.Disposable;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly getClient: () => LanguageClient | undefined) {
    this.listener = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.languageId !== 'mrd') return;
      const source = e.document.uri.toString();
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        for (const view of this.open.values()) if (parseView(view).source.toString() === source) this.emitter.fire(view);
      }, 300);
    });
  }

  static uri(kind: ViewKind, source: vscode.Uri, space?: string): vscode.Uri {
    const base = source.path.split('/').pop() || 'untitled';
    const title = kind === 'flat' ? `${base} (flat view${space ? `: ${space}` : ''}).txt` : `${base} (memory tree).txt`;
    const query = new URLSearchParams({ kind, source: source.toString(), ...(space ? { space } : {}) });
    return vscode.Uri.from({ scheme: viewScheme, path: `/${title}`, query: query.toString() });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    this.open.set(uri.toString(), uri);
    const { kind, source, space } = parseView(uri);
    // In the status bar while the server computes (a 100k-region flat view takes about a second).
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `mrd: computing the ${kind === 'flat' ? 'flat view' : 'memory tree'}` },
      () => this.content(kind, source, space),
    );
  }

  private async content(kind: ViewKind, source: vscode.Uri, space: string | undefined): Promise<string> {
    const c = this.getClient();
    // The server only knows documents the editor has opened.
    await vscode.workspace.openTextDocument(source);
    if (kind === 'flat') return (await requestFlat(c, source, space)).text;
    if (!c) throw new Error('the mrd language server is not running');
    const params: MtreeParams = { uri: source.toString(), disabled: true };
    const r = await c.sendRequest<MtreeResult | null>(MtreeRequest.method, params);
    return r?.text ?? '';
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
    clearTimeout(this.timer);
  }
}

function parseView(uri: vscode.Uri): { kind: ViewKind; source: vscode.Uri; space?: string } {
  const q = new URLSearchParams(uri.query);
  return {
    kind: q.get('kind') === 'mtree' ? 'mtree' : 'flat',
    source: vscode.Uri.parse(q.get('source') ?? ''),
    space: q.get('space') ?? undefined,
  };
}

async function showView(kind: ViewKind, uri?: vscode.Uri, space?: string): Promise<vscode.TextEditor | undefined> {
  const source = uri ?? sourceOfActiveEditor();
  if (!source) {
    void vscode.window.showWarningMessage('Open an .mrd file to show its views.');
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument(ViewProvider.uri(kind, source, space));
  return vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}

/**
 * mrd: Import QEMU info mtree Dump…: the server converts the chosen dump (`info mtree -D`
 * text); the result opens as a new untitled .mrd document, which the user saves where they like.
 */
async function importMtreeDump(c: LanguageClient | undefined, file?: vscode.Uri): Promise<vscode.TextEditor | undefined> {
  if (!c) {
    void vscode.window.showErrorMessage('The mrd language server is not running.');
    return undefined;
  }
  const uri = file ?? (await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Import',
    title: 'QEMU `info mtree -D` output',
    filters: { 'QEMU dumps': ['txt', 'log', 'mtree'], 'All files': ['*'] },
  }))?.[0];
  if (!uri) return undefined;
  const params: ImportMtreeParams = { text: new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri)) };
  let r: ImportMtreeResult;
  try {
    r = await c.sendRequest<ImportMtreeResult>(ImportMtreeRequest.method, params);
  } catch (e) {
    void vscode.window.showErrorMessage(`Could not import ${uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'mrd', content: r.text });
  const editor = await vscode.window.showTextDocument(doc);
  const problems = r.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
  if (problems.length > 0) {
    const first = problems[0];
    void vscode.window.showWarningMessage(
      `Imported with ${problems.length} problem${problems.length > 1 ? 's' : ''}; first, line ${first.line}: ${first.code} ${first.message}`);
  }
  return editor;
}

function sourceOfActiveEditor(): vscode.Uri | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (doc?.languageId === 'mrd') return doc.uri;
  if (doc?.uri.scheme === viewScheme) return parseView(doc.uri).source;
  return undefined;
}
