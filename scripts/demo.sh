#!/usr/bin/env bash
# The demo: builds the release panel and serves it together with the DocSpace
# simulator on one origin (default http://127.0.0.1:8080). Extra arguments go
# to the simulator, e.g. --profile docspace-3.7 or --users 50000 --groups 2000.
set -euo pipefail
source "$(dirname "$0")/env.sh"
scripts/build.sh
cargo build -q -p docspace-sim --profile sim
exec target/sim/docspace-sim --addr "${ADDR:-127.0.0.1:8080}" --static-dir dist "$@"
