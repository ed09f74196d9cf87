# PostgreSQL bring-up for the tests (sourced by with-postgres.sh, not run): Debian's `postgresql` package,
# a private cluster in a temporary directory, listening on 127.0.0.1 only, on a free port, owned by a
# non-root user (initdb refuses root: as root the cluster runs as the package's `postgres` user through
# runuser). Everything started is stopped by pid (the postmaster's, read from postmaster.pid).

HRNG_PG_PACKAGES=(postgresql)

pg_log() { printf 'postgres: %s\n' "$*" >&2; }

# The newest installed server's bin directory (/usr/lib/postgresql/<major>/bin).
pg_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && printf '%s' "$d"
}

# Runs a server binary as the cluster's owner: ourselves, or `postgres` when we are root.
pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close();})"
}

# The running postmaster of a data directory, if any (first line of postmaster.pid, and still running).
pg_postmaster_pid() {
  local f="$1/postmaster.pid" pid
  [ -r "$f" ] || return 1
  pid=$(head -n 1 "$f" 2>/dev/null)
  [ -n "$pid" ] && tokens_pid_running "$pid" && printf '%s' "$pid"
}

# Stops the postmaster of a data directory: SIGINT (fast shutdown: rolls back open transactions), then
# SIGKILL after 10 s. Only a pid that postmaster.pid names and that is a postgres process is signalled.
pg_stop_dir() {
  local data="$1" pid comm
  pid=$(pg_postmaster_pid "$data") || return 0
  comm=$(cat "/proc/$pid/comm" 2>/dev/null)
  case "$comm" in postgres*|postmaster*) ;; *) return 0 ;; esac
  kill -INT "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do tokens_pid_running "$pid" || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

# A run killed with SIGKILL leaves its cluster running: later runs stop clusters whose owner is gone.
pg_reap_stale() {
  local base="$1" d owner
  for d in "$base"/hrng-pg.*; do
    [ -d "$d" ] || continue
    owner=$(cat "$d/owner.pid" 2>/dev/null)
    [ -n "$owner" ] && tokens_pid_running "$owner" && continue
    pg_stop_dir "$d/data"
    rm -rf -- "$d"
  done
}

# Starts (or restarts) the cluster in $1 on port $2; waits until it accepts connections.
pg_start() {
  local dir="$1" port="$2" bin
  bin=$(pg_bindir) || return 1
  pg_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
}

# Brings a cluster up in $1; sets HRNG_TEST_PG_URL, or HRNG_TEST_PG_SKIP with the reason.
pg_up() {
  local dir="$1" bin port password
  if ! tokens_ensure_packages "${HRNG_PG_PACKAGES[@]}"; then HRNG_TEST_PG_SKIP="$HRNG_TOKENS_INSTALL_REASON"; return 1; fi
  bin=$(pg_bindir) || { HRNG_TEST_PG_SKIP="no /usr/lib/postgresql/*/bin/initdb after installing postgresql"; return 1; }
  mkdir -p "$dir/data" "$dir/sock"
  password=$(tokens_random_pin)
  tokens_write_secret "$dir/pwfile" "$password"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$dir/data" "$dir/sock" "$dir/pwfile"; chmod 0711 "$dir"; fi
  local out
  if ! out=$(pg_as_owner "$bin/initdb" -D "$dir/data" -U hrng --pwfile="$dir/pwfile" -A scram-sha-256 -E UTF8 --no-instructions 2>&1); then
    HRNG_TEST_PG_SKIP="initdb failed: $(tokens_tail "$out")"; return 1
  fi
  [ "$(id -u)" -eq 0 ] && touch "$dir/server.log" && chown postgres: "$dir/server.log"
  port=$(pg_free_port) || { HRNG_TEST_PG_SKIP="no free port on 127.0.0.1"; return 1; }
  if ! pg_start "$dir" "$port"; then HRNG_TEST_PG_SKIP="server did not start: $(tail -n 2 "$dir/server.log" 2>/dev/null | tr '\n' ' ')"; return 1; fi
  printf '%s' "$port" >"$dir/port"
  export HRNG_TEST_PG_URL="postgres://hrng:$password@127.0.0.1:$port/postgres"
  # For tests that stop and restart the server mid-campaign (scripts/postgres/pg-ctl.sh stop|start).
  export HRNG_TEST_PG_DIR="$dir"
  pg_log "up on 127.0.0.1:$port ($dir)"
}
