#!/usr/bin/env bash
# Runs a command (the integration tests) with a SoftHSM2 token and a swtpm-backed tpm2-pkcs11 token up:
#   bash scripts/tokens/with-tokens.sh vitest run --project integration
# Installs the packages when missing (root + apt), keeps all state in a per-run temporary directory, starts
# swtpm on 127.0.0.1 only (on a free port pair, so parallel runs do not collide), and stops what it
# started, by pid, however the command ends. A token that cannot be brought up is reported through
# HRNG_TEST_<TOKEN>_SKIP; the tests skip with that reason, or fail when CI=true.
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
HRNG_TOKENS_DIR=""
trap tokens_cleanup EXIT
tokens_forward_signals

tmp_base="${TMPDIR:-/tmp}"
tokens_reap_stale "$tmp_base"
HRNG_TOKENS_DIR="$(tokens_make_run_dir "$tmp_base" hrng-tokens)" || { tokens_log "cannot create a run directory in $tmp_base"; exit 1; }

# Install once for both tokens (one apt transaction is faster than two).
tokens_ensure_packages "${HRNG_SOFTHSM_PACKAGES[@]}" "${HRNG_TPM_PACKAGES[@]}" \
  || tokens_log "cannot install token packages: ${HRNG_TOKENS_INSTALL_REASON:-}"

softhsm_up "$HRNG_TOKENS_DIR"
[ -n "${HRNG_TEST_SOFTHSM_SKIP:-}" ] && tokens_log "SoftHSM2 unavailable: $HRNG_TEST_SOFTHSM_SKIP"
tpm_up "$HRNG_TOKENS_DIR"
[ -n "${HRNG_TEST_TPM_SKIP:-}" ] && tokens_log "TPM unavailable: $HRNG_TEST_TPM_SKIP"

# Let node_modules/.bin commands (vitest) resolve when run outside npm.
PATH="$here/../../node_modules/.bin:$PATH" tokens_run_child "$@"
exit $?
