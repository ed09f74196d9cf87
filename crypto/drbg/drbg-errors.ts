/**
 * Typed errors for the HMAC_DRBG mechanism (SP 800-90A Rev.1 §10.1.2, limits from Table 2) and its
 * known-answer self-tests (FIPS 140-3 pre-operational / conditional self-tests).
 *
 * Callers switch on `code`; messages name the limit and the offending size, never input bytes.
 */
import { HardenedRngError } from '../errors.js';

/** Every error the DRBG mechanism throws; `Rng` can catch this one class. */
export class DrbgError extends HardenedRngError {}

/** Entropy input shorter than the security strength (§10.1.2.3 step 1, §10.1.2.4). */
export class DrbgEntropyTooShortError extends DrbgError {
  constructor(actualBytes: number, minBytes: number) {
    super(
      'DRBG_ENTROPY_TOO_SHORT',
      `entropy input is ${actualBytes} bytes; SP 800-90A requires at least ${minBytes} (the 256-bit security strength)`,
    );
  }
}

/** Nonce shorter than half the security strength (§8.6.7). */
export class DrbgNonceTooShortError extends DrbgError {
  constructor(actualBytes: number, minBytes: number) {
    super('DRBG_NONCE_TOO_SHORT', `nonce is ${actualBytes} bytes; SP 800-90A §8.6.7 requires at least ${minBytes}`);
  }
}

/** A generate request of 0 bytes, more than 2^19 bits, or not a whole number of bytes (Table 2). */
export class DrbgRequestOutOfRangeError extends DrbgError {
  constructor(requested: unknown, maxBytes: number) {
    const shown = typeof requested === 'number' ? String(requested) : `a ${typeof requested}`;
    super(
      'DRBG_REQUEST_OUT_OF_RANGE',
      `requested ${shown} bytes; a generate request must be an integer from 1 to ${maxBytes} bytes (SP 800-90A Table 2: 2^19 bits)`,
    );
  }
}

/** An entropy input, nonce, personalization string or additional input longer than 2^35 bits (Table 2). */
export class DrbgInputTooLongError extends DrbgError {
  readonly input: string;
  constructor(input: string, actualBytes: number, maxBytes: number) {
    super(
      'DRBG_INPUT_TOO_LONG',
      `${input} is ${actualBytes} bytes; SP 800-90A Table 2 allows at most ${maxBytes} (2^35 bits), ${actualBytes - maxBytes} too many`,
    );
    this.input = input;
  }
}

/** The reseed counter has passed the reseed interval (§10.1.2.5 step 1): no output until reseeded. */
export class DrbgReseedRequiredError extends DrbgError {
  constructor(reseedCounter: number, reseedInterval: number) {
    super(
      'DRBG_RESEED_REQUIRED',
      `reseed required: ${reseedCounter - 1} generate requests since the last (re)seed, the reseed interval is ${reseedInterval}`,
    );
  }
}

/** Any call on a DRBG after `destroy()` (§9.4 uninstantiate). */
export class DrbgDestroyedError extends DrbgError {
  constructor(operation: string) {
    super('DRBG_DESTROYED', `${operation} called on a destroyed HMAC_DRBG; instantiate a new one`);
  }
}

/** A constructor option or argument of the wrong type or outside its range (hash name, reseed interval, inputs). */
export class DrbgInvalidArgumentError extends DrbgError {
  constructor(message: string) {
    super('DRBG_INVALID_ARGUMENT', message);
  }
}

/** A known-answer self-test produced the wrong value: the module must not produce output. */
export class SelfTestError extends HardenedRngError {
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
