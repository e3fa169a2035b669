#!/usr/bin/env node
// The mrd language server for any LSP client: `mrd-language-server --stdio`
// (also --node-ipc, --socket=PORT). Runs the bundle built by `npm run build`.
require('../out/server.js');
