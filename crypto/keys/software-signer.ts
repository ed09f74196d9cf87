/**
 * A Signer over a key held in process memory (RFC 8032 §5.1.6, FIPS 204 §5.2 hedged, FIPS 205 §10.2
 * hedged). The expanded secret key lives in a Secret owned by the signer; hedged schemes draw their
 * per-signature randomness from the injected RandomSource, never from noble's default.
 */
import type { RandomSource } from '../drbg/random-source.js';
import { equal } from '../ct/equal.js';
import { assert } from '../assert.js';
import { CryptoError } from '../errors.js';
import { refuseDeterministic, type DeterministicConsent } from '../secret/deterministic.js';
import { Secret } from '../secret/secret.js';
import { keyIdOf } from './key-id.js';
import type { KeyRecord } from './key-record.js';
import { drawSignRand, schemeImpl, type SchemeImpl, type SoftwareScheme } from './schemes.js';
import type { Signer } from './signer.js';
import { verifyWith } from './verifier.js';

export interface SoftwareSignerOptions extends DeterministicConsent {
  /**
   * Required for ML-DSA and SLH-DSA (hedged signing); unused by Ed25519. A generator marked
   * `deterministic` is refused for hedged schemes unless `allowDeterministic`.
   */
  readonly rng?: RandomSource;
}

export class SoftwareSigner implements Signer, Disposable {
  readonly scheme: SoftwareScheme;
  readonly publicKey: Uint8Array;
  readonly keyId: string;
  readonly #impl: SchemeImpl;
  readonly #secretKey: Secret;
  readonly #rng: RandomSource | undefined;

  private constructor(impl: SchemeImpl, publicKey: Uint8Array, secretKey: Secret, rng: RandomSource | undefined) {
    this.#impl = impl;
    this.scheme = impl.scheme;
    this.publicKey = publicKey;
    this.keyId = keyIdOf(impl.scheme, publicKey);
    this.#secretKey = secretKey;
    this.#rng = rng;
  }

  /**
   * Expands `seed` (left owned by the caller) into a signer. With `expectedPublicKey`, refuses a seed
   * that does not yield it — the check a keystore load relies on.
   */
  static fromSeed(
    scheme: SoftwareScheme,
    seed: Secret,
    opts: SoftwareSignerOptions & { readonly expectedPublicKey?: Uint8Array } = {},
  ): SoftwareSigner {
    const impl = schemeImpl(scheme);
    if (impl.signRandLength > 0) {
      if (opts.rng === undefined) throw new CryptoError('CRYPTO_INVALID_ARGUMENT', `${scheme} signs hedged and needs a RandomSource (rng)`);
      refuseDeterministic(opts.rng, `${scheme} hedged signer`, opts);
    }
    assert.integer(seed.length, `${scheme} seed length`, { min: impl.seedLength, max: impl.seedLength });
    const { publicKey, secretKey } = seed.use((s) => impl.keygen(s));
    const owned = Secret.from(secretKey);
    if (opts.expectedPublicKey !== undefined && !equal(publicKey, opts.expectedPublicKey)) {
      owned.dispose();
      throw new CryptoError('KEY_MISMATCH', `the ${scheme} seed does not yield the recorded public key`);
    }
    return new SoftwareSigner(impl, publicKey, owned, opts.rng);
  }

  static fromRecord(record: KeyRecord, opts: SoftwareSignerOptions = {}): SoftwareSigner {
    return SoftwareSigner.fromSeed(record.scheme, record.seed, { ...opts, expectedPublicKey: record.publicKey });
  }

  async sign(message: Uint8Array): Promise<Uint8Array> {
    return this.signSync(message);
  }

  /** The same as `sign`, for callers (benchmarks, simulations) that cannot await. */
  signSync(message: Uint8Array): Uint8Array {
    assert.bytes(message, 'message');
    const rnd = this.#rng === undefined ? undefined : drawSignRand(this.#impl, this.#rng);
    try {
      return this.#secretKey.use((sk) => this.#impl.sign(sk, message, rnd));
    } finally {
      rnd?.fill(0);
    }
  }

  verify(message: Uint8Array, signature: Uint8Array): boolean {
    return verifyWith(this.#impl, this.publicKey, message, signature);
  }

  get disposed(): boolean {
    return this.#secretKey.disposed;
  }

  /** Zeroes the secret key; later signing throws SecretDisposedError. */
  dispose(): void {
    this.#secretKey.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  toString(): string {
    return `SoftwareSigner(${this.scheme}, ${this.keyId})`;
  }

  toJSON(): { scheme: string; keyId: string } {
    return { scheme: this.scheme, keyId: this.keyId };
  }
}
