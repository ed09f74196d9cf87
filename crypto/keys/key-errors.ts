/**
 * Errors of key generation, signing and verification (RFC 8032, FIPS 204, FIPS 205 wiring).
 * Messages name the scheme and the lengths involved, never key bytes.
 */
import { HardenedRngError } from '../errors.js';

/** A scheme this module cannot generate or sign with in software (e.g. an HSM-only scheme). */
export class UnsupportedSchemeError extends HardenedRngError {
  constructor(scheme: string) {
    super('KEY_UNSUPPORTED_SCHEME', `unsupported signature scheme '${scheme}'`);
  }
}

/** Bytes of the wrong type or length were handed to key generation, a signer or a verifier. */
export class KeyArgumentError extends HardenedRngError {
  constructor(message: string) {
    super('KEY_INVALID_ARGUMENT', message);
  }
}

/** Key material that does not belong together (a seed that does not yield the recorded public key). */
export class KeyMismatchError extends HardenedRngError {
  constructor(message: string) {
    super('KEY_MISMATCH', message);
  }
}
