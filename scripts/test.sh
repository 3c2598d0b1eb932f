#!/usr/bin/env bash
# The test command: every check the project has, in order, on a fresh machine
# or a warm one. Installs what it needs (scripts/setup.sh), then runs:
# format, clippy (native and wasm), native tests (rules + simulator), the release
# build, a smoke test of the built page, browser tests, the end-to-end suite.
set -euo pipefail
source "$(dirname "$0")/env.sh"

logs="$root/target/test-logs"
mkdir -p "$logs"
rm -f "$logs"/*.log
started=$(date +%s)
step() {
  local name="$1"; shift
  local t0; t0=$(date +%s)
  printf '\n\033[1m== %s\033[0m\n' "$name"
  "$@"
  printf -- '-- %s: %ss\n' "$name" "$(( $(date +%s) - t0 ))"
}
counted() { # runs a cargo test command, keeping its output for the totals
  local log="$logs/$1.log"; shift
  "$@" 2>&1 | tee "$log"
}

step "set-up" scripts/setup.sh
step "format" cargo fmt --all -- --check
step "clippy (native)" cargo clippy --workspace --all-targets -q -- -D warnings
step "clippy (wasm)" cargo clippy -p tfa-panel --target wasm32-unknown-unknown --all-targets -q -- -D warnings
step "native tests: rules, API mapping, the reactive-graph leak" counted rules cargo test -p tfa-panel --lib --test subscribers
step "native tests: simulator over HTTP" counted sim cargo test -p docspace-sim
step "release build" trunk build --release --offline
# The tests use the simulator binary that its own tests just built: a separate
# optimised build would cost minutes of a cold run for no difference in behaviour.
step "simulator build" cargo build -q -p docspace-sim
export SIM_BIN="$root/target/debug/docspace-sim" E2E_SIM_BIN="$root/target/debug/docspace-sim"
step "smoke: the built panel mounts in Chromium" scripts/smoke.sh
step "browser tests (wasm-bindgen-test in Chromium)" counted browser scripts/browser-tests.sh
if [ -x scripts/e2e.sh ]; then
  step "end-to-end suite (Playwright, release build)" counted e2e scripts/e2e.sh
fi

# One closing line over every runner: cargo's "test result" lines and the
# end-to-end suite's own "N passed, N failed".
passed=0; failed=0
while read -r p f; do passed=$((passed + p)); failed=$((failed + f)); done < <(
  cat "$logs"/*.log | sed -nE 's/.*test result: [A-Za-z]+\. ([0-9]+) passed; ([0-9]+) failed.*/\1 \2/p; s/^e2e: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/p'
)
printf '\nAll checks done in %ss.\n' "$(( $(date +%s) - started ))"
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
