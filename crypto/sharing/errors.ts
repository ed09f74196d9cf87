/**
 * Errors of secret sharing. A rejected share is named by its position in the caller's list (and its x when
 * it could be read); messages never carry share bytes.
 */
import { CryptoError } from '../errors.js';

/** A share that is malformed, corrupted, duplicated or foreign to the set: `shares` lists which. */
export class ShareInvalidError extends CryptoError {
  /** Positions (0-based) in the list the caller passed. */
  readonly shares: readonly number[];
  constructor(shares: readonly number[], reason: string) {
    super('SHARE_INVALID', `share${shares.length === 1 ? '' : 's'} ${shares.map((i) => `#${i}`).join(', ')} rejected: ${reason}`);
    this.shares = Object.freeze([...shares]);
  }
}

/** Fewer valid shares than the set's threshold. */
export class ShareTooFewError extends CryptoError {
  readonly threshold: number;
  readonly got: number;
  constructor(got: number, threshold: number) {
    super('SHARE_TOO_FEW', `${got} share${got === 1 ? '' : 's'} given; this set needs at least ${threshold}`);
    this.threshold = threshold;
    this.got = got;
  }
}
