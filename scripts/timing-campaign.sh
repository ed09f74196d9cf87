#!/usr/bin/env bash
# The timing gate, N times without a burner and N times with a CPU burner on every core, and a table
# of the results in docs/constant-time.md (between the timing-campaign markers).
#
#   npm run timing:campaign [-- N]            # default N = 5: both conditions
#   TIMING_CAMPAIGN_CONDITIONS=busy npm run timing:campaign -- 3      # only one condition
#   TIMING_CAMPAIGN_LABEL="busy (other load)"                          # appended to the condition name
#
# Each run is `vitest run --project timing` (the same as the timing stage of `npm test`), capped at
# TIMING_CAMPAIGN_RUN_S seconds (default 480; a capped run shows as TIMEOUT), and the whole campaign at
# TIMING_CAMPAIGN_MAX_S (default 10 800: no run starts after it). The burners are `node -e` busy loops,
# processes started by this script and stopped BY PID after each run, and by a trap on EXIT, INT and
# TERM, so none outlives the campaign. Results: tests/.tmp/timing-campaign/run-K/.
set -uo pipefail
cd "$(dirname "$0")/.."

n=${1:-5}
conditions=${TIMING_CAMPAIGN_CONDITIONS:-quiet busy}
label=${TIMING_CAMPAIGN_LABEL:-}
run_cap=${TIMING_CAMPAIGN_RUN_S:-480}
max_s=${TIMING_CAMPAIGN_MAX_S:-10800}
out=tests/.tmp/timing-campaign
rm -rf "$out" && mkdir -p "$out"

burner_pids=()
run_pid=
stop_burners() {
  local pid
  for pid in "${burner_pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  for pid in "${burner_pids[@]}"; do wait "$pid" 2>/dev/null; done
  burner_pids=()
}
# The run is started in the background and waited for, so a signal interrupts the wait at once; the
# trap then stops the run (timeout forwards TERM to the vitest process group it leads) and the burners.
stop_all() {
  [ -n "$run_pid" ] && kill -TERM "$run_pid" 2>/dev/null && wait "$run_pid" 2>/dev/null
  run_pid=
  stop_burners
}
trap 'stop_all' EXIT
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM

start_burners() {
  local i cores
  cores=$(node -p 'require("node:os").cpus().length')
  for ((i = 0; i < cores; i++)); do
    # Also exits by itself if this script dies without its trap (parent gone) or after 15 minutes.
    node -e 'const p = process.ppid, end = Date.now() + 900000; for (let i = 0; ; i++) if ((i & 0xfffff) === 0 && (process.ppid !== p || Date.now() > end)) process.exit(0);' &
    burner_pids+=("$!")
  done
}

load1() { cut -d' ' -f1 /proc/loadavg; }

began=$(date +%s)
k=0
for condition in $conditions; do
  for ((i = 1; i <= n; i++)); do
    if (($(date +%s) - began > max_s)); then
      echo "timing-campaign: campaign time cap (${max_s} s) reached; stopping" >&2
      break 2
    fi
    k=$((k + 1))
    dir=$out/run-$k
    mkdir -p "$dir"
    name=$condition
    [ "$condition" = busy ] && name="burner on every core"
    [ "$condition" = quiet ] && name="no burner"
    [ -n "$label" ] && name="$name, $label"
    [ "$condition" = busy ] && start_burners
    load_start=$(load1)
    t0=$(date +%s)
    echo "== timing-campaign run $k ($name), load $load_start, burners: ${burner_pids[*]:-none}"
    TIMING_RESULTS_DIR=$dir timeout --signal=TERM --kill-after=10 "$run_cap" \
      npx vitest run --project timing >"$dir/log" 2>&1 &
    run_pid=$!
    wait "$run_pid"
    rc=$?
    run_pid=
    t1=$(date +%s)
    load_end=$(load1)
    stop_burners
    printf '{"run":%d,"condition":"%s","exitCode":%d,"durationS":%d,"loadStart":"%s","loadEnd":"%s"}\n' \
      "$k" "$name" "$rc" "$((t1 - t0))" "$load_start" "$load_end" >"$dir/meta.json"
    echo "   exit $rc in $((t1 - t0)) s, load $load_end"
    node scripts/timing-report.mjs --campaign "$out" >/dev/null
  done
done
node scripts/timing-report.mjs --campaign "$out"
