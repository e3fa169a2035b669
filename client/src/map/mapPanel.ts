// "mrd: Show Memory Map": one webview panel per document, beside the editor. The extension
// side only fetches the map's input from the server (mrd/mapData), forwards cursor moves,
// refreshes after edits (debounced), and reveals regions the view asks for; the webview
// (map/webview/main.ts) lays out and draws.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { regionsFromWire } from '../../../server/src/ide/mapDecode.js';
import type { ViewRegion, WireRegions } from '../../../server/src/ide/mapTypes.js';
import { MapDataRequest, type MapDataParams, type MapDataResult } from '../../../server/src/lsp/protocol.js';
import { type FromView, type ToView, mapBytes, mapViewType } from './messages.js';

/** What a panel last reported drawing (for tests and the title). */
export interface MapPanelState {
  readonly step?: number;
  readonly rendered?: Extract<FromView, { type: 'rendered' }>;
  readonly version?: number;
  /** When the first map got where (for the figures measured in a real editor). */
  readonly timeline?: MapTimeline;
}

/** Date.now() of each step of showing the first map; the view's own steps are in `rendered.timing`. */
export interface MapTimeline {
  readonly created: number;
  /** The server's first answer arrived. */
  readonly answered?: number;
  /** The webview's script said it was ready. */
  readonly ready?: number;
  /** The first map was posted to the webview. */
  readonly posted?: number;
}

const REFRESH_MS = 250;
const CURSOR_MS = 60;

export class MapPanels implements vscode.Disposable {
  private readonly panels = new Map<string, MapPanel>();
  private readonly listeners: vscode.Disposable[];

  constructor(private readonly extensionUri: vscode.Uri, private readonly getClient: () => LanguageClient | undefined) {
    this.listeners = [
      vscode.workspace.onDidChangeTextDocument((e) => this.panels.get(e.document.uri.toString())?.scheduleRefresh()),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        const p = this.panels.get(e.textEditor.document.uri.toString());
        const pos = e.selections[0]?.active;
        if (p && pos) p.cursor(pos);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mrd')) for (const p of this.panels.values()) p.scheduleRefresh();
      }),
    ];
  }

  /** Opens (or reveals) the map of `source` beside the editor. */
  async show(source: vscode.Uri): Promise<MapPanel> {
    const key = source.toString();
    let p = this.panels.get(key);
    if (p) {
      p.panel.reveal(vscode.ViewColumn.Beside, true);
      return p;
    }
    // The server only knows documents the editor has opened.
    await vscode.workspace.openTextDocument(source);
    p = new MapPanel(this.extensionUri, source, this.getClient, () => this.panels.delete(key));
    this.panels.set(key, p);
    return p;
  }

  state(source: vscode.Uri): MapPanelState | undefined {
    return this.panels.get(source.toString())?.state;
  }

  dispose(): void {
    for (const l of this.listeners) l.dispose();
    for (const p of [...this.panels.values()]) p.panel.dispose();
  }
}

export async function requestMap(c: LanguageClient | undefined, uri: vscode.Uri, step?: number): Promise<MapDataResult> {
  if (!c) throw new Error('the mrd language server is not running');
  const params: MapDataParams = { uri: uri.toString(), ...(step !== undefined ? { step } : {}) };
  const r = await c.sendRequest<MapDataResult | null>(MapDataRequest.method, params);
  if (!r) throw new Error(`${uri.toString()} is not open in the mrd language server`);
  return r;
}

class MapPanel {
  readonly panel: vscode.WebviewPanel;
  state: MapPanelState = {};
  private ready = false;
  private timer: NodeJS.Timeout | undefined;
  private cursorTimer: NodeJS.Timeout | undefined;
  /** Bumped per refresh, so that a slow answer never overwrites a newer one. */
  private generation = 0;
  /** The first map, asked for while the webview is still loading (the two take about as long at 100k regions). */
  private early: Promise<MapDataResult> | undefined;
  /** The regions of the map last sent (the view's region indices point into it), decoded on the first reveal. */
  private wireRegions: WireRegions | undefined;
  private regions: ViewRegion[] | undefined;

  constructor(
    extensionUri: vscode.Uri, readonly source: vscode.Uri,
    private readonly getClient: () => LanguageClient | undefined, onDispose: () => void,
  ) {
    const name = source.path.split('/').pop() || 'untitled';
    const out = vscode.Uri.joinPath(extensionUri, 'client', 'out');
    this.panel = vscode.window.createWebviewPanel(mapViewType, `Memory map: ${name}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [out],
    });
    this.panel.webview.html = html(this.panel.webview, vscode.Uri.joinPath(out, 'map.js'), name);
    this.state = { timeline: { created: Date.now() } };
    this.early = requestMap(getClient(), source);
    this.early.then(() => this.mark('answered'), () => {});
    this.panel.webview.onDidReceiveMessage((m: FromView) => void this.onMessage(m));
    this.panel.onDidDispose(() => {
      clearTimeout(this.timer);
      clearTimeout(this.cursorTimer);
      onDispose();
    });
  }

  private mark(step: Exclude<keyof MapTimeline, 'created'>): void {
    const t = this.state.timeline;
    if (t && t[step] === undefined) this.state = { ...this.state, timeline: { ...t, [step]: Date.now() } };
  }

  private post(m: ToView): void {
    void this.panel.webview.postMessage(m);
  }

  private async onMessage(m: FromView): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.mark('ready');
        this.ready = true;
        await this.refresh();
        break;
      case 'step':
        this.state = { ...this.state, step: m.step };
        await this.refresh();
        break;
      case 'reveal':
        await this.reveal(m.region);
        break;
      case 'rendered':
        this.state = { ...this.state, rendered: m };
        break;
    }
  }

  scheduleRefresh(): void {
    // An edit or a setting since the early request: its answer is out of date.
    this.early = undefined;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), REFRESH_MS);
  }

  async refresh(): Promise<void> {
    if (!this.ready) return;
    const gen = ++this.generation;
    try {
      // The first refresh takes the early answer, if nothing has changed since it was asked for.
      const early = this.state.step === undefined ? this.early : undefined;
      this.early = undefined;
      // In the status bar while the server computes (at 100k regions about half a second).
      const r = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'mrd: computing the memory map' },
        () => early ?? requestMap(this.getClient(), this.source, this.state.step),
      );
      if (gen !== this.generation) return;
      this.state = { ...this.state, version: r.version };
      this.wireRegions = r.map.regions;
      this.regions = undefined;
      this.mark('posted');
      this.post({ type: 'data', map: mapBytes(r.map), version: r.version, file: this.source.path.split('/').pop() ?? '' });
    } catch (e) {
      if (gen === this.generation) this.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }

  cursor(pos: vscode.Position): void {
    clearTimeout(this.cursorTimer);
    this.cursorTimer = setTimeout(() => this.post({ type: 'cursor', line: pos.line, character: pos.character }), CURSOR_MS);
  }

  /** Selects the region's name (else its declaration) in an editor of the source. */
  private async reveal(region: number): Promise<void> {
    if (!this.regions && this.wireRegions) this.regions = regionsFromWire(this.wireRegions);
    const range = this.regions?.[region]?.nameRange ?? this.regions?.[region]?.decl;
    if (!range) return;
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.source.toString());
    const doc = await vscode.workspace.openTextDocument(this.source);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
    const sel = new vscode.Selection(range[0], range[1], range[2], range[3]);
    editor.selection = sel;
    editor.revealRange(sel, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}

function html(webview: vscode.Webview, script: vscode.Uri, name: string): string {
  const nonce = Array.from({ length: 32 }, () => Math.floor(Math.random() * 36).toString(36)).join('');
  const csp = `default-src 'none'; style-src ${webview.cspSource} 'unsafe-inline'; script-src 'nonce-${nonce}'; font-src ${webview.cspSource};`;
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Memory map: ${esc(name)}</title>
</head>
<body>
<div id="app" data-file="${esc(name)}"></div>
<script nonce="${nonce}" src="${webview.asWebviewUri(script).toString()}"></script>
</body>
</html>`;
}
