#!/usr/bin/env bash
# npm run soak -- quorum [--seconds N] [--seed S]
# Long-running, randomised runs of real processes. `npm test` (and so CI) runs a short one:
#   npm run soak -- quorum --seconds 30 --seed 7
set -euo pipefail
cd "$(dirname "$0")/../.."
what="${1:-}"
[ -n "$what" ] || { echo "usage: npm run soak -- quorum [--seconds N] [--seed S]" >&2; exit 2; }
shift
seconds=180
seed=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
    --seed) seed="${2:?--seed needs a number}"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$what" in
  quorum) ;;
  *) echo "unknown soak '$what' (known: quorum)" >&2; exit 2 ;;
esac
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -ge 10 ] || { echo "--seconds must be an integer >= 10" >&2; exit 2; }
npm run -s build
export SOAK_SECONDS="$seconds"
[ -n "$seed" ] && export SOAK_SEED="$seed"
exec npx vitest run --config scripts/soak/vitest.config.ts "scripts/soak/$what.soak.ts"
