#!/usr/bin/env bash
# `make build-small`: an opt-in release build with std rebuilt without its
# panic machinery (nightly, -Zbuild-std, panics abort at once: no message,
# no location, no formatting code), into target/dist-small/. The default
# build (scripts/build.sh) stays on stable; bench/README.md's ledger says
# what this saves and what making it the default would cost.
#
# Needs the nightly toolchain with rust-src; installs it through rustup when
# it is missing (NIGHTLY=nightly-YYYY-MM-DD pins one).
set -euo pipefail
source "$(dirname "$0")/env.sh"
scripts/setup.sh >/dev/null
nightly="${NIGHTLY:-nightly}"
if ! rustup run "$nightly" rustc --version >/dev/null 2>&1 \
  || ! [ -d "$(rustup run "$nightly" rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
  echo "build-small: installing the $nightly toolchain with rust-src (rustup)"
  rustup toolchain install "$nightly" --profile minimal -c rust-src -t wasm32-unknown-unknown
fi
out=target/dist-small
cargo_home="${CARGO_HOME:-$HOME/.cargo}"
export RUSTUP_TOOLCHAIN="$nightly"
export CARGO_TARGET_DIR=target/small
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export RUSTFLAGS="--cfg erase_components -Zunstable-options -Cpanic=immediate-abort --remap-path-prefix=$cargo_home/registry/src=/crates --remap-path-prefix=$cargo_home/git/checkouts=/crates --remap-path-prefix=$root=/tfa-panel"
# -Zbuild-std resolves std's own dependencies (compiler_builtins, wasip1, …)
# from the registry, and Trunk builds offline: build once with cargo first,
# which fetches them (then Trunk's own cargo call has nothing left to do).
cargo build --release --target wasm32-unknown-unknown --bin tfa-panel -q
trunk build --release --offline --dist "$out" "$@"
node scripts/precompress.mjs "$out"
echo "build-small: $out ($(rustup run "$nightly" rustc --version))"
