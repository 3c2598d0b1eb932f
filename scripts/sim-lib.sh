# Sourced: start_sim NAME [simulator args…] starts a simulator on a free
# loopback port, exports SIM_URL, and stops it when the calling script exits.
# SIM_BIN names the binary (default: the optimised build of `make demo`).
sim_pids=()
stop_sims() { for p in "${sim_pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap stop_sims EXIT
start_sim() {
  local name="$1"; shift
  local out="$root/target/test-logs/sim-$name.out"
  mkdir -p "$(dirname "$out")"
  local addr=(--addr 127.0.0.1:0)
  case " $* " in *" --addr "*) addr=() ;; esac
  "${SIM_BIN:-$root/target/sim/docspace-sim}" "${addr[@]}" --quiet "$@" >"$out" 2>&1 &
  sim_pids+=($!)
  for _ in $(seq 100); do
    if SIM_URL=$(sed -n 's/^listening on //p' "$out" | head -1) && [ -n "$SIM_URL" ]; then
      export SIM_URL; return 0
    fi
    sleep 0.1
  done
  echo "simulator $name did not start:" >&2; cat "$out" >&2; return 1
}
