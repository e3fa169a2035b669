// Entry point of the bundled language server (server/out/server.js). The transport (--stdio,
// --node-ipc, --socket=N) is chosen by vscode-languageserver from the command line.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server.js';

// server/out/server.js → <package root>/docs/language.md (shipped in the .vsix).
const docsUrl = pathToFileURL(path.resolve(__dirname, '..', '..', 'docs', 'language.md')).toString();

startServer(createConnection(ProposedFeatures.all), { docsUrl });
