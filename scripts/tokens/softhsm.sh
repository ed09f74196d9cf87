# SoftHSM2 bring-up (sourced by with-tokens.sh): a private token directory under $1, one initialised token.
# On success exports SOFTHSM2_CONF and HRNG_TEST_SOFTHSM_*; on failure exports HRNG_TEST_SOFTHSM_SKIP.

HRNG_SOFTHSM_PACKAGES=(softhsm2 opensc)

softhsm_up() {
  local dir="$1/softhsm" t0 module=/usr/lib/softhsm/libsofthsm2.so label=hrng-softhsm
  t0=$(tokens_now_ms)
  if ! tokens_ensure_packages "${HRNG_SOFTHSM_PACKAGES[@]}"; then
    export HRNG_TEST_SOFTHSM_SKIP="$HRNG_TOKENS_INSTALL_REASON"; return 0
  fi
  [ -f "$module" ] || { export HRNG_TEST_SOFTHSM_SKIP="SoftHSM module not found at $module"; return 0; }
  mkdir -p "$dir/tokens"
  printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n' \
    "$dir/tokens" >"$dir/softhsm2.conf"
  tokens_write_secret "$dir/user.pin" "$(tokens_random_pin)"
  tokens_write_secret "$dir/so.pin" "$(tokens_random_pin)"
  # The token is initialized through PKCS#11 (C_InitToken on the free slot, then C_InitPIN) by OpenSC's
  # pkcs11-tool, which reads PINs from the environment (env:NAME): softhsm2-util would take them as
  # arguments, visible to every user in the process list.
  local out
  if ! out=$(SOFTHSM2_CONF="$dir/softhsm2.conf" HRNG_SO="$(cat "$dir/so.pin")" pkcs11-tool --module "$module" \
    --init-token --label "$label" --so-pin env:HRNG_SO 2>&1); then
    export HRNG_TEST_SOFTHSM_SKIP="C_InitToken on SoftHSM failed: $(tokens_tail "$out")"; return 0
  fi
  if ! out=$(SOFTHSM2_CONF="$dir/softhsm2.conf" HRNG_SO="$(cat "$dir/so.pin")" HRNG_PIN="$(cat "$dir/user.pin")" \
    pkcs11-tool --module "$module" --token-label "$label" --login --login-type so --so-pin env:HRNG_SO \
    --init-pin --pin env:HRNG_PIN 2>&1); then
    export HRNG_TEST_SOFTHSM_SKIP="C_InitPIN on SoftHSM failed: $(tokens_tail "$out")"; return 0
  fi
  export SOFTHSM2_CONF="$dir/softhsm2.conf"
  export HRNG_TEST_SOFTHSM_CONF="$dir/softhsm2.conf"
  export HRNG_TEST_SOFTHSM_MODULE="$module"
  export HRNG_TEST_SOFTHSM_LABEL="$label"
  export HRNG_TEST_SOFTHSM_PIN_FILE="$dir/user.pin"
  unset HRNG_TEST_SOFTHSM_SKIP
  tokens_log "SoftHSM2 token '$label' up in $(( $(tokens_now_ms) - t0 )) ms"
}
