/**
 * Why a keystore (EIP-2335-like, see keystore.ts) could not be opened. Each failure has its own code so
 * an operator can tell a mistyped passphrase from a damaged or foreign file. Messages never carry the
 * passphrase, derived keys, or key bytes.
 */
import { HardenedRngError } from '../errors.js';

export type KeystoreErrorCode =
  | 'KEYSTORE_WRONG_PASSPHRASE'
  | 'KEYSTORE_INVALID_PASSPHRASE'
  | 'KEYSTORE_TAMPERED'
  | 'KEYSTORE_TRUNCATED'
  | 'KEYSTORE_MALFORMED'
  | 'KEYSTORE_UNSUPPORTED_VERSION'
  | 'KEYSTORE_UNSUPPORTED_KDF';

export class KeystoreError extends HardenedRngError {
  declare readonly code: KeystoreErrorCode;

  constructor(code: KeystoreErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}

/** The passphrase check failed: the KDF output is not the one the file was written with. */
export class KeystoreWrongPassphraseError extends KeystoreError {
  constructor() {
    super('KEYSTORE_WRONG_PASSPHRASE', 'wrong passphrase for this keystore');
  }
}

/** The passphrase is right but the checksum, the GCM tag, the header binding or the key id is not. */
/**
 * A passphrase with a NUL byte. scrypt hands the passphrase to PBKDF2-HMAC-SHA256 as the HMAC key, and
 * HMAC zero-pads keys: "pw" and "pw\0" would open the same keystore. Refusing NUL removes the alias.
 */
export class KeystoreInvalidPassphraseError extends KeystoreError {
  constructor() {
    super('KEYSTORE_INVALID_PASSPHRASE', 'the passphrase contains a NUL byte, which keystores refuse');
  }
}

export class KeystoreTamperedError extends KeystoreError {
  constructor(what: string) {
    super('KEYSTORE_TAMPERED', `keystore integrity check failed: ${what}`);
  }
}

/** The file ends before its JSON does (a partial copy or an interrupted write by another tool). */
export class KeystoreTruncatedError extends KeystoreError {
  constructor() {
    super('KEYSTORE_TRUNCATED', 'keystore file is truncated (its JSON ends early)');
  }
}

/** Complete JSON, but not a keystore: a field is missing, of the wrong type, or of the wrong length. */
export class KeystoreMalformedError extends KeystoreError {
  constructor(what: string) {
    super('KEYSTORE_MALFORMED', `malformed keystore: ${what}`);
  }
}

export class KeystoreUnsupportedVersionError extends KeystoreError {
  constructor(version: unknown) {
    super('KEYSTORE_UNSUPPORTED_VERSION', `unsupported keystore version ${JSON.stringify(version) ?? 'undefined'} (supported: 1)`);
  }
}

/** A KDF other than scrypt / argon2id, or parameters outside the bounds this implementation accepts. */
export class KeystoreUnsupportedKdfError extends KeystoreError {
  constructor(what: string) {
    super('KEYSTORE_UNSUPPORTED_KDF', `unsupported keystore KDF: ${what}`);
  }
}
