#!/usr/bin/env bash
# Builds the release panel into dist/ with Trunk, offline (nothing is downloaded).
set -euo pipefail
source "$(dirname "$0")/env.sh"
scripts/setup.sh
trunk build --release --offline "$@"
