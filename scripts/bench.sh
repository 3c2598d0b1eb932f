#!/usr/bin/env bash
# `make bench`: builds the release panel and the simulator, then measures in
# one run, in headless Chromium on loopback, and prints each figure beside its
# budget (issue 5): transfer sizes, start-up against the hand-written baseline
# in bench/baseline/, submit → result view, the people picker on a portal of
# 50,000 users, and memory after 10 and 200 submissions. The JSON lands in
# bench/results/. Arguments go to bench/bench.mjs, e.g. `--loads 40`, or
# `--only sizes,startup` to run some sections.
#
# When `twiggy` is installed (cargo install twiggy), it also prints where the
# wasm's size goes, by crate; BENCH_TWIGGY=0 skips that.
set -euo pipefail
source "$(dirname "$0")/env.sh"

step() { printf '\033[1mbench:\033[0m %s\n' "$*"; }
logs="$root/target/bench-logs"
mkdir -p "$logs"
quietly() { # runs a build step with its output in a log, shown only if it fails
  local name="$1"; shift
  if ! "$@" >"$logs/$name.log" 2>&1; then
    echo "bench: $name failed:" >&2; tail -40 "$logs/$name.log" >&2; exit 1
  fi
}

step "building the release panel (scripts/build.sh)"
quietly build scripts/build.sh
step "building the simulator"
quietly sim cargo build -q -p docspace-sim --profile sim

# playwright-core drives the system Chromium; nothing downloads a browser.
if ! cmp -s bench/package-lock.json bench/node_modules/.bench-installed-lock 2>/dev/null; then
  step "installing the benchmark's node packages (npm ci)"
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
  cp bench/package-lock.json bench/node_modules/.bench-installed-lock
fi

source scripts/sim-lib.sh
step "starting five simulators: the panel, the baseline, portals of 50,000 users (seed and 3.7) and one of 3,000 for bulk runs"
start_sim bench-panel --static-dir "$root/dist"
panel_url="$SIM_URL"
start_sim bench-baseline --static-dir "$root/bench/baseline"
baseline_url="$SIM_URL"
start_sim bench-large --static-dir "$root/dist" --users 50000 --groups 2000
large_url="$SIM_URL"
# Who is protected and the bulk reset, on a real release's rules (app TFA on):
# everyone on a 50,000-person portal, and a 3,000-person portal for the runs.
start_sim bench-people --static-dir "$root/dist" --profile docspace-3.7 --users 50000 --test-control
people_url="$SIM_URL"
start_sim bench-bulk --static-dir "$root/dist" --profile docspace-3.7 --users 3000 --test-control
bulk_url="$SIM_URL"

node bench/bench.mjs --dist dist --baseline-dir bench/baseline \
  --panel "$panel_url" --baseline "$baseline_url" --large "$large_url" \
  --people "$people_url" --bulk "$bulk_url" "$@"

# The size breakdown reads wasm-bindgen's output, which still has function names.
named_wasm="target/wasm-bindgen/release/tfa-panel_bg.wasm"
if [ "${BENCH_TWIGGY:-1}" != 0 ]; then
  echo
  if command -v twiggy >/dev/null && [ -f "$named_wasm" ]; then
    node bench/size-report.mjs "$named_wasm" --json bench/results/size-latest.json
  else
    echo "(for the wasm size by crate: cargo install twiggy, then make bench again)"
  fi
fi
