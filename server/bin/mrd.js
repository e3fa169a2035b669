#!/usr/bin/env node
// The `mrd` command line. Runs the bundle built by `npm run build` (server/out/cli.js).
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'out', 'cli.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write('mrd: not built yet: run `npm run build` in the repository root\n');
  process.exit(2);
}
require(bundle).main();
