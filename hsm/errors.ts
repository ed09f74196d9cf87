/**
 * Typed errors for PKCS#11 failures (PKCS#11 Base Specification v3.0 §5.1, return values).
 *
 * pkcs11js reports a failure as an Error whose message is the CKR name and which carries the numeric
 * code and the C_ function; graphene passes it through unwrapped and exports no class to test against,
 * so it is recognised by shape. The mapping keeps the CKR name and the call (operators grep vendor
 * documentation for exactly those) and adds a stable `code` callers can switch on. Messages are built
 * from those names only: nothing a caller passed in (PINs, data, key bytes) can reach them.
 */
import { assertionsFor, type Assertions } from '../crypto/assert.js';
import { HardenedRngError, type ErrorCodeTable } from '../crypto/errors.js';

/** The hsm/ layer's codes and what each means (docs/errors.md is built from this table). */
export const HSM_ERROR_CODES = {
  HSM_INVALID_ARGUMENT: 'an argument we or the token refuse (type, length, range, template); the message names it',
  HSM_CONFIG: 'the PKCS#11 configuration (library, token label, PIN source) is missing or contradictory',
  HSM_LIBRARY_LOAD_FAILED: 'the PKCS#11 module could not be found, loaded or initialized',
  HSM_TOKEN_NOT_FOUND: 'no token, or more than one, has the configured label',
  HSM_TOKEN_ABSENT: 'the token or its slot went away (removed, device error)',
  HSM_PIN_SOURCE: 'the PIN source (environment variable or file) is unset, unreadable or empty',
  HSM_PIN_INCORRECT: 'the token rejected the PIN, or it differs from the one this process logged in with',
  HSM_PIN_LOCKED: 'the user PIN is locked; no login is attempted',
  HSM_PIN_INVALID: 'the PIN has a length or characters the token does not accept, or has expired',
  HSM_MECHANISM_UNSUPPORTED: 'the token lacks a mechanism or function this operation needs',
  HSM_SESSION_BROKEN: 'the session is gone or in a state that needs a new one',
  HSM_KEY_NOT_FOUND: 'no key (or not exactly one public half) matches the selector',
  HSM_KEY_EXISTS: 'an object with this label already exists on the token',
  HSM_KEY_AMBIGUOUS: 'several keys match the selector; never a guess between them',
  HSM_KEY_NOT_EXTRACTABLE: 'the key or attribute is sensitive or unextractable',
  HSM_KEY_INVALID: 'a key read back from the token does not meet the policy (sensitivity, usage, protection)',
  HSM_DECRYPT_FAILED: 'authenticated decryption or unwrapping failed: altered data or the wrong key',
  HSM_IV_LIMIT: 'an AES-GCM key reached its invocation limit (2^32 random IVs, SP 800-38D §8.3)',
  HSM_CLOSED: 'the token session was closed',
  HSM_OPERATION_FAILED: 'the token refused an operation, or answered something that cannot be right',
} as const satisfies ErrorCodeTable;

export type HsmErrorCode = keyof typeof HSM_ERROR_CODES;

export class HsmError extends HardenedRngError {
  declare readonly code: HsmErrorCode;
  /** The PKCS#11 return value's name (`CKR_PIN_INCORRECT`), when the token returned one. */
  readonly ckr: string | undefined;
  /** The PKCS#11 function that failed (`C_Login`), when a token call failed. */
  readonly call: string | undefined;

  constructor(code: HsmErrorCode, message: string, detail: { ckr?: string; call?: string; cause?: unknown } = {}) {
    super(code, message, detail.cause === undefined ? undefined : { cause: detail.cause });
    this.ckr = detail.ckr;
    this.call = detail.call;
  }

  /**
   * A new error with its own code and message that keeps `err`'s CKR and call (or `call` when `err`
   * names none) and has `err` as its cause: for adding what a failure means at a higher level.
   */
  static from(err: HsmError, code: HsmErrorCode, message: string, call?: string): HsmError {
    const theCall = err.call ?? call;
    return new HsmError(code, message, {
      ...(err.ckr === undefined ? {} : { ckr: err.ckr }),
      ...(theCall === undefined ? {} : { call: theCall }),
      cause: err,
    });
  }
}

/** What a failed pkcs11js call looks like; graphene does not export pkcs11js's `Pkcs11Error`. */
export interface Pkcs11Failure {
  readonly ckr: string;
  readonly ckrValue: number;
  readonly method: string | undefined;
}

/** Recognises a pkcs11js `Pkcs11Error` (message `CKR_…`, numeric code, optional method). */
export function asPkcs11Failure(err: unknown): Pkcs11Failure | undefined {
  if (!(err instanceof Error)) return undefined;
  const match = /^(CKR_[A-Z0-9_]+)/.exec(err.message);
  if (!match?.[1]) return undefined;
  const raw = err as Error & { code?: unknown; method?: unknown };
  return {
    ckr: match[1],
    ckrValue: typeof raw.code === 'number' ? raw.code : -1,
    method: typeof raw.method === 'string' && raw.method !== '' ? raw.method : undefined,
  };
}

const CKR_CLASSES: ReadonlyMap<string, readonly [HsmErrorCode, string]> = new Map([
  ['CKR_PIN_INCORRECT', ['HSM_PIN_INCORRECT', 'the token rejected the PIN']],
  ['CKR_PIN_LOCKED', ['HSM_PIN_LOCKED', 'the PIN is locked (too many wrong attempts); the token owner must unlock it']],
  ['CKR_PIN_INVALID', ['HSM_PIN_INVALID', 'the PIN has characters the token does not accept']],
  ['CKR_PIN_LEN_RANGE', ['HSM_PIN_INVALID', 'the PIN length is outside what the token accepts']],
  ['CKR_PIN_EXPIRED', ['HSM_PIN_INVALID', 'the PIN has expired and must be changed on the token']],
  ['CKR_TOKEN_NOT_PRESENT', ['HSM_TOKEN_ABSENT', 'the token is not present']],
  ['CKR_TOKEN_NOT_RECOGNIZED', ['HSM_TOKEN_ABSENT', 'the token is not recognized']],
  ['CKR_DEVICE_REMOVED', ['HSM_TOKEN_ABSENT', 'the token was removed']],
  ['CKR_DEVICE_ERROR', ['HSM_TOKEN_ABSENT', 'the token reported a device error']],
  ['CKR_SLOT_ID_INVALID', ['HSM_TOKEN_ABSENT', 'the slot no longer exists']],
  ['CKR_MECHANISM_INVALID', ['HSM_MECHANISM_UNSUPPORTED', 'the token does not support this mechanism']],
  ['CKR_MECHANISM_PARAM_INVALID', ['HSM_MECHANISM_UNSUPPORTED', 'the token does not accept these mechanism parameters']],
  ['CKR_FUNCTION_NOT_SUPPORTED', ['HSM_MECHANISM_UNSUPPORTED', 'the token does not implement this function']],
  ['CKR_KEY_TYPE_INCONSISTENT', ['HSM_KEY_INVALID', 'the key type does not fit the mechanism']],
  ['CKR_KEY_FUNCTION_NOT_PERMITTED', ['HSM_KEY_INVALID', "the key's usage flags forbid this operation"]],
  ['CKR_KEY_HANDLE_INVALID', ['HSM_KEY_NOT_FOUND', 'the key object no longer exists']],
  ['CKR_OBJECT_HANDLE_INVALID', ['HSM_KEY_NOT_FOUND', 'the object no longer exists']],
  ['CKR_ATTRIBUTE_SENSITIVE', ['HSM_KEY_NOT_EXTRACTABLE', 'the attribute is sensitive and cannot be read']],
  ['CKR_KEY_UNEXTRACTABLE', ['HSM_KEY_NOT_EXTRACTABLE', 'the key is not extractable']],
  ['CKR_KEY_NOT_WRAPPABLE', ['HSM_KEY_NOT_EXTRACTABLE', 'the key cannot be wrapped']],
  ['CKR_ENCRYPTED_DATA_INVALID', ['HSM_DECRYPT_FAILED', 'the ciphertext is invalid']],
  ['CKR_ENCRYPTED_DATA_LEN_RANGE', ['HSM_DECRYPT_FAILED', 'the ciphertext length is invalid']],
  ['CKR_WRAPPED_KEY_INVALID', ['HSM_DECRYPT_FAILED', 'the wrapped key is invalid']],
  ['CKR_WRAPPED_KEY_LEN_RANGE', ['HSM_DECRYPT_FAILED', 'the wrapped key length is invalid']],
  ['CKR_ATTRIBUTE_TYPE_INVALID', ['HSM_INVALID_ARGUMENT', 'the object has no such attribute']],
  ['CKR_ATTRIBUTE_VALUE_INVALID', ['HSM_INVALID_ARGUMENT', 'the token rejected an attribute value']],
  ['CKR_TEMPLATE_INCONSISTENT', ['HSM_INVALID_ARGUMENT', 'the token rejected the object template as inconsistent']],
  ['CKR_TEMPLATE_INCOMPLETE', ['HSM_INVALID_ARGUMENT', 'the object template lacks an attribute the token needs']],
  ['CKR_ARGUMENTS_BAD', ['HSM_INVALID_ARGUMENT', 'the token rejected the arguments']],
  ['CKR_DATA_LEN_RANGE', ['HSM_INVALID_ARGUMENT', 'the input length is outside what the mechanism accepts']],
  ['CKR_DATA_INVALID', ['HSM_INVALID_ARGUMENT', 'the input is invalid for the mechanism']],
  ['CKR_SESSION_HANDLE_INVALID', ['HSM_SESSION_BROKEN', 'the session no longer exists']],
  ['CKR_SESSION_CLOSED', ['HSM_SESSION_BROKEN', 'the session was closed']],
  ['CKR_OPERATION_ACTIVE', ['HSM_SESSION_BROKEN', 'an earlier operation is still active in the session']],
  ['CKR_OPERATION_NOT_INITIALIZED', ['HSM_SESSION_BROKEN', 'the operation was not initialized']],
  ['CKR_USER_NOT_LOGGED_IN', ['HSM_SESSION_BROKEN', 'the session is not logged in']],
  ['CKR_CRYPTOKI_NOT_INITIALIZED', ['HSM_SESSION_BROKEN', 'the PKCS#11 library was finalized']],
]);

/**
 * The error to throw for a failure of `call`. A PKCS#11 failure keeps its CKR name (and the library's
 * own idea of which function failed, if it has one); anything else becomes HSM_OPERATION_FAILED with the
 * original as `cause` and its message left out, since a foreign error's text is not known to be clean.
 */
export function hsmErrorFrom(err: unknown, call: string): HsmError {
  if (err instanceof HsmError) return err;
  const failure = asPkcs11Failure(err);
  if (!failure) {
    const kind = err instanceof Error ? err.name : typeof err;
    return new HsmError('HSM_OPERATION_FAILED', `${call} failed (${kind}, no PKCS#11 return value)`, { call, cause: err });
  }
  const theCall = failure.method ?? call;
  const known = CKR_CLASSES.get(failure.ckr);
  const [code, meaning] = known ?? ['HSM_OPERATION_FAILED', 'the token refused the operation'];
  return new HsmError(code, `${theCall} failed: ${failure.ckr} (${meaning})`, {
    ckr: failure.ckr,
    call: theCall,
    cause: err,
  });
}

/** The hsm/ layer's argument checks: failures are `HsmError('HSM_INVALID_ARGUMENT')`. */
export const check: Assertions = assertionsFor((message) => new HsmError('HSM_INVALID_ARGUMENT', message));
