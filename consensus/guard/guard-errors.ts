/**
 * Why the double-sign guard refused (the tmkms / Web3Signer slashing-protection model, with EIP-3076's
 * "refuse anything not provably safe" rule). Codes are stable: the CLI maps GUARD_DOUBLE_SIGN and
 * GUARD_REGRESSION to exit status 3.
 */
import { HardenedRngError } from '../../crypto/errors.js';
import type { Hrs } from './hrs.js';

const formatHrs = (h: Hrs): string => `height ${h.height} round ${h.round} step ${h.step}`;

/** Same height/round/step as the last signature, different payload (or a payload the guard cannot prove identical). */
export class GuardDoubleSignError extends HardenedRngError {
  readonly keyId: string;
  readonly hrs: Hrs;

  constructor(keyId: string, hrs: Hrs) {
    super('GUARD_DOUBLE_SIGN', `refused: key ${keyId} already signed a different payload at ${formatHrs(hrs)}`);
    this.keyId = keyId;
    this.hrs = hrs;
  }
}

/** A height/round/step lower than one already signed. */
export class GuardRegressionError extends HardenedRngError {
  readonly keyId: string;
  readonly hrs: Hrs;
  readonly last: Hrs;

  constructor(keyId: string, hrs: Hrs, last: Hrs) {
    super('GUARD_REGRESSION', `refused: key ${keyId} asked to sign ${formatHrs(hrs)} after signing ${formatHrs(last)}`);
    this.keyId = keyId;
    this.hrs = hrs;
    this.last = last;
  }
}

/** A state file that cannot be read as guard state: the guard fails closed rather than forget history. */
export class GuardStateCorruptError extends HardenedRngError {
  constructor(path: string, why: string) {
    super('GUARD_STATE_CORRUPT', `guard state ${path} is unreadable (${why}); refusing to sign until it is repaired`);
  }
}

/** Another signing for the same key is in progress (in another process, or a crashed one's lock is in doubt). */
export class GuardLockedError extends HardenedRngError {
  constructor(path: string, why: string) {
    super('GUARD_LOCKED', `guard lock ${path} is held (${why})`);
  }
}

/** An interchange file that is not a well-formed guard interchange document; nothing was imported. */
export class GuardInterchangeError extends HardenedRngError {
  constructor(why: string) {
    super('GUARD_INTERCHANGE_MALFORMED', `malformed guard interchange: ${why}`);
  }
}

/** Arguments the guard cannot act on (a negative height, a payload that is not bytes, a key id unfit for a file name). */
export class GuardArgumentError extends HardenedRngError {
  constructor(why: string) {
    super('GUARD_INVALID_ARGUMENT', why);
  }
}
