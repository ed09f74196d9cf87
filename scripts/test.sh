#!/usr/bin/env bash
# The whole suite, exactly what `npm test` and CI run: type-check, lint (Biome's format check and lint
# rules, biome.json), build (the CLI and crash tests run the built binary), the unit project (vectors,
# properties, adversarial), the dudect timing gate, then the integration tests against real SoftHSM2 and
# swtpm tokens (which scripts/tokens/ install, start and stop).
# Every stage runs even when an earlier one fails, so one run shows every failure; the last line is the
# total over all stages, and the exit status is non-zero if any stage failed.
set -uo pipefail
cd "$(dirname "$0")/.."

results=tests/.tmp/results
rm -rf "$results" && mkdir -p "$results"
failed_stages=()

stage() {
  local name=$1; shift
  echo "== $name"
  "$@" || failed_stages+=("$name")
}
json() { echo "--reporter=default" "--reporter=json" "--outputFile.json=$results/$1.json"; }

stage typecheck npm run -s typecheck
stage lint npm run -s lint
stage build npm run -s build
# shellcheck disable=SC2046
stage unit npx vitest run --project unit $(json unit)
# shellcheck disable=SC2046
stage timing npm run -s test:timing -- $(json timing)
# shellcheck disable=SC2046
stage integration npm run -s test:integration -- $(json integration)
# The soak's short CI run (real processes, random kills; `npm run soak -- quorum` runs it for minutes).
stage soak npm run -s soak -- quorum --seconds 30 --seed 7

node scripts/test-summary.mjs "$results" unit timing integration || failed_stages+=("summary")
if [ "${#failed_stages[@]}" -gt 0 ]; then
  echo "failed stages: ${failed_stages[*]}" >&2
  exit 1
fi
