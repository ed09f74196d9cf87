#!/usr/bin/env bash
# Stops or starts the test cluster of with-postgres.sh mid-run (tests that restart PostgreSQL under a
# signing campaign): bash scripts/postgres/pg-ctl.sh stop|start   (uses HRNG_TEST_PG_DIR).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/../tokens/lib.sh"
. "$here/pg.sh"
dir="${HRNG_TEST_PG_DIR:?HRNG_TEST_PG_DIR is not set: run under scripts/postgres/with-postgres.sh}"
case "${1:-}" in
  stop) pg_stop_dir "$dir/data" ;;
  start) pg_postmaster_pid "$dir/data" >/dev/null || pg_start "$dir" "$(cat "$dir/port")" ;;
  *) echo "usage: pg-ctl.sh stop|start" >&2; exit 2 ;;
esac
