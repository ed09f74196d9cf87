# Shared helpers for the token bring-up scripts (sourced, not run).
# Everything a script here starts is recorded by pid in $HRNG_TOKENS_PIDS and stopped by tokens_cleanup.

tokens_log() { printf 'tokens: %s\n' "$*" >&2; }

tokens_now_ms() { date +%s%3N; }

# A fresh random PIN, digits only: tpm2-pkcs11 and SoftHSM both accept it, and a per-run value means a
# PIN leaking into output is caught by the tests (they search output for this exact string).
tokens_random_pin() { od -An -N8 -tu8 /dev/urandom | tr -d ' \n'; }

# Writes a secret to a file only the current user can read; never echoes it.
tokens_write_secret() { (umask 077 && printf '%s' "$2" >"$1"); }

tokens_pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# Installs the given Debian packages when missing. Returns non-zero (with HRNG_TOKENS_INSTALL_REASON set)
# when they are missing and cannot be installed here (not root, no apt).
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
  local t0; t0=$(tokens_now_ms)
  tokens_log "installing ${missing[*]}"
  # Another apt run (a colleague's, unattended-upgrades) may hold the lock: wait for it, do not fail.
  if ! apt-get -o DPkg::Lock::Timeout=300 update -qq >&2 \
    || ! DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
      --no-install-recommends "${missing[@]}" >&2; then
    HRNG_TOKENS_INSTALL_REASON="apt-get install ${missing[*]} failed"
    return 1
  fi
  tokens_log "installed ${missing[*]} in $(( $(tokens_now_ms) - t0 )) ms"
}

tokens_cleanup() {
  local pid
  for pid in ${HRNG_TOKENS_PIDS:-}; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      # swtpm exits within milliseconds of SIGTERM; give it a second, then insist.
      for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    fi
  done
  if [ -n "${HRNG_TOKENS_DIR:-}" ] && [ -d "$HRNG_TOKENS_DIR" ]; then rm -rf -- "$HRNG_TOKENS_DIR"; fi
}
