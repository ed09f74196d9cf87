/**
 * Errors of `Rng` and the deterministic generator. Codes are stable; messages say what went wrong and
 * which limit applied, never output or seed bytes. The Web Crypto-facing ones carry the DOMException
 * names `getRandomValues` callers check for (`QuotaExceededError`, `TypeMismatchError`).
 */
import { HardenedRngError } from '../errors.js';

/** The generator cannot serve a request from a healthy, properly seeded state (fail closed). */
export class RngFailedError extends HardenedRngError {
  declare readonly code: 'RNG_FAILED';
  readonly reason: string;
  constructor(reason: string, options?: ErrorOptions) {
    super('RNG_FAILED', `random generator failed: ${reason}`, options);
    this.reason = reason;
  }
}

export class RngDestroyedError extends HardenedRngError {
  declare readonly code: 'RNG_DESTROYED';
  constructor(operation: string) {
    super('RNG_DESTROYED', `${operation} called on a destroyed random generator`);
  }
}

/** A request argument of the wrong type or size (length, additional input, options). */
export class RngRequestError extends HardenedRngError {
  declare readonly code: 'RNG_BAD_REQUEST';
  constructor(message: string) {
    super('RNG_BAD_REQUEST', message);
  }
}

/** Web Crypto `getRandomValues`: more than 65 536 bytes in one call. */
export class QuotaExceededError extends HardenedRngError {
  declare readonly code: 'RNG_QUOTA_EXCEEDED';
  constructor(byteLength: number) {
    super('RNG_QUOTA_EXCEEDED', `getRandomValues: ${byteLength} bytes requested, the limit is 65536 per call`);
  }
}

/** Web Crypto `getRandomValues`: not an integer typed array (Float32Array, DataView, …). */
export class TypeMismatchError extends HardenedRngError {
  declare readonly code: 'RNG_TYPE_MISMATCH';
  constructor(what: string) {
    super('RNG_TYPE_MISMATCH', `getRandomValues: expected an integer typed array, got ${what}`);
  }
}
