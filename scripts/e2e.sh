#!/usr/bin/env bash
# The end-to-end suite: the release build (dist/) in Chromium, driven by
# Playwright, against DocSpace simulators started with --test-control.
# Needs dist/ (scripts/build.sh) and target/sim/docspace-sim
# (cargo build -p docspace-sim --profile sim); scripts/test.sh builds both first.
# Prints `e2e: N passed, N failed` last and exits non-zero when anything failed.
# Options go through the environment (see tests/e2e/README.md), e.g.
#   E2E_ONLY='fault' scripts/e2e.sh
#   E2E_SCREENSHOTS_TO=docs/screenshots E2E_ONLY=screens scripts/e2e.sh
set -euo pipefail
source "$(dirname "$0")/env.sh"

fail() { echo "e2e: $*" >&2; echo "e2e: 0 passed, 1 failed"; exit 1; }
[ -f dist/index.html ] || fail "dist/ is missing: run scripts/build.sh first"
sim_bin="${E2E_SIM_BIN:-target/sim/docspace-sim}"
[ -x "$sim_bin" ] || fail "the simulator ($sim_bin) is missing: run cargo build -p docspace-sim --profile sim first"
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || fail "Chromium is missing: run scripts/setup.sh"

# npm ci only when node_modules is missing or older than the lock file.
e2e=tests/e2e
stamp="$e2e/node_modules/.lock-sha256"
want=$(sha256sum "$e2e/package-lock.json" | cut -d' ' -f1)
if [ ! -d "$e2e/node_modules/playwright-core" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "e2e: installing the suite's packages (npm ci)"
  (cd "$e2e" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
fi

# The suite starts its own simulators (one pool per profile, each with
# --test-control --static-dir dist, plus a static second origin) and stops them.
exec node "$e2e/run.mjs"
