// The language server: wires LSP requests to the ide facade. Documents are synced
// incrementally; analysis goes through the Scheduler (debounced, cached per version);
// diagnostics are pulled when the client can, pushed otherwise.
import {
  type CancellationToken, type Connection, type InitializeParams, type InitializeResult,
  LSPErrorCodes, ResponseError, TextDocuments, TextDocumentSyncKind, DocumentDiagnosticReportKind,
  type DocumentDiagnosticReport, CodeActionKind, DidChangeWatchedFilesNotification, CompletionItemKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type Analysis, analyzeDocument } from '../ide/analysis.js';
import { quickFixes } from '../ide/codeActions.js';
import { numberRewrites } from '../ide/numberRewrite.js';
import { codeLenses, codeLensTitle } from '../ide/codeLens.js';
import { completions } from '../ide/completion.js';
import { documentDiagnostics } from '../ide/diagnostics.js';
import { hasVisibilityDiagnostics, visibilityDiagnostics } from '../ide/visibility.js';
import { foldingRanges } from '../ide/folding.js';
import { formatDocument, formatRange } from '../ide/formatting.js';
import { hover } from '../ide/hover.js';
import { inlayHints } from '../ide/inlayHints.js';
import { selectionRanges } from '../ide/selection.js';
import { definition, highlights, includeLinks, includePathAt, prepareRename, references, rename } from '../ide/navigation.js';
import { semanticTokens, semanticTokenModifiers, semanticTokenTypes } from '../ide/semanticTokens.js';
import { outline } from '../ide/symbols.js';
import { workspaceSymbols } from '../ide/workspaceSymbols.js';
import { flatViewText, mtreeText, spaceNames } from '../ide/views.js';
import { mapWire } from '../ide/mapData.js';
import { importMtree } from '../importer/index.js';
import { LineIndex } from '../base/span.js';
import {
  defaultSettings, FlatViewRequest, type FlatViewParams, type FlatViewResult, type MrdSettings,
  MtreeRequest, type MtreeParams, type MtreeResult, MapDataRequest, type MapDataParams, type MapDataResult,
  ImportMtreeRequest, type ImportMtreeParams, type ImportMtreeResult,
} from './protocol.js';
import { Scheduler, type Snapshot } from './scheduler.js';
import { WorkspaceFiles } from './workspaceFiles.js';
import {
  type OpenDocuments, dependsOn, includeContext, includePathEntries, locationOf, pathOfUri, uriOfPath,
} from './includes.js';
import { readSettings } from './settings.js';

/** Machines up to this many regions get the visibility checks (MR3010, MR3011) with every analysis. */
const VISIBILITY_SYNC_REGIONS = 5_000;
/** Larger ones get them after this long without a change (they cost about what flattening does: 100-200 ms at 100k regions). */
const VISIBILITY_IDLE_MS = 500;

export interface ServerOptions {
  /** Debounce delay of analysis after a change, in ms. */
  readonly delayMs?: number;
  /** Link to a diagnostic code's explanation. */
  readonly docs?: (code: string) => string | undefined;
}

export function startServer(connection: Connection, opts: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  let settings: MrdSettings = defaultSettings;
  // Included files are read from their editors when open (unsaved text included), else from disk.
  const open: OpenDocuments = {
    byPath(p) {
      for (const d of documents.all()) if (pathOfUri(d.uri) === p) return { uri: d.uri, text: d.getText() };
      return undefined;
    },
  };
  // Analysis must never take the server down: a failure is logged and the document is
  // treated as empty until its next version.
  const analyzerFor = (s: MrdSettings) => (text: string, previous?: Analysis, uri?: string) => {
    const options = { physBits: s.cpu.physBits, awBits: s.iommu.awBits };
    try {
      return analyzeDocument(text, options, previous, uri === undefined ? undefined : includeContext(uri, open));
    } catch (e) {
      connection.console.error(`analysis failed: ${e instanceof Error ? e.stack : String(e)}`);
      return { ...analyzeDocument('', options), text };
    }
  };
  const scheduler = new Scheduler(analyzerFor(settings), opts.delayMs ?? 150);
  scheduler.onError = (e) => connection.console.error(`publishing diagnostics failed: ${e instanceof Error ? e.stack : String(e)}`);
  let pull = false;
  let configurationPull = false;
  let diagnosticRefresh = false;
  let inlayRefresh = false;
  let codeLensRefresh = false;
  let watchFiles = false;
  let folderEvents = false;
  /** The workspace's closed .mrd files, for workspace symbols (the folders come with `initialize`). */
  let workspace = new WorkspaceFiles([]);
  const folderPaths = (folders: readonly { uri: string }[]) => folders.flatMap((f) => pathOfUri(f.uri) ?? []);
  // The most folding ranges the client wants per document (its capability), if it says.
  let foldLimit = Infinity;
  /**
   * Requests and notifications to the client whose answer nobody waits for: a client may answer
   * a refresh with an error or a malformed response, and a write may fail; that is logged,
   * never a rejection left to end the process.
   */
  const quietly = (what: string, p: Promise<unknown>): void => {
    p.catch((e: unknown) => connection.console.error(`${what} failed: ${e instanceof Error ? e.message : String(e)}`));
  };

  // The visibility checks (MR3010, MR3011) flatten the machine: with every analysis up to
  // VISIBILITY_SYNC_REGIONS regions, for larger machines once the document has been quiet for
  // VISIBILITY_IDLE_MS (then the diagnostics go out again, or the client is asked to pull again).
  const visibilityNow = (s: Snapshot) =>
    s.analysis.machine.regions.length <= VISIBILITY_SYNC_REGIONS || hasVisibilityDiagnostics(s.analysis);
  // A failure of the checks must not take the analysis's own diagnostics with it.
  const visibilityOf = (s: Snapshot) => {
    if (!visibilityNow(s)) return [];
    try {
      return visibilityDiagnostics(s.analysis);
    } catch (e) {
      connection.console.error(`visibility checks failed: ${e instanceof Error ? e.stack : String(e)}`);
      return [];
    }
  };
  const diagnosticsOf = (s: Snapshot) =>
    documentDiagnostics(s.analysis, { severity: settings.severity, docs: opts.docs }, visibilityOf(s))
      .map((d) => s.conv.diagnostic({ ...d, related: d.related.map((r) => (r.file ? { ...r, uri: uriOfPath(r.file, open) } : r)) }));
  const visibilityTimers = new Map<string, NodeJS.Timeout>();
  /** After diagnostics without the visibility checks went out: the checks once the document is quiet. */
  const visibilityLater = (s: Snapshot) => {
    clearTimeout(visibilityTimers.get(s.uri));
    visibilityTimers.delete(s.uri);
    if (visibilityNow(s)) return;
    visibilityTimers.set(s.uri, setTimeout(() => {
      visibilityTimers.delete(s.uri);
      // Only for the version still shown; a newer one gets its own turn.
      if (scheduler.cached(s.uri) !== s) return;
      let found: number;
      try {
        found = visibilityDiagnostics(s.analysis).length;
      } catch (e) {
        connection.console.error(`visibility checks failed: ${e instanceof Error ? e.stack : String(e)}`);
        return;
      }
      // Nothing found: what went out is already complete.
      if (found === 0) return;
      if (!pull) publish(s);
      else if (diagnosticRefresh) quietly('workspace/diagnostic/refresh', connection.languages.diagnostics.refresh());
    }, VISIBILITY_IDLE_MS));
  };

  /**
   * Files changed (edited, opened, closed, or changed on disk): every other open document whose
   * last analysis read or looked for one of them is analysed again.
   */
  const filesChanged = (paths: readonly string[], except?: string) => {
    if (paths.length === 0) return;
    let any = false;
    for (const uri of scheduler.uris()) {
      if (uri === except) continue;
      const last = scheduler.last(uri);
      if (!paths.some((p) => dependsOn(last, p))) continue;
      scheduler.inputsChanged(uri);
      any = true;
      if (!pull) scheduler.schedule(uri, publish);
    }
    if (any && pull && diagnosticRefresh) quietly('workspace/diagnostic/refresh', connection.languages.diagnostics.refresh());
  };
  const changed = (uri: string) => {
    const p = pathOfUri(uri);
    if (p !== undefined) filesChanged([p], uri);
  };

  // MRD_TRACE_TIMING=1: one line on stderr per published version, saying where its time went.
  const trace = process.env.MRD_TRACE_TIMING ? (line: string) => process.stderr.write(`mrd timing: ${line}\n`) : undefined;
  const publish = (s: Snapshot) => {
    const t0 = performance.now();
    const diagnostics = diagnosticsOf(s);
    const t1 = performance.now();
    quietly('publishDiagnostics', connection.sendDiagnostics({ uri: s.uri, version: s.version, diagnostics }));
    visibilityLater(s);
    trace?.(`${s.uri} v${s.version}: analysis ${ms(s.analysisMs)}, line index ${ms(s.lineIndexMs)}, ` +
      `${diagnostics.length} diagnostics to LSP ${ms(t1 - t0)}, send ${ms(performance.now() - t1)}`);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    pull = !!caps.textDocument?.diagnostic;
    configurationPull = !!caps.workspace?.configuration;
    diagnosticRefresh = !!caps.workspace?.diagnostics?.refreshSupport;
    inlayRefresh = !!caps.workspace?.inlayHint?.refreshSupport;
    codeLensRefresh = !!caps.workspace?.codeLens?.refreshSupport;
    watchFiles = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    folderEvents = !!caps.workspace?.workspaceFolders;
    workspace = new WorkspaceFiles(params.workspaceFolders ? folderPaths(params.workspaceFolders)
      : params.rootUri ? folderPaths([{ uri: params.rootUri }]) : []);
    foldLimit = caps.textDocument?.foldingRange?.rangeLimit ?? Infinity;
    const init = params.initializationOptions as { settings?: unknown } | undefined;
    if (init?.settings) settings = readSettings(init.settings);
    scheduler.setAnalyzer(analyzerFor(settings));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        documentSymbolProvider: { label: 'mrd' },
        workspaceSymbolProvider: true,
        definitionProvider: true,
        documentLinkProvider: { resolveProvider: false },
        referencesProvider: true,
        documentHighlightProvider: true,
        selectionRangeProvider: true,
        renameProvider: { prepareProvider: true },
        foldingRangeProvider: true,
        completionProvider: { triggerCharacters: ['>', '/', '"'] },
        inlayHintProvider: true,
        codeLensProvider: { resolveProvider: true },
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        semanticTokensProvider: { legend: { tokenTypes: [...semanticTokenTypes], tokenModifiers: [...semanticTokenModifiers] }, full: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        // Inter-file: an edit to an included file changes the diagnostics of the files including it.
        diagnosticProvider: pull ? { identifier: 'mrd', interFileDependencies: true, workspaceDiagnostics: false } : undefined,
      },
      serverInfo: { name: 'mrd-language-server', version: '0.1.0' },
    };
  });

  connection.onInitialized(async () => {
    // Included files that are not open change on disk: watch them (all .mrd files; the
    // documents that include one are found by path).
    if (watchFiles) quietly('client/registerCapability', connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.mrd' }] }));
    // Folders added or removed: the closed files of the new set.
    if (folderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders(() => {
        quietly('workspace/workspaceFolders', connection.workspace.getWorkspaceFolders().then((folders) => {
          workspace = new WorkspaceFiles(folderPaths(folders ?? []));
        }));
      });
    }
    if (configurationPull) await reloadSettings();
  });

  connection.onDidChangeWatchedFiles((p) => {
    const paths = p.changes.flatMap((c) => pathOfUri(c.uri) ?? []);
    workspace.changed(paths);
    filesChanged(paths);
  });

  async function reloadSettings(pushed?: unknown): Promise<void> {
    let raw = pushed;
    if (configurationPull) {
      try {
        [raw] = await connection.workspace.getConfiguration([{ section: 'mrd' }]);
      } catch {
        // Keep the previous settings if the client cannot answer.
      }
    }
    settings = readSettings(raw);
    scheduler.setAnalyzer(analyzerFor(settings));
    if (pull && diagnosticRefresh) quietly('workspace/diagnostic/refresh', connection.languages.diagnostics.refresh());
    else if (!pull) for (const uri of scheduler.uris()) scheduler.schedule(uri, publish);
    if (inlayRefresh) quietly('workspace/inlayHint/refresh', connection.languages.inlayHint.refresh());
    if (codeLensRefresh) quietly('workspace/codeLens/refresh', connection.sendRequest('workspace/codeLens/refresh'));
  }

  connection.onDidChangeConfiguration((p) => void reloadSettings((p.settings as { mrd?: unknown })?.mrd));

  // Opening or closing a document changes where its includers read it from (editor or disk).
  documents.onDidOpen((e) => {
    scheduler.open(e.document.uri, e.document.version, e.document.getText());
    if (!pull) scheduler.schedule(e.document.uri, publish);
    changed(e.document.uri);
  });
  documents.onDidChangeContent((e) => {
    scheduler.update(e.document.uri, e.document.version, e.document.getText());
    if (!pull) scheduler.schedule(e.document.uri, publish);
    changed(e.document.uri);
  });
  documents.onDidClose((e) => {
    scheduler.close(e.document.uri);
    clearTimeout(visibilityTimers.get(e.document.uri));
    visibilityTimers.delete(e.document.uri);
    if (!pull) quietly('publishDiagnostics', connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }));
    changed(e.document.uri);
  });

  connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport> => {
    const s = await scheduler.settled(params.textDocument.uri, token);
    if (token.isCancellationRequested) {
      throw new ResponseError(LSPErrorCodes.ServerCancelled, 'superseded by a newer version', { retriggerRequest: true });
    }
    if (!s) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    // The visibility checks, once computed for this version, make it another result.
    const resultId = `${s.version}.${s.inputs}${visibilityNow(s) ? '' : '-'}:${settingsStamp(settings)}`;
    if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    const items = diagnosticsOf(s);
    visibilityLater(s);
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items };
  });

  /** Runs `f` on the latest analysis of the document at the given position's offset. */
  const at = <T>(uri: string, token: CancellationToken | undefined, f: (s: Snapshot) => T): T | null => {
    if (token?.isCancellationRequested) return null;
    const s = scheduler.current(uri);
    if (!s) return null;
    try {
      return f(s);
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      connection.console.error(`request failed: ${e instanceof Error ? e.stack : String(e)}`);
      return null;
    }
  };

  connection.onHover((p, token) => at(p.textDocument.uri, token, (s) => {
    const h = hover(s.analysis, s.conv.offset(p.position));
    return h ? { contents: { kind: 'markdown' as const, value: h.markdown }, range: s.conv.range(h.span) } : null;
  }));

  // Answers that depend only on the version and the settings, kept with the version's snapshot:
  // VS Code asks for the outline of a version several times (outline view, breadcrumbs, sticky
  // scroll), and at 100k regions each answer is 5000 symbols. A settings change makes new
  // snapshots (Scheduler.setAnalyzer), so the settings need no part in the key.
  const answers = new WeakMap<Snapshot, Map<string, unknown>>();
  const kept = <T>(s: Snapshot, key: string, f: () => T): T => {
    let m = answers.get(s);
    if (!m) answers.set(s, (m = new Map()));
    if (!m.has(key)) m.set(key, f());
    return m.get(key) as T;
  };

  // Outline and folding within mrd.maxItemsComputed (and the client's folding limit); once per
  // document the log says when the outline was cut.
  const cutOutlines = new Set<string>();
  connection.onDocumentSymbol((p, token) => at(p.textDocument.uri, token, (s) => kept(s, 'symbols', () => {
    const o = outline(s.analysis, settings.maxItemsComputed);
    if (o.truncated && !cutOutlines.has(s.uri)) {
      cutOutlines.add(s.uri);
      connection.console.info(`${s.uri}: the outline shows the first ${settings.maxItemsComputed} symbols, breadth first (setting mrd.maxItemsComputed)`);
    }
    return o.symbols.map((x) => s.conv.symbol(x));
  })));

  // Over the open documents, each analysed at its latest version (cached per version), then the
  // workspace's closed files as they are on disk; at most this many (editors show a few hundred).
  const WORKSPACE_SYMBOLS = 1000;
  connection.onWorkspaceSymbol((p, token) => {
    if (token.isCancellationRequested) return null;
    const snaps = scheduler.uris().flatMap((u) => scheduler.current(u) ?? []);
    const byUri = new Map(snaps.map((s) => [s.uri, s]));
    const own = workspaceSymbols(snaps, p.query, WORKSPACE_SYMBOLS).map((x) => byUri.get(x.uri)!.conv.workspaceSymbol(x));
    // Then the workspace's files the editor does not have open, as they are on disk.
    const openPaths = new Set(documents.all().flatMap((d) => pathOfUri(d.uri) ?? []));
    return own.concat(workspace.symbols(p.query, (path) => openPaths.has(path), WORKSPACE_SYMBOLS - own.length));
  });

  connection.onFoldingRanges((p, token) => at(p.textDocument.uri, token, (s) => {
    const limit = Math.min(settings.maxItemsComputed, foldLimit);
    return kept(s, 'folds', () => foldingRanges(s.analysis, limit).flatMap((f) => s.conv.fold(f) ?? []));
  }));

  connection.onDefinition((p, token) => at(p.textDocument.uri, token, (s) =>
    definition(s.analysis, s.conv.offset(p.position)).map((sp) => locationOf(s.analysis, s.conv, sp, open))));

  // Each include path links to the file it names (when it was read).
  connection.onDocumentLinks((p, token) => at(p.textDocument.uri, token, (s) =>
    includeLinks(s.analysis).map((l) => ({ range: s.conv.range(l.span), target: uriOfPath(l.path, open) }))));

  connection.onReferences((p, token) => at(p.textDocument.uri, token, (s) =>
    references(s.analysis, s.conv.offset(p.position), p.context.includeDeclaration).map((sp) => locationOf(s.analysis, s.conv, sp, open))));

  // The symbol under the cursor, its declaration and its uses: that symbol's only, not every
  // word spelt the same (the editor's own fallback).
  connection.onDocumentHighlight((p, token) => at(p.textDocument.uri, token, (s) =>
    highlights(s.analysis, s.conv.offset(p.position)).map((h) => s.conv.highlight(h))));

  // Expand selection: per position, the ranges from the innermost outwards, linked to their parents.
  connection.onSelectionRanges((p, token) => at(p.textDocument.uri, token, (s) =>
    p.positions.map((pos) => s.conv.selectionRange(selectionRanges(s.analysis, s.conv.offset(pos))))));

  connection.onPrepareRename((p, token) => at(p.textDocument.uri, token, (s) => {
    const r = prepareRename(s.analysis, s.conv.offset(p.position));
    return r ? { range: s.conv.range(r.span), placeholder: r.placeholder } : null;
  }));

  connection.onRenameRequest((p, token) => at(p.textDocument.uri, token, (s) => {
    const r = rename(s.analysis, s.conv.offset(p.position), p.newName);
    if (!r.ok) throw new ResponseError(LSPErrorCodes.RequestFailed, r.reason);
    return { changes: { [p.textDocument.uri]: r.edits.map((e) => s.conv.edit(e.span, e.text)) } };
  }));

  connection.onCodeAction((p, token) => at(p.textDocument.uri, token, (s) => {
    const range = { start: s.conv.offset(p.range.start), end: s.conv.offset(p.range.end) };
    // `only`: the kinds the editor asked for (a kind covers its sub-kinds).
    const wants = (kind: string) => !p.context.only || p.context.only.some((k) => kind === k || kind.startsWith(`${k}.`));
    const fixes = !wants(CodeActionKind.QuickFix) ? [] : quickFixes(s.analysis, range).map((f) => ({
      title: f.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: p.context.diagnostics.filter((d) => d.code === f.code && s.conv.offset(d.range.start) === f.span.start),
      edit: { changes: { [p.textDocument.uri]: f.edits.map((e) => s.conv.edit(e.span, e.text)) } },
    }));
    const rewrites = !wants(CodeActionKind.RefactorRewrite) ? [] : numberRewrites(s.analysis, range).map((r) => ({
      title: r.title,
      kind: CodeActionKind.RefactorRewrite,
      edit: { changes: { [p.textDocument.uri]: r.edits.map((e) => s.conv.edit(e.span, e.text)) } },
    }));
    return [...fixes, ...rewrites];
  }));

  connection.onCompletion((p, token) => at(p.textDocument.uri, token, (s) => {
    // Inside `include "…`: the files and directories next to the document (or under the typed directory).
    const offset = s.conv.offset(p.position);
    const ip = includePathAt(s.analysis.text, offset);
    const from = pathOfUri(s.uri);
    if (ip && from !== undefined) {
      const range = s.conv.range(ip.replace);
      return {
        isIncomplete: false,
        items: includePathEntries(from, ip.typed).map((e) => ({
          label: e.directory ? `${e.name}/` : e.name,
          kind: e.directory ? CompletionItemKind.Folder : CompletionItemKind.File,
          textEdit: { range, newText: e.directory ? `${e.name}/` : e.name },
          // A directory: go on completing inside it.
          command: e.directory ? { title: 'suggest', command: 'editor.action.triggerSuggest' } : undefined,
        })),
      };
    }
    const list = completions(s.analysis, offset);
    return { isIncomplete: false, items: list.items.map((c) => s.conv.completion(c, list.replace)) };
  }));

  connection.languages.inlayHint.on((p, token) => at(p.textDocument.uri, token, (s) => {
    if (!settings.inlayHints.enabled) return [];
    const range = { start: s.conv.offset(p.range.start), end: s.conv.offset(p.range.end) };
    return inlayHints(s.analysis, range).map((h) => s.conv.inlayHint(h));
  }));

  // Lenses are listed cheaply and titled on resolve (visibility walks the flat view); a lens
  // of an older version resolves to nothing rather than to another region's numbers.
  // A lens carries what its resolve needs as `[document, version, region]`, the document as a
  // number of this server's (5000 lenses would otherwise repeat its URI 5000 times).
  const lensDocs = new Map<string, number>();
  const lensUris: string[] = [];
  const lensDoc = (uri: string) => {
    let n = lensDocs.get(uri);
    if (n === undefined) lensDocs.set(uri, (n = lensUris.push(uri) - 1));
    return n;
  };
  connection.onCodeLens((p, token) => at(p.textDocument.uri, token, (s) => {
    if (!settings.codeLens.enabled) return [];
    return kept(s, 'lenses', () => {
      const doc = lensDoc(s.uri);
      return codeLenses(s.analysis, settings.maxItemsComputed).map((l) => ({ range: s.conv.range(l.span), data: [doc, s.version, l.region] }));
    });
  }));

  connection.onCodeLensResolve((lens, token) => {
    const d = lens.data as unknown;
    const ok = Array.isArray(d) && d.length === 3 && d.every((x) => Number.isInteger(x)) && lensUris[d[0]] !== undefined;
    const title = ok ? at(lensUris[d[0]], token, (s) => (s.version === d[1] ? codeLensTitle(s.analysis, d[2]) : null)) : null;
    return { ...lens, command: { title: title ?? '', command: '' } };
  });

  // Formatting reads the text of the latest version; it needs no analysis.
  connection.onDocumentFormatting((p, token) => at(p.textDocument.uri, token, (s) =>
    formatDocument(s.analysis.text).map((e) => s.conv.edit(e.span, e.text))));

  connection.onDocumentRangeFormatting((p, token) => at(p.textDocument.uri, token, (s) =>
    formatRange(s.analysis.text, { start: s.conv.offset(p.range.start), end: s.conv.offset(p.range.end) })
      .map((e) => s.conv.edit(e.span, e.text))));

  connection.languages.semanticTokens.on((p, token) =>
    at(p.textDocument.uri, token, (s) => s.conv.semanticTokens(semanticTokens(s.analysis))) ?? { data: [] });

  connection.onRequest(FlatViewRequest.method, (p: FlatViewParams, token): FlatViewResult | null =>
    at(p.uri, token, (s) => ({ text: flatViewText(s.analysis, p.space), spaces: spaceNames(s.analysis), version: s.version })));

  connection.onRequest(MtreeRequest.method, (p: MtreeParams, token): MtreeResult | null =>
    at(p.uri, token, (s) => ({ text: mtreeText(s.analysis, !!p.disabled), version: s.version })));

  connection.onRequest(MapDataRequest.method, (p: MapDataParams, token): MapDataResult | null =>
    at(p.uri, token, (s) => {
      // Cached with the analysis, as is the input: a panel opened again costs only the transfer.
      return {
        map: mapWire(s.analysis, { step: p.step, sequence: p.sequence }, (sp) => {
          // Something declared in an included file is revealed at the include that brought it in.
          const r = s.conv.range(s.analysis.includes?.locate(sp)?.file.via ?? sp);
          return [r.start.line, r.start.character, r.end.line, r.end.character];
        }),
        version: s.version,
      };
    }));

  // Stateless and independent of any open document; a dump the importer cannot read is a
  // failed request with the reason, never a crash.
  connection.onRequest(ImportMtreeRequest.method, (p: ImportMtreeParams): ImportMtreeResult => {
    if (typeof p?.text !== 'string') throw new ResponseError(LSPErrorCodes.RequestFailed, 'no dump text given');
    try {
      const r = importMtree(p.text, { qtree: p.qtree, cmdline: p.cmdline });
      const lines = new LineIndex(p.text);
      return {
        text: r.text,
        diagnostics: r.diagnostics.map((d) => ({
          code: d.code, severity: d.severity, message: d.message, line: lines.position(d.span.start).line + 1,
        })),
      };
    } catch (e) {
      connection.console.error(`import failed: ${e instanceof Error ? e.stack : String(e)}`);
      throw new ResponseError(LSPErrorCodes.RequestFailed, `import failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  });

  documents.listen(connection);
  connection.listen();
}

const ms = (x: number | undefined): string => (x === undefined ? '-' : `${x.toFixed(1)} ms`);

function settingsStamp(s: MrdSettings): string {
  return `${s.cpu.physBits}.${s.iommu.awBits}.${JSON.stringify(s.severity)}`;
}
