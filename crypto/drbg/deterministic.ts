/**
 * `DeterministicRng`: the same seed gives the same byte stream, forever — for reproducible simulations
 * (the BFT harness, property tests) and nothing else. It is HMAC_DRBG (SP 800-90A §10.1.2) instantiated
 * from the caller's seed with a fixed nonce and never reseeded, so its output is exactly as secret as the
 * seed. It has its own explicit name and is never a default anywhere: code that wants randomness for keys
 * takes a `RandomSource` and is handed an `Rng`.
 */
import { inspect } from 'node:util';
import { HmacDrbg, type DrbgHash } from './hmac-drbg.js';
import type { RandomSource } from './random-source.js';
import { RngDestroyedError, RngRequestError } from './rng-errors.js';

const NONCE = new TextEncoder().encode('hrng/deterministic/v1');

export interface DeterministicRngOptions {
  readonly hash?: DrbgHash;
  /** Separates streams drawn from one seed (e.g. one per simulated node). */
  readonly label?: string;
}

export class DeterministicRng implements RandomSource {
  /** Marks this generator so consumers that need real randomness can refuse it. */
  readonly deterministic = true;
  readonly #drbg: HmacDrbg;
  #destroyed = false;

  private constructor(drbg: HmacDrbg) {
    this.#drbg = drbg;
  }

  /** A generator whose whole output is a function of `seed` (≥ 32 bytes) and `label`. */
  static fromSeed(seed: Uint8Array, options: DeterministicRngOptions = {}): DeterministicRng {
    if (!(seed instanceof Uint8Array) || seed.length < HmacDrbg.MIN_ENTROPY_BYTES) {
      throw new RngRequestError(`DeterministicRng.fromSeed: the seed must be a Uint8Array of at least ${HmacDrbg.MIN_ENTROPY_BYTES} bytes`);
    }
    const personalization = new TextEncoder().encode(options.label ?? '');
    return new DeterministicRng(new HmacDrbg({ hash: options.hash ?? 'sha512', entropy: seed, nonce: NONCE, personalization }));
  }

  randomBytes(length: number): Uint8Array {
    if (this.#destroyed) throw new RngDestroyedError('randomBytes');
    if (!Number.isSafeInteger(length) || length < 0) throw new RngRequestError(`randomBytes: length must be a non-negative safe integer, got ${String(length)}`);
    if (length === 0) return new Uint8Array(0);
    if (length <= HmacDrbg.MAX_BYTES_PER_REQUEST) return this.#drbg.generate(length);
    const out = new Uint8Array(length);
    for (let at = 0; at < length; at += HmacDrbg.MAX_BYTES_PER_REQUEST) {
      const chunk = this.#drbg.generate(Math.min(HmacDrbg.MAX_BYTES_PER_REQUEST, length - at));
      out.set(chunk, at);
      chunk.fill(0);
    }
    return out;
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#drbg.destroy();
  }

  toJSON(): { deterministic: true; destroyed: boolean } {
    return { deterministic: true, destroyed: this.#destroyed };
  }

  [inspect.custom](): string {
    return `DeterministicRng { reproducible, not for keys${this.#destroyed ? ', destroyed' : ''} }`;
  }
}
