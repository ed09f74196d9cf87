/**
 * Errors of the Secret type. Messages carry lengths and reasons, never a byte of the secret.
 */
import { HardenedRngError } from '../errors.js';

/** Why a secret can no longer be used: disposed explicitly, or its time-to-live ran out. */
export type SecretDisposalReason = 'disposed' | 'expired';

/** A disposed (zeroed) secret was used. */
export class SecretDisposedError extends HardenedRngError {
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

/** A Secret was asked for with arguments it cannot honour (a bad length, TTL, or short random output). */
export class SecretArgumentError extends HardenedRngError {
  constructor(message: string) {
    super('SECRET_INVALID_ARGUMENT', message);
  }
}
