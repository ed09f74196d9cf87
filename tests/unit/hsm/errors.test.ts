import { describe, expect, it } from 'vitest';
import { HardenedRngError } from '../../../crypto/errors.js';
import { HsmError, asPkcs11Failure, hsmErrorFrom } from '../../../hsm/errors.js';

/** The shape pkcs11js gives a failed call: message is the CKR name, code the CK_RV, method the function. */
function pkcs11jsError(ckr: string, code: number, method = ''): Error {
  return Object.assign(new Error(ckr), { name: 'Pkcs11Error', code, method });
}

describe('CKR → HsmError', () => {
  it.each([
    ['CKR_PIN_INCORRECT', 0xa0, 'HSM_PIN_INCORRECT'],
    ['CKR_PIN_LOCKED', 0xa4, 'HSM_PIN_LOCKED'],
    ['CKR_PIN_LEN_RANGE', 0xa2, 'HSM_PIN_INVALID'],
    ['CKR_TOKEN_NOT_PRESENT', 0xe0, 'HSM_TOKEN_ABSENT'],
    ['CKR_DEVICE_REMOVED', 0x32, 'HSM_TOKEN_ABSENT'],
    ['CKR_MECHANISM_INVALID', 0x70, 'HSM_MECHANISM_UNSUPPORTED'],
    ['CKR_OPERATION_ACTIVE', 0x90, 'HSM_SESSION_BROKEN'],
    ['CKR_SESSION_HANDLE_INVALID', 0xb3, 'HSM_SESSION_BROKEN'],
    ['CKR_USER_NOT_LOGGED_IN', 0x101, 'HSM_SESSION_BROKEN'],
    ['CKR_ATTRIBUTE_SENSITIVE', 0x11, 'HSM_KEY_NOT_EXTRACTABLE'],
    ['CKR_KEY_UNEXTRACTABLE', 0x6a, 'HSM_KEY_NOT_EXTRACTABLE'],
    ['CKR_ENCRYPTED_DATA_INVALID', 0x40, 'HSM_DECRYPT_FAILED'],
    ['CKR_ARGUMENTS_BAD', 0x07, 'HSM_INVALID_ARGUMENT'],
    ['CKR_GENERAL_ERROR', 0x05, 'HSM_OPERATION_FAILED'],
    ['CKR_VENDOR_DEFINED', 0x80000000, 'HSM_OPERATION_FAILED'],
  ])('%s → %s', (ckr, value, code) => {
    const e = hsmErrorFrom(pkcs11jsError(ckr, value), 'C_Sign');
    expect(e).toBeInstanceOf(HsmError);
    expect(e).toBeInstanceOf(HardenedRngError);
    expect(e.code).toBe(code);
    expect(e.ckr).toBe(ckr);
    expect(e.call).toBe('C_Sign');
    expect(e.message).toMatch(new RegExp(`^C_Sign failed: ${ckr} \\(`));
  });

  it("prefers the library's own name for the failed call", () => {
    const e = hsmErrorFrom(pkcs11jsError('CKR_PIN_INCORRECT', 0xa0, 'C_Login'), 'open');
    expect(e.call).toBe('C_Login');
    expect(e.message.startsWith('C_Login failed: CKR_PIN_INCORRECT')).toBe(true);
  });

  it('keeps a foreign error out of the message (it may carry anything) but as the cause', () => {
    const foreign = new TypeError('Cannot read properties of undefined (secret-ish text)');
    const e = hsmErrorFrom(foreign, 'C_InitToken');
    expect(e.code).toBe('HSM_OPERATION_FAILED');
    expect(e.ckr).toBeUndefined();
    expect(e.message).toBe('C_InitToken failed (TypeError, no PKCS#11 return value)');
    expect(e.cause).toBe(foreign);
  });

  it('passes an HsmError through unchanged', () => {
    const original = new HsmError('HSM_KEY_EXISTS', 'x');
    expect(hsmErrorFrom(original, 'C_GenerateKeyPair')).toBe(original);
  });

  it('recognises only CKR_-named errors as PKCS#11 failures', () => {
    expect(asPkcs11Failure(pkcs11jsError('CKR_PIN_INCORRECT', 160, 'C_Login'))).toEqual({
      ckr: 'CKR_PIN_INCORRECT',
      ckrValue: 160,
      method: 'C_Login',
    });
    expect(asPkcs11Failure(new Error('ENOENT'))).toBeUndefined();
    expect(asPkcs11Failure('CKR_PIN_INCORRECT')).toBeUndefined();
  });
});
