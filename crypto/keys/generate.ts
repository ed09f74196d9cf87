/**
 * Key generation from an explicit seed drawn from our RandomSource (RFC 8032 §5.1.5, FIPS 204 §6.1
 * ML-DSA.KeyGen_internal, FIPS 205 §10.1 slh_keygen_internal): noble's keygen is only ever called with
 * a seed, so it never falls back to its own `crypto.getRandomValues`.
 */
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { RandomSource } from '../drbg/random-source.js';
import { assert } from '../assert.js';
import type { DeterministicConsent } from '../secret/deterministic.js';
import { Secret } from '../secret/secret.js';
import { keyIdOf } from './key-id.js';
import type { KeyRecord } from './key-record.js';
import { schemeImpl, type SoftwareScheme } from './schemes.js';

export interface GenerateKeyOptions extends DeterministicConsent {
  /** Where the seed comes from; one marked `deterministic` is refused unless `allowDeterministic`. */
  readonly rng: RandomSource;
  readonly clock?: Clock;
}

export function generateKey(scheme: SoftwareScheme, opts: GenerateKeyOptions): KeyRecord {
  const impl = schemeImpl(scheme);
  const seed = Secret.random(opts.rng, impl.seedLength, opts.allowDeterministic === true ? { allowDeterministic: true } : {});
  try {
    const publicKey = publicKeyFromSeed(scheme, seed);
    const createdAt = (opts.clock ?? systemClock).wallMs();
    return { scheme, publicKey, keyId: keyIdOf(scheme, publicKey), createdAt, seed };
  } catch (err) {
    seed.dispose();
    throw err;
  }
}

/** The public key a seed yields; the expanded secret key is zeroed before returning. */
export function publicKeyFromSeed(scheme: SoftwareScheme, seed: Secret): Uint8Array {
  const impl = schemeImpl(scheme);
  assert.integer(seed.length, `${scheme} seed length`, { min: impl.seedLength, max: impl.seedLength });
  const { publicKey, secretKey } = seed.use((s) => impl.keygen(s));
  secretKey.fill(0);
  return publicKey;
}
