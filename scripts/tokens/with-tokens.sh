#!/usr/bin/env bash
# Runs a command (the integration tests) with a SoftHSM2 token and a swtpm-backed tpm2-pkcs11 token up:
#   bash scripts/tokens/with-tokens.sh vitest run --project integration
# Installs the packages when missing (root + apt), keeps all state in a per-run temporary directory, starts
# swtpm on 127.0.0.1 only, and stops what it started, by pid, however the command ends. A token that
# cannot be brought up is reported through HRNG_TEST_<TOKEN>_SKIP; the tests skip with that reason, or
# fail when CI=true.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"
# shellcheck source=softhsm.sh
. "$here/softhsm.sh"
# shellcheck source=tpm.sh
. "$here/tpm.sh"

[ "$#" -gt 0 ] || { echo "usage: with-tokens.sh COMMAND [ARGS...]" >&2; exit 2; }

HRNG_TOKENS_PIDS=""
HRNG_TOKENS_DIR="$(mktemp -d "${TMPDIR:-/tmp}/hrng-tokens.XXXXXX")"
HRNG_TOKENS_CHILD=""
trap tokens_cleanup EXIT
# Bash runs a trap only after the foreground command ends, so the command runs in the background and
# is waited for: a signal then interrupts the wait, is passed on to the command, and cleanup still runs.
forward() {
  [ -n "$HRNG_TOKENS_CHILD" ] && kill -"$1" "$HRNG_TOKENS_CHILD" 2>/dev/null && wait "$HRNG_TOKENS_CHILD" 2>/dev/null
  exit "$2"
}
trap 'forward INT 130' INT
trap 'forward TERM 143' TERM

# Install once for both tokens (one apt transaction is faster than two).
tokens_ensure_packages "${HRNG_SOFTHSM_PACKAGES[@]}" "${HRNG_TPM_PACKAGES[@]}" \
  || tokens_log "cannot install token packages: ${HRNG_TOKENS_INSTALL_REASON:-}"

softhsm_up "$HRNG_TOKENS_DIR"
[ -n "${HRNG_TEST_SOFTHSM_SKIP:-}" ] && tokens_log "SoftHSM2 unavailable: $HRNG_TEST_SOFTHSM_SKIP"
tpm_up "$HRNG_TOKENS_DIR"
[ -n "${HRNG_TEST_TPM_SKIP:-}" ] && tokens_log "TPM unavailable: $HRNG_TEST_TPM_SKIP"

# Let node_modules/.bin commands (vitest) resolve when run outside npm.
PATH="$here/../../node_modules/.bin:$PATH" "$@" &
HRNG_TOKENS_CHILD=$!
wait "$HRNG_TOKENS_CHILD"
