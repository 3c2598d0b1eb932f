#!/usr/bin/env bash
# Browser tests (tests/browser.rs): the panel mounted in headless Chromium by
# wasm-bindgen-test, against three simulators (seed, docspace-3.7 and docspace-3.6) with test
# control on fixed loopback ports that the tests were compiled to expect.
set -euo pipefail
source "$(dirname "$0")/env.sh"
source scripts/sim-lib.sh
source scripts/chromium-flags.sh
write_webdriver_json
seed_addr="${TFA_SIM_SEED_ADDR:-127.0.0.1:18181}"
v37_addr="${TFA_SIM_37_ADDR:-127.0.0.1:18182}"
v36_addr="${TFA_SIM_36_ADDR:-127.0.0.1:18183}"
export TFA_SIM_SEED="http://$seed_addr" TFA_SIM_37="http://$v37_addr" TFA_SIM_36="http://$v36_addr"
start_sim seed --addr "$seed_addr" --test-control
start_sim v37 --addr "$v37_addr" --test-control --profile docspace-3.7
start_sim v36 --addr "$v36_addr" --test-control --profile docspace-3.6
export WASM_BINDGEN_TEST_TIMEOUT=120
cargo test -p tfa-panel --target wasm32-unknown-unknown --test browser
