#!/usr/bin/env bash
# Runs a command with a private PostgreSQL server up, e.g. the integration tests:
#   bash scripts/postgres/with-postgres.sh vitest run --project integration
# Installs Debian's postgresql with apt when missing (root), creates a cluster in a per-run temporary
# directory owned by a non-root user, serves it on 127.0.0.1 on a free port, exports HRNG_TEST_PG_URL
# (postgres://hrng:<random password>@127.0.0.1:<port>/postgres) and HRNG_TEST_PG_DIR, and stops the
# server by pid however the command ends (exit, INT, TERM). When the server cannot be brought up,
# HRNG_TEST_PG_SKIP says why (the tests fail on it when CI=true). Idempotent: nested inside another
# run that already exports a reachable HRNG_TEST_PG_URL it only runs the command; a later run reaps
# clusters left by a run killed with SIGKILL.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../tokens/lib.sh
. "$here/../tokens/lib.sh"
# shellcheck source=pg.sh
. "$here/pg.sh"

[ "$#" -gt 0 ] || { echo "usage: with-postgres.sh COMMAND [ARGS...]" >&2; exit 2; }

PATH="$here/../../node_modules/.bin:$PATH"
if [ -n "${HRNG_TEST_PG_URL:-}" ] && [ -n "${HRNG_TEST_PG_DIR:-}" ] && pg_postmaster_pid "$HRNG_TEST_PG_DIR/data" >/dev/null; then
  exec "$@"
fi

HRNG_PG_DIR=""
cleanup() {
  if [ -n "$HRNG_PG_DIR" ] && [ -d "$HRNG_PG_DIR" ]; then
    pg_stop_dir "$HRNG_PG_DIR/data"
    rm -rf -- "$HRNG_PG_DIR"
  fi
}
trap cleanup EXIT
tokens_forward_signals

tmp_base="${TMPDIR:-/tmp}"
pg_reap_stale "$tmp_base"
HRNG_PG_DIR="$(tokens_make_run_dir "$tmp_base" hrng-pg)" || { pg_log "cannot create a run directory in $tmp_base"; exit 1; }

if ! pg_up "$HRNG_PG_DIR"; then
  export HRNG_TEST_PG_SKIP
  pg_log "PostgreSQL unavailable: $HRNG_TEST_PG_SKIP"
fi

tokens_run_child "$@"
exit $?
