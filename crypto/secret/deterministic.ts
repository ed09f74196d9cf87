/**
 * The refusal of a reproducible generator where key material is made: a `RandomSource` marked
 * `deterministic` (a seeded simulation generator) yields the same "secret" for everyone who knows the
 * seed. Key generation, Secret.random, keystore encryption (salt, IV) and hedged signing call this first;
 * tests and simulations that want reproducible keys say so with `allowDeterministic: true`.
 */
import type { RandomSource } from '../drbg/random-source.js';
import { CryptoError } from '../errors.js';

export interface DeterministicConsent {
  /** Accept a generator marked `deterministic` (reproducible keys: tests and simulations only). */
  readonly allowDeterministic?: boolean;
}

/** Throws RNG_DETERMINISTIC_REFUSED when `rng` is marked deterministic and the caller did not consent. */
export function refuseDeterministic(rng: RandomSource, what: string, consent: DeterministicConsent = {}): void {
  if (rng.deterministic === true && consent.allowDeterministic !== true) {
    throw new CryptoError(
      'RNG_DETERMINISTIC_REFUSED',
      `${what}: refusing a generator marked deterministic (its output is reproducible from its seed); pass allowDeterministic: true for tests and simulations`,
    );
  }
}
