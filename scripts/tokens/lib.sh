# Shared helpers for the token bring-up scripts (sourced, not run).
# Everything a script here starts is recorded by pid in $HRNG_TOKENS_PIDS and stopped by tokens_cleanup.

tokens_log() { printf 'tokens: %s\n' "$*" >&2; }

tokens_now_ms() { date +%s%3N; }

# A fresh random PIN, digits only: tpm2-pkcs11 and SoftHSM both accept it, and a per-run value means a
# PIN leaking into output is caught by the tests (they search output for this exact string).
tokens_random_pin() { od -An -N8 -tu8 /dev/urandom | tr -d ' \n'; }

# The last lines of a failed tool's output, on one line, for a skip reason (the tools here take PINs
# from the environment, never print them).
tokens_tail() { printf '%s' "$1" | tail -n 2 | tr '\n' ' '; }

# Writes a secret to a file only the current user can read; never echoes it.
tokens_write_secret() { (umask 077 && printf '%s' "$2" >"$1"); }

# "installed" in dpkg's own status field: a held package ("hold ok installed") counts, a removed one
# that left its configuration behind ("deinstall ok config-files") does not.
tokens_pkg_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

# Installs the given Debian packages when missing. Returns non-zero (with HRNG_TOKENS_INSTALL_REASON set)
# when they are missing and cannot be installed here (not root, no apt, apt failed earlier in this run).
tokens_ensure_packages() {
  local missing=() p
  for p in "$@"; do tokens_pkg_installed "$p" || missing+=("$p"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    HRNG_TOKENS_INSTALL_REASON="packages missing (${missing[*]}) and not root: apt-get install ${missing[*]}"
    return 1
  fi
  if ! command -v apt-get >/dev/null; then
    HRNG_TOKENS_INSTALL_REASON="packages missing (${missing[*]}) and no apt-get on this machine"
    return 1
  fi
  # One failed attempt per run is enough: retrying for each token's subset only repeats the wait.
  if [ -n "${HRNG_TOKENS_APT_FAILED:-}" ]; then
    HRNG_TOKENS_INSTALL_REASON="packages missing (${missing[*]}); apt-get install failed earlier in this run"
    return 1
  fi
  local t0; t0=$(tokens_now_ms)
  tokens_log "installing ${missing[*]}"
  # Nothing may stop to ask (CI has no stdin): no debconf questions, no conffile prompts, no pager.
  local apt=(env DEBIAN_FRONTEND=noninteractive APT_LISTCHANGES_FRONTEND=none NEEDRESTART_MODE=a
    apt-get -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  # Another apt run (a colleague's, unattended-upgrades) may hold the lock: wait for it, do not fail.
  # A failed update (one mirror down) still leaves lists that may serve: try the install regardless.
  "${apt[@]}" update -qq </dev/null >&2 || tokens_log "apt-get update failed; trying the install with the lists at hand"
  if ! "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" </dev/null >&2; then
    HRNG_TOKENS_APT_FAILED=1
    HRNG_TOKENS_INSTALL_REASON="apt-get install ${missing[*]} failed"
    return 1
  fi
  tokens_log "installed ${missing[*]} in $(( $(tokens_now_ms) - t0 )) ms"
}

# Whether a pid is a running process. A daemon that exited is a zombie until its new parent reaps it,
# and containers whose init does not reap keep it so: kill -0 still succeeds on a zombie.
tokens_pid_running() {
  kill -0 "$1" 2>/dev/null || return 1
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

# Stops one process we started: SIGTERM, a second's grace, then SIGKILL.
tokens_stop_pid() {
  local pid="$1"
  tokens_pid_running "$pid" || return 0
  kill "$pid" 2>/dev/null || true
  # swtpm exits within milliseconds of SIGTERM; give it a second, then insist.
  for _ in 1 2 3 4 5 6 7 8 9 10; do tokens_pid_running "$pid" || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

# Running the wrapped command of with-tokens.sh and with-postgres.sh. Bash runs a trap only after the
# foreground command ends, so the command runs in the background and is waited for: a signal then
# interrupts the wait, is passed on to the command, and the EXIT trap (the cleanup) still runs. A command
# that ignores the signal (asynchronous commands of a non-interactive shell start with SIGINT ignored;
# node resets that, other programs may not) gets SIGTERM after 10 s, then SIGKILL. Call
# tokens_forward_signals before bringing anything up, so a signal during bring-up also exits through the
# EXIT trap; then tokens_run_child COMMAND [ARGS...].
HRNG_CHILD_PID=""
tokens_forward() {
  trap '' INT TERM
  if [ -n "$HRNG_CHILD_PID" ] && kill -"$1" "$HRNG_CHILD_PID" 2>/dev/null; then
    local i
    for i in $(seq 1 100); do tokens_pid_running "$HRNG_CHILD_PID" || break; sleep 0.1; done
    tokens_stop_pid "$HRNG_CHILD_PID"
  fi
  exit "$2"
}

tokens_forward_signals() {
  trap 'tokens_forward INT 130' INT
  trap 'tokens_forward TERM 143' TERM
  trap 'tokens_forward HUP 129' HUP
}

# Returns the command's status. A trapped signal also ends `wait` (status > 128), but runs
# tokens_forward, which exits: a return from here is the command's own end.
tokens_run_child() {
  "$@" &
  HRNG_CHILD_PID=$!
  wait "$HRNG_CHILD_PID"
}

tokens_cleanup() {
  local pid
  for pid in ${HRNG_TOKENS_PIDS:-}; do tokens_stop_pid "$pid"; done
  HRNG_TOKENS_PIDS=""
  if [ -n "${HRNG_TOKENS_DIR:-}" ] && [ -d "$HRNG_TOKENS_DIR" ]; then rm -rf -- "$HRNG_TOKENS_DIR"; fi
}

# Prints the path of a new per-run directory "$1/$2.XXXXXX" that records this shell's pid in owner.pid,
# which tells the reapers (tokens_reap_stale, pg_reap_stale) whether its run is still alive. Fails, leaving
# nothing behind, when either step fails.
tokens_make_run_dir() {
  local dir
  dir="$(mktemp -d "$1/$2.XXXXXX")" || return 1
  echo "$$" >"$dir/owner.pid" || { rm -rf -- "$dir"; return 1; }
  printf '%s\n' "$dir"
}

# A run killed with SIGKILL (a CI timeout, an OOM kill) cannot clean up after itself: its swtpm keeps
# running and its directory stays. Each run records its own pid in $dir/owner.pid; a later run removes
# the directories whose owner is gone, stopping the swtpm recorded there only if that pid is still an
# swtpm serving that very directory (a reused pid is left alone). Runs in progress (the owner lives)
# are never touched, so parallel runs do not disturb each other.
tokens_reap_stale() {
  local base="$1" dir owner pid
  for dir in "$base"/hrng-tokens.*; do
    [ -d "$dir" ] && [ -O "$dir" ] && [ -f "$dir/owner.pid" ] || continue
    owner=$(cat "$dir/owner.pid" 2>/dev/null) || continue
    case "$owner" in '' | *[!0-9]*) continue ;; esac
    kill -0 "$owner" 2>/dev/null && continue
    pid=$(cat "$dir/tpm/swtpm.pid" 2>/dev/null || true)
    case "$pid" in
      '' | *[!0-9]*) ;;
      *) if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "^swtpm .*dir=$dir/"; then tokens_stop_pid "$pid"; fi ;;
    esac
    tokens_log "removing $dir, left by an earlier run (pid $owner) that did not clean up"
    rm -rf -- "$dir"
  done
}
