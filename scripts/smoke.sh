#!/usr/bin/env bash
# Loads the release build from the simulator in headless Chromium and checks
# that the panel mounted: a green build can still be a blank page.
set -euo pipefail
source "$(dirname "$0")/env.sh"
source scripts/sim-lib.sh
source scripts/chromium-flags.sh
start_sim smoke --static-dir dist
profile=$(mktemp -d)
dom=$(timeout 60 chromium "${CHROMIUM_FLAGS[@]}" --user-data-dir="$profile" --virtual-time-budget=10000 --dump-dom "$SIM_URL/" 2>/dev/null || true)
rm -rf "$profile"
if grep -q 'data-panel="mounted"' <<<"$dom" && grep -q 'Connect to your portal' <<<"$dom"; then
  echo "smoke: the panel mounted and shows the connect form"
else
  echo "smoke: FAILED: the page did not mount the panel" >&2
  head -c 2000 <<<"$dom" >&2
  exit 1
fi
