import { describe, expect, it } from 'vitest';
import { pkcs11ConfigFromEnv } from '../../../cli/pkcs11-options.js';
import { HsmError } from '../../../hsm/errors.js';

const base = { HRNG_PKCS11_LIBRARY: '/usr/lib/softhsm/libsofthsm2.so', HRNG_PKCS11_TOKEN: 'validator' };

describe('HRNG_PKCS11_* configuration', () => {
  it('reads library, token and where the PIN lives (not the PIN)', () => {
    expect(pkcs11ConfigFromEnv({ ...base, HRNG_PKCS11_PIN: '1234' })).toEqual({
      library: base.HRNG_PKCS11_LIBRARY,
      tokenLabel: 'validator',
      pin: { env: 'HRNG_PKCS11_PIN' },
      creditBitsPerByte: undefined,
    });
    expect(pkcs11ConfigFromEnv({ ...base, HRNG_PKCS11_PIN_FILE: '/run/pin', HRNG_PKCS11_CREDIT_BITS: '8' })).toMatchObject({
      pin: { file: '/run/pin' },
      creditBitsPerByte: 8,
    });
  });

  it.each([
    [{ HRNG_PKCS11_TOKEN: 'v', HRNG_PKCS11_PIN: '1' }, 'HRNG_PKCS11_LIBRARY'],
    [{ HRNG_PKCS11_LIBRARY: '/x.so', HRNG_PKCS11_PIN: '1' }, 'HRNG_PKCS11_TOKEN'],
    [{ ...base }, 'HRNG_PKCS11_PIN'],
    [{ ...base, HRNG_PKCS11_PIN: '1', HRNG_PKCS11_PIN_FILE: '/p' }, 'exactly one'],
    [{ ...base, HRNG_PKCS11_PIN: '1', HRNG_PKCS11_CREDIT_BITS: '9' }, 'HRNG_PKCS11_CREDIT_BITS'],
    [{ ...base, HRNG_PKCS11_PIN: '1', HRNG_PKCS11_CREDIT_BITS: 'lots' }, 'HRNG_PKCS11_CREDIT_BITS'],
  ])('names the problem: %o', (env, named) => {
    let caught: unknown;
    try {
      pkcs11ConfigFromEnv(env);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(HsmError);
    expect((caught as HsmError).code).toBe('HSM_CONFIG');
    expect((caught as HsmError).message).toContain(named);
    // A PIN value never reaches the message.
    expect((caught as HsmError).message).not.toMatch(/\b1\b/);
  });
});
