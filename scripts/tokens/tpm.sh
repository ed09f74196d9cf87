# swtpm + tpm2-pkcs11 bring-up (sourced by with-tokens.sh): TPM state and PKCS#11 store under $1, swtpm on
# 127.0.0.1 only, dictionary-attack limits relaxed (fresh state, tests only), one initialised token.
# On success exports TPM2_PKCS11_* and HRNG_TEST_TPM_*; on failure exports HRNG_TEST_TPM_SKIP.

HRNG_TPM_PACKAGES=(swtpm libtpm2-pkcs11-1 tpm2-tools opensc)

tpm_up() {
  local dir="$1/tpm" t0 module port label=hrng-tpm here
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  t0=$(tokens_now_ms)
  if ! tokens_ensure_packages "${HRNG_TPM_PACKAGES[@]}"; then
    export HRNG_TEST_TPM_SKIP="$HRNG_TOKENS_INSTALL_REASON"; return 0
  fi
  module=$(dpkg -L libtpm2-pkcs11-1 2>/dev/null | grep -m1 '/libtpm2_pkcs11\.so$' || true)
  [ -n "$module" ] && [ -f "$module" ] || { export HRNG_TEST_TPM_SKIP="libtpm2_pkcs11.so not found"; return 0; }
  mkdir -p "$dir/state" "$dir/store"
  # The port pair is free when free-port-pair.mjs looks, but another run (a parallel `npm test`) may take
  # it before swtpm binds: swtpm then exits non-zero without a pid file, and a new pair is tried.
  local attempt pid=""
  for attempt in 1 2 3 4 5; do
    if ! port=$(node "$here/free-port-pair.mjs"); then
      export HRNG_TEST_TPM_SKIP="no free port pair for swtpm"; return 0
    fi
    rm -f "$dir/swtpm.pid"
    if swtpm socket --tpm2 --daemon \
      --server "type=tcp,port=$port,bindaddr=127.0.0.1" --ctrl "type=tcp,port=$((port + 1)),bindaddr=127.0.0.1" \
      --tpmstate "dir=$dir/state" --flags not-need-init,startup-clear --pid "file=$dir/swtpm.pid" \
      --log "file=$dir/swtpm.log"; then
      # --daemon returns once the sockets listen and the pid file is written; record the pid before
      # anything else can fail.
      pid=$(cat "$dir/swtpm.pid" 2>/dev/null || true)
      break
    fi
    tokens_log "swtpm could not start on 127.0.0.1:$port (attempt $attempt)"
  done
  case "$pid" in
    '' | *[!0-9]*) # The log goes with the run's directory: quote its end in the reason.
      export HRNG_TEST_TPM_SKIP="swtpm failed to start (last port $port): $(tail -n 2 "$dir/swtpm.log" 2>/dev/null | tr '\n' ' ')"
      return 0 ;;
  esac
  HRNG_TOKENS_PIDS="${HRNG_TOKENS_PIDS:-} $pid"
  local tcti="swtpm:host=127.0.0.1,port=$port"
  local out
  if ! out=$(tpm2_dictionarylockout --setup-parameters --max-tries=1000 --recovery-time=1 \
    --lockout-recovery-time=1 -T "$tcti" 2>&1); then
    export HRNG_TEST_TPM_SKIP="tpm2_dictionarylockout failed against $tcti: $(tokens_tail "$out")"; return 0
  fi
  export TPM2_PKCS11_TCTI="$tcti" TPM2_PKCS11_STORE="$dir/store"
  # tpm2-pkcs11 writes ERROR/WARNING lines to stderr whatever the level; 0 keeps most of them quiet.
  export TPM2_PKCS11_LOG_LEVEL=0
  tokens_write_secret "$dir/user.pin" "$(tokens_random_pin)"
  tokens_write_secret "$dir/so.pin" "$(tokens_random_pin)"
  # The token is created through PKCS#11 itself (C_InitToken + C_InitPIN): `tpm2_ptool addtoken` straight
  # against swtpm runs out of object contexts. pkcs11-tool reads the PINs from the environment (env:NAME),
  # which exists only for these two commands.
  if ! out=$(HRNG_SO="$(cat "$dir/so.pin")" pkcs11-tool --module "$module" --init-token --label "$label" \
    --so-pin env:HRNG_SO 2>&1); then
    export HRNG_TEST_TPM_SKIP="C_InitToken on the TPM failed: $(tokens_tail "$out")"; return 0
  fi
  if ! out=$(HRNG_SO="$(cat "$dir/so.pin")" HRNG_PIN="$(cat "$dir/user.pin")" pkcs11-tool --module "$module" \
    --token-label "$label" --login --login-type so --so-pin env:HRNG_SO --init-pin --pin env:HRNG_PIN 2>&1); then
    export HRNG_TEST_TPM_SKIP="C_InitPIN on the TPM failed: $(tokens_tail "$out")"; return 0
  fi
  # Without a resource manager (tpm2-abrmd), objects a process loads stay in the TPM after it exits, and
  # swtpm has three transient slots: flush what the two pkcs11-tool runs left behind.
  tpm2_flushcontext --transient-object -T "$tcti" >/dev/null 2>&1 || true
  tpm2_flushcontext --loaded-session -T "$tcti" >/dev/null 2>&1 || true
  export HRNG_TEST_TPM_TCTI="$tcti"
  export HRNG_TEST_TPM_MODULE="$module"
  export HRNG_TEST_TPM_LABEL="$label"
  export HRNG_TEST_TPM_PIN_FILE="$dir/user.pin"
  unset HRNG_TEST_TPM_SKIP
  tokens_log "TPM token '$label' up on $tcti in $(( $(tokens_now_ms) - t0 )) ms"
}
