/**
 * `DeterministicRng`: the same seed gives the same byte stream, forever — for reproducible simulations
 * (the BFT harness, property tests) and nothing else. It is HMAC_DRBG (SP 800-90A §10.1.2) instantiated
 * from the caller's seed with a fixed nonce and never reseeded, so its output is exactly as secret as the
 * seed. It is exported only from `hardened-rng/testing` (crypto/testing.ts), is marked
 * `deterministic: true`, and consumers of key material refuse it unless told `allowDeterministic: true`.
 *
 * `snapshot()` / `DeterministicRng.restore()` let a simulation checkpoint a node's generator and replay
 * from the checkpoint: a restored generator continues exactly where the snapshot was taken, every time
 * (unlike `Rng`, whose clones diverge by design).
 */
import { inspect } from 'node:util';
import { assert } from '../assert.js';
import { CryptoError } from '../errors.js';
import { generateChunked } from './chunked.js';
import { HmacDrbg, type DrbgHash } from './hmac-drbg.js';
import type { RandomSource } from './random-source.js';

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
    this.randomBytes = this.randomBytes.bind(this);
  }

  /** A generator whose whole output is a function of `seed` (≥ 32 bytes) and `label`. */
  static fromSeed(seed: Uint8Array, options: DeterministicRngOptions = {}): DeterministicRng {
    assert.bytes(seed, 'DeterministicRng.fromSeed: seed', { minLength: HmacDrbg.MIN_ENTROPY_BYTES });
    const personalization = new TextEncoder().encode(options.label ?? '');
    return new DeterministicRng(new HmacDrbg({ hash: options.hash ?? 'sha512', entropy: seed, nonce: NONCE, personalization }));
  }

  /** A generator continuing exactly from `snapshot()`'s bytes. */
  static restore(snapshot: Uint8Array): DeterministicRng {
    return new DeterministicRng(HmacDrbg.restore(snapshot));
  }

  randomBytes(length: number): Uint8Array {
    this.#live('randomBytes');
    assert.integer(length, 'randomBytes: length');
    if (length === 0) return new Uint8Array(0);
    return generateChunked(length, (n) => this.#drbg.generate(n));
  }

  /** The generator's state: `restore(snapshot)` continues from here. As secret as the seed. */
  snapshot(): Uint8Array {
    this.#live('snapshot');
    return this.#drbg.exportState();
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

  #live(operation: string): void {
    if (this.#destroyed) throw new CryptoError('RNG_DESTROYED', `${operation} called on a destroyed random generator`);
  }
}
