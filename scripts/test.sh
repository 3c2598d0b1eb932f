#!/usr/bin/env bash
# The test command: every check the project has, in order, on a fresh machine
# or a warm one. Installs what it needs (scripts/setup.sh), then runs:
# format, clippy (native and wasm), native tests (rules + simulator), the release
# build (scripts/build.sh, the same build `make demo` and `make bench` ship), a
# smoke test of the built page, browser tests, the end-to-end suite.
#
# A failing step does not stop the run: every suite reports, the last line is
# always `total: N passed, N failed` (a failed step without test counts, such
# as formatting or the build, counts as one failure), and the exit status is
# non-zero when anything failed.
set -uo pipefail
source "$(dirname "$0")/env.sh"

logs="$root/target/test-logs"
mkdir -p "$logs"
rm -f "$logs"/*.log
started=$(date +%s)
failed_steps=()
step() {
  local name="$1"; shift
  local t0; t0=$(date +%s)
  printf '\n\033[1m== %s\033[0m\n' "$name"
  if "$@"; then
    printf -- '-- %s: %ss\n' "$name" "$(( $(date +%s) - t0 ))"
  else
    printf -- '-- %s: FAILED after %ss\n' "$name" "$(( $(date +%s) - t0 ))"
    failed_steps+=("$name")
  fi
}
counted() { # runs a test command, keeping its output for the totals
  local log="$logs/$1.log"; shift
  "$@" 2>&1 | tee "$log"
}

# Without the tools nothing else can run.
step "set-up" scripts/setup.sh
if [ ${#failed_steps[@]} -gt 0 ]; then
  echo "total: 0 passed, 1 failed"
  exit 1
fi
step "format" cargo fmt --all -- --check
step "message catalogues: keys, placeholders, plural forms (and the check itself)" \
  bash -c 'python3 scripts/i18n.py self-test && python3 scripts/i18n.py check'
step "clippy (native)" cargo clippy --workspace --all-targets -q -- -D warnings
step "clippy (wasm)" cargo clippy -p tfa-panel --target wasm32-unknown-unknown --all-targets -q -- -D warnings
step "native tests: rules, API mapping, the reactive-graph leaks" counted rules cargo test -p tfa-panel --lib --test subscribers
step "native tests: simulator over HTTP" counted sim cargo test -p docspace-sim
step "release build (scripts/build.sh)" scripts/build.sh
# The tests use the simulator binary that its own tests just built: a separate
# optimised build would cost minutes of a cold run for no difference in behaviour.
step "simulator build" cargo build -q -p docspace-sim
export SIM_BIN="$root/target/debug/docspace-sim" E2E_SIM_BIN="$root/target/debug/docspace-sim"
step "smoke: the built panel mounts in Chromium" scripts/smoke.sh
step "browser tests (wasm-bindgen-test in Chromium)" counted browser scripts/browser-tests.sh
step "end-to-end suite (Playwright, release build)" counted e2e scripts/e2e.sh

# One closing line over every runner: cargo's "test result" lines, the
# end-to-end suite's own "N passed, N failed", and failed steps that counted
# no tests of their own.
passed=0; failed=0
while read -r p f; do passed=$((passed + p)); failed=$((failed + f)); done < <(
  cat "$logs"/*.log 2>/dev/null | sed -nE 's/.*test result: [A-Za-z]+\. ([0-9]+) passed; ([0-9]+) failed.*/\1 \2/p; s/^e2e: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/p'
)
uncounted=0
for name in "${failed_steps[@]}"; do
  case "$name" in
    native*|browser*|end-to-end*) # counted in their logs, unless they died before reporting
      log=""
      case "$name" in native*rules*) log=rules ;; native*simulator*) log=sim ;; browser*) log=browser ;; end-to-end*) log=e2e ;; esac
      grep -qE 'test result: [A-Za-z]+\. [0-9]+ passed; [1-9]|^e2e: [0-9]+ passed, [1-9]' "$logs/$log.log" 2>/dev/null \
        || uncounted=$((uncounted + 1)) ;;
    *) uncounted=$((uncounted + 1)) ;;
  esac
done
failed=$((failed + uncounted))
printf '\nAll checks done in %ss.\n' "$(( $(date +%s) - started ))"
if [ ${#failed_steps[@]} -gt 0 ]; then
  printf 'failed steps:'; printf ' [%s]' "${failed_steps[@]}"; echo
fi
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ ${#failed_steps[@]} -eq 0 ]
