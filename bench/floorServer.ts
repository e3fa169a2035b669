// The transport floor of open → diagnostics: a language server on the same library as mrd's
// (vscode-languageserver, its document manager) that publishes no diagnostics as soon as a
// document is opened or changed. Whatever an open takes with it is the client's serialising,
// the pipe, and the library's reading, decoding and parsing of the message: the part of
// mrd's open that is not mrd's (bench/lsp.ts measures both in the same run). With `--least` it
// first runs the least analysis any server must do (bench/leastAnalysis.ts) on each version: a
// lower bound of mrd's open on this machine.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TextDocumentSyncKind, TextDocuments, createConnection } from 'vscode-languageserver/node';
import { leastAnalysis } from './leastAnalysis.js';

const connection = createConnection();
const documents = new TextDocuments(TextDocument);
connection.onInitialize(() => ({ capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental, hoverProvider: true } }));
const least = process.argv.includes('--least');
const publish = (d: TextDocument) => {
  if (least) leastAnalysis(d.getText());
  void connection.sendDiagnostics({ uri: d.uri, version: d.version, diagnostics: [] });
};
// An open is also reported as a change of content: one publish for it.
documents.onDidChangeContent((e) => publish(e.document));
connection.onHover(() => null);
documents.listen(connection);
connection.listen();
