// Entry point of the bundled language server (server/out/server.js). The transport (--stdio,
// --node-ipc, --socket=N) is chosen by vscode-languageserver from the command line.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { docsLinks } from '../ide/diagnostics.js';
import { startServer } from './server.js';

// server/out/server.js → <package root>/docs/language.md (shipped in the .vsix). Diagnostic
// codes link to their section there; without the file, codes have no link.
const docsFile = path.resolve(__dirname, '..', '..', 'docs', 'language.md');
let docs: ((code: string) => string | undefined) | undefined;
try {
  docs = docsLinks(fs.readFileSync(docsFile, 'utf8'), pathToFileURL(docsFile).toString());
} catch {
  docs = undefined;
}

const connection = createConnection(ProposedFeatures.all);
// A promise rejected where nobody waits for it ends a Node process by default. The server's own
// requests to the client are guarded (`quietly` in server.ts); anything else is logged, and the
// server goes on answering rather than leave the editor without a language server.
process.on('unhandledRejection', (e) => {
  connection.console.error(`unhandled rejection: ${e instanceof Error ? e.stack : String(e)}`);
});
startServer(connection, { docs });
