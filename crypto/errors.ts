/**
 * The root of every error hardened-rng throws, and the error codes of the `crypto/` layer.
 *
 * `code` is stable and machine-readable (callers switch on it, never on the message); the message names
 * the problem and the limit involved but never carries secret bytes — errors end up in logs.
 *
 * Every layer has one error module (`crypto/errors.ts`, `hsm/errors.ts`, `consensus/errors.ts`,
 * `signer/errors.ts`, `quorum/errors.ts`, `server/errors.ts`, `cli/errors.ts`) that exports a table of its
 * codes, `<LAYER>_ERROR_CODES`: code → one line saying what it means. docs/errors.md is generated from
 * those tables, and a test fails when a code is thrown that no table lists. A layer has one class with a
 * code union (the `HsmError` model); subclasses exist only where they carry extra fields.
 */

/** A layer's codes and what each means (one line, for docs/errors.md). */
export type ErrorCodeTable = Readonly<Record<string, string>>;

export class HardenedRngError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * The `crypto/` layer's codes. Sections by area so that changes to one area do not touch another's lines.
 */
export const CRYPTO_ERROR_CODES = {
  CRYPTO_INVALID_ARGUMENT: 'an argument has the wrong type, length or range; the message names it',
  UNKNOWN_HASH: 'a hash name that is not one of sha256, sha512, sha3-512',

  // --- drbg/ and the Rng
  DRBG_DESTROYED: 'the HMAC_DRBG instance was destroyed (its state zeroed)',
  DRBG_ENTROPY_TOO_SHORT: 'entropy input shorter than the security strength (SP 800-90A §10.1.2)',
  DRBG_INPUT_TOO_LONG: 'an input longer than SP 800-90A Table 2 allows',
  DRBG_NONCE_TOO_SHORT: 'nonce shorter than half the security strength',
  DRBG_REQUEST_OUT_OF_RANGE: 'a generate request over 65 536 bytes (Table 2 max_number_of_bits_per_request)',
  DRBG_RESEED_REQUIRED: 'the reseed counter reached the limit; reseed before generating',
  SELF_TEST_FAILED: 'a known-answer self-test failed; the process must not produce output (permanent for the process)',
  RNG_FAILED: 'the generator cannot serve a request from a healthy, properly seeded state (fail closed)',
  RNG_DESTROYED: 'the Rng was destroyed',
  RNG_QUOTA_EXCEEDED: 'getRandomValues: more than 65 536 bytes in one call (DOMException QuotaExceededError, code 22)',
  RNG_TYPE_MISMATCH: 'getRandomValues: not an integer typed array (DOMException TypeMismatchError, code 17)',
  DRBG_STATE_REJECTED: 'a serialized generator state that is malformed, of another format version, or of another hash',

  // --- entropy/
  INSUFFICIENT_ENTROPY: 'the pool could not collect the credited entropy its policy requires',
  ENTROPY_SOURCE_UNAVAILABLE: 'an entropy source is not available on this machine, or is quarantined',
  ENTROPY_SOURCE_READ_FAILED: 'an entropy source failed to deliver the requested bytes',

  // --- kdf/, mac/, ct/, secret/
  HKDF_LENGTH_OUT_OF_RANGE: 'HKDF output length over 255 · HashLen (RFC 5869 §2.3)',
  HKDF_PRK_TOO_SHORT: 'HKDF-Expand PRK shorter than HashLen',
  CT_LENGTH_MISMATCH: 'constant-time helper inputs of different lengths',
  SECRET_DISPOSED: 'a Secret used after dispose or after its time-to-live',
  RNG_DETERMINISTIC_REFUSED: 'key material asked of a generator marked deterministic, without allowDeterministic',

  // --- keys/ and the keystore
  KEY_MISMATCH: 'a seed or private key does not match the recorded public key',
  KEY_UNSUPPORTED_SCHEME: 'a key scheme other than ed25519, ml-dsa-65, slh-dsa-sha2-128s',
  KEYSTORE_INVALID_PASSPHRASE: 'a passphrase the keystore refuses (empty, NUL byte)',
  KEYSTORE_KDF_TOO_WEAK: 'keystore KDF parameters below the floor (scrypt n < 2^15 or r < 8; argon2id m < 64 MiB or t < 3)',
  KEYSTORE_KDF_TOO_COSTLY: 'keystore KDF parameters above the work or memory ceiling (a file that would burn minutes of CPU)',
  KEYSTORE_MALFORMED: 'a keystore file that is not a well-formed keystore',
  KEYSTORE_TAMPERED: 'a keystore whose authenticated fields were altered',
  KEYSTORE_TRUNCATED: 'a keystore file cut short',
  KEYSTORE_UNSUPPORTED_KDF: 'a keystore KDF other than scrypt or argon2id, or a derived-key length or salt it does not take',
  KEYSTORE_UNSUPPORTED_VERSION: 'a keystore format version this build does not read',
  KEYSTORE_WRONG_PASSPHRASE: 'the passphrase does not open this keystore',
  FS_EXISTS: 'an atomic write refused to replace an existing file',
  FS_WRITE_FAILED: 'an atomic write failed; nothing was left behind',

  // --- sharing/
  SHARE_INVALID: 'a secret share that is malformed, corrupted, or from another share set; the message names which',
  SHARE_TOO_FEW: 'fewer valid shares than the threshold k of their share set',
  // --- stats/
  STATS_MALFORMED_INPUT: 'a bit-sequence file that is not ASCII 0/1 text (whitespace aside)',
  STATS_WORKER_FAILED: 'a worker thread running the SP 800-22 battery failed',
} as const satisfies ErrorCodeTable;

export type CryptoErrorCode = keyof typeof CRYPTO_ERROR_CODES;

/** An error of the `crypto/` layer. */
export class CryptoError extends HardenedRngError {
  declare readonly code: CryptoErrorCode;
  constructor(code: CryptoErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}

// --- drbg/ and the Rng: subclasses that carry fields beyond code and message

/** The generator refuses to serve (fail closed); `reason` is the monitor's reason, for reports. */
export class RngFailedError extends CryptoError {
  declare readonly code: 'RNG_FAILED';
  readonly reason: string;
  constructor(reason: string, options?: ErrorOptions) {
    super('RNG_FAILED', `random generator failed: ${reason}`, options);
    this.reason = reason;
  }
}

/** A known-answer self-test produced the wrong value (or threw): `test` names it. */
export class SelfTestError extends CryptoError {
  declare readonly code: 'SELF_TEST_FAILED';
  readonly test: string;
  constructor(test: string, options?: ErrorOptions) {
    super(
      'SELF_TEST_FAILED',
      options?.cause === undefined
        ? `known-answer self-test '${test}' failed: output differs from the expected value`
        : `known-answer self-test '${test}' failed: it threw instead of producing output`,
      options,
    );
    this.test = test;
  }
}

/** The DOMException names and legacy numeric codes (WebIDL §2.8.1) `getRandomValues` callers test for. */
export const WEB_CRYPTO_EXCEPTIONS = {
  RNG_QUOTA_EXCEEDED: { name: 'QuotaExceededError', code: 22 },
  RNG_TYPE_MISMATCH: { name: 'TypeMismatchError', code: 17 },
} as const;

/**
 * A `getRandomValues` refusal shaped like Web Crypto's DOMException: `name` is the DOMException name
 * (`QuotaExceededError`, `TypeMismatchError`), `domExceptionCode` its numeric code (22, 17). `code` stays
 * the stable string of every HardenedRngError — the whole project switches on it — so the numeric code
 * cannot also live in `code`; code written against Web Crypto that tests `name` catches these unchanged.
 */
export class WebCryptoError extends CryptoError {
  declare readonly code: keyof typeof WEB_CRYPTO_EXCEPTIONS;
  readonly domExceptionCode: number;
  constructor(code: keyof typeof WEB_CRYPTO_EXCEPTIONS, message: string) {
    super(code, message);
    const dom = WEB_CRYPTO_EXCEPTIONS[code];
    this.name = dom.name;
    this.domExceptionCode = dom.code;
  }
}

// --- entropy/: subclasses that carry fields beyond code and message

export type EntropySourceErrorCode = 'ENTROPY_SOURCE_UNAVAILABLE' | 'ENTROPY_SOURCE_READ_FAILED' | 'CRYPTO_INVALID_ARGUMENT';

/** A source's refusal or failure; `sourceId` names the source. */
export class EntropySourceError extends CryptoError {
  declare readonly code: EntropySourceErrorCode;
  readonly sourceId: string;
  constructor(code: EntropySourceErrorCode, sourceId: string, message: string, options?: ErrorOptions) {
    super(code, `entropy source '${sourceId}': ${message}`, options);
    this.sourceId = sourceId;
  }
}

/**
 * The pool's refusal: the policy cannot be met. `sources` is each source's status at the time (the pool's
 * `SourceStatus`; typed by the thrower, so this module imports nothing from the layers below it).
 */
export class InsufficientEntropyError<S extends object = object> extends CryptoError {
  declare readonly code: 'INSUFFICIENT_ENTROPY';
  readonly sources: readonly S[];
  readonly creditedSources: number;
  readonly requiredSources: number;
  constructor(
    message: string,
    fields: { readonly sources: readonly S[]; readonly creditedSources: number; readonly requiredSources: number },
  ) {
    super('INSUFFICIENT_ENTROPY', message);
    this.sources = fields.sources;
    this.creditedSources = fields.creditedSources;
    this.requiredSources = fields.requiredSources;
  }
}

// --- kdf/, mac/, ct/, secret/

/** Why a secret can no longer be used: disposed explicitly, or its time-to-live ran out. */
export type SecretDisposalReason = 'disposed' | 'expired';

/** SECRET_DISPOSED, with why: a disposed (zeroed) or expired secret was used. */
export class SecretDisposedError extends CryptoError {
  readonly reason: SecretDisposalReason;

  constructor(reason: SecretDisposalReason) {
    super(
      'SECRET_DISPOSED',
      reason === 'expired'
        ? 'secret used after its time-to-live expired (its memory has been zeroed)'
        : 'secret used after dispose (its memory has been zeroed)',
    );
    this.reason = reason;
  }
}

// --- keys/

/** The KDF parameter a KEYSTORE_KDF_TOO_WEAK / KEYSTORE_KDF_TOO_COSTLY error is about. */
export type KdfParameterName = 'n' | 'r' | 'p' | 'm' | 't' | 'n·r' | 'n·r·p' | 'm·t';

/** KEYSTORE_KDF_TOO_WEAK or KEYSTORE_KDF_TOO_COSTLY, naming the parameter (and its limit) that failed. */
export class KeystoreKdfError extends CryptoError {
  readonly kdf: 'scrypt' | 'argon2id';
  readonly parameter: KdfParameterName;
  readonly limit: number;

  constructor(
    code: 'KEYSTORE_KDF_TOO_WEAK' | 'KEYSTORE_KDF_TOO_COSTLY',
    detail: { readonly kdf: 'scrypt' | 'argon2id'; readonly parameter: KdfParameterName; readonly value: number; readonly limit: number },
  ) {
    const rel = code === 'KEYSTORE_KDF_TOO_WEAK' ? 'below the floor' : 'above the ceiling';
    super(code, `${detail.kdf} ${detail.parameter} = ${detail.value} is ${rel} of ${detail.limit}`);
    this.kdf = detail.kdf;
    this.parameter = detail.parameter;
    this.limit = detail.limit;
  }
}
