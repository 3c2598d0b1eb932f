#!/usr/bin/env bash
# Builds the release panel into dist/ with Trunk, offline (nothing is downloaded).
# Trunk re-runs wasm-bindgen and wasm-opt on every build, so when nothing that
# goes into dist/ changed since the last build, the build is skipped.
set -euo pipefail
source "$(dirname "$0")/env.sh"
scripts/setup.sh
inputs() {
  find src i18n build.rs style index.html Trunk.toml Cargo.toml Cargo.lock scripts/build.sh scripts/csp.py scripts/i18n.py scripts/precompress.mjs .cargo/config.toml vendor -type f -print0 \
    | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}
stamp=target/dist.stamp
want=$(inputs)
if [ -f dist/index.html ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "build: dist/ is up to date"
  exit 0
fi
# Panic locations in the wasm carry source paths: ship them relative to the
# crate, not to this machine (and a little smaller). RUSTFLAGS replaces the
# wasm rustflags of .cargo/config.toml, so it repeats them.
cargo_home="${CARGO_HOME:-$HOME/.cargo}"
export RUSTFLAGS="--cfg erase_components --remap-path-prefix=$cargo_home/registry/src=/crates --remap-path-prefix=$cargo_home/git/checkouts=/crates --remap-path-prefix=$root=/tfa-panel"
trunk build --release --offline "$@"
# Compressed copies for servers that send files as they are (see the README).
node scripts/precompress.mjs dist
mkdir -p target && echo "$want" >"$stamp"
