#!/usr/bin/env bash
# Installs what the build and the tests need, each piece only when it is
# missing or at the wrong version. Safe to run again: it then does nothing.
set -euo pipefail
source "$(dirname "$0")/env.sh"

step() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
# The CLI must equal the wasm-bindgen crate in Cargo.lock exactly, or Trunk
# tries to download one. Without --locked: a locked install fails to resolve.
if ! wasm-bindgen --version 2>/dev/null | grep -q ' 0\.2\.130$'; then
  step "installing wasm-bindgen-cli 0.2.130 (a few minutes, once per machine)"
  cargo install wasm-bindgen-cli --version =0.2.130 --force
fi
if ! trunk --version 2>/dev/null | grep -q ' 0\.21\.14$'; then
  step "installing trunk 0.21.14 (several minutes, once per machine)"
  cargo install --locked trunk --version 0.21.14 --force
fi
# Debian's wasm-opt (binaryen 108) builds a module that dies on load: use npm's.
if ! [ -x .tools/node_modules/.bin/wasm-opt ] || ! .tools/node_modules/.bin/wasm-opt --version | grep -q 'version 132'; then
  step "installing wasm-opt (npm binaryen 132)"
  mkdir -p .tools
  npm install --prefix .tools --no-audit --no-fund --silent binaryen@132.0.0
fi
# The glue JS is minified after the build (scripts/csp.py): Trunk's own
# minifier breaks wasm-bindgen's glue.
if ! [ -x .tools/node_modules/.bin/terser ] || ! .tools/node_modules/.bin/terser --version | grep -q ' 5\.51\.4$'; then
  step "installing terser (npm terser 5.51.4)"
  mkdir -p .tools
  npm install --prefix .tools --no-audit --no-fund --silent terser@5.51.4
fi
if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; then
  step "installing Debian's chromium and chromium-driver"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
