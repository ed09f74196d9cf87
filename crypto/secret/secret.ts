/**
 * A zeroizing container for key material, after the pattern of Rust's `zeroize`/`secrecy` crates and
 * libsodium's `sodium_memzero`: the bytes live in one `Uint8Array` that this object owns, are reached only
 * inside `use(fn)`, are zeroed by `dispose()` (or `using`, or a time-to-live), and never turn into a string.
 * Derivation follows HKDF (RFC 5869). What JavaScript can and cannot promise about the copies a runtime
 * makes behind our back is in docs/secrets.md.
 *
 * Ownership: every Secret copies its bytes into a buffer of its own — a dedicated, off-heap ArrayBuffer
 * (see `ownedBuffer`) — and zeroes the array they came from: the caller's in `from()` (unless
 * `keepSource`), the generator's in `random()`, HKDF's output in `derive()`. Exactly one live copy
 * remains, and dispose() zeroes it.
 */
import { inspect } from 'node:util';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { equal } from '../ct/equal.js';
import { assert } from '../assert.js';
import type { RandomSource } from '../drbg/random-source.js';
import { CryptoError, SecretDisposedError, type SecretDisposalReason } from '../errors.js';
import type { HashName } from '../hash.js';
import { hkdf } from '../kdf/hkdf.js';
import { refuseDeterministic, type DeterministicConsent } from './deterministic.js';

export interface SecretOptions {
  /** Dispose automatically this many milliseconds after creation (ephemeral keys). */
  ttlMs?: number;
  /** The clock the time-to-live is measured on; `systemClock` by default. */
  clock?: Clock;
}

export interface SecretRandomOptions extends SecretOptions, DeterministicConsent {}

export interface SecretFromOptions extends SecretOptions {
  /** Leave the caller's array as it is instead of zeroing it (the caller then owns that copy). */
  keepSource?: boolean;
}

export interface SecretDeriveOptions extends SecretOptions {
  /** HKDF's salt; absent means HashLen zero bytes (RFC 5869 §2.2). */
  salt?: Uint8Array | undefined;
  /** HKDF's context and application-specific information (may be empty). */
  info: Uint8Array;
  /** The output length in bytes, in [1, 255 · HashLen]. */
  length: number;
}

// Node's setTimeout clamps longer delays to 1 ms; longer TTLs re-arm the timer in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

const CONSTRUCT = Symbol('Secret.construct');

// Best effort for a Secret dropped without dispose(): zero its buffer when it is collected. The held
// value is the buffer, not the Secret, so the registry does not keep the Secret alive. Finalizers may
// never run (process exit), which is why dispose() remains the contract.
const wipeOnCollect = new FinalizationRegistry<Uint8Array>((bytes) => {
  bytes.fill(0);
});

/**
 * A buffer for secret bytes that the garbage collector will not move. V8 keeps small typed arrays made
 * with `new Uint8Array(n)` (≤ 64 bytes) *on* the JS heap, where scavenges and compaction copy them and
 * leave stale copies behind; a typed array over an explicit `new ArrayBuffer(n)` has an off-heap backing
 * store that stays put until freed. It is also never a slice of Buffer's shared pool.
 */
function ownedBuffer(length: number): Uint8Array {
  return new Uint8Array(new ArrayBuffer(length));
}

/** Moves `bytes` into an owned buffer and zeroes them. */
function takeOver(bytes: Uint8Array): Uint8Array {
  const owned = ownedBuffer(bytes.length);
  owned.set(bytes);
  bytes.fill(0);
  return owned;
}

function assertLength(length: number, what: string): void {
  assert.integer(length, `${what}: length`, { min: 1 });
}

export class Secret {
  readonly #bytes: Uint8Array;
  #state: 'live' | SecretDisposalReason = 'live';
  readonly #clock: Clock;
  readonly #expiresAt: number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  private constructor(token: symbol, owned: Uint8Array, opts: SecretOptions) {
    if (token !== CONSTRUCT) throw new CryptoError('CRYPTO_INVALID_ARGUMENT', 'Secret: use Secret.from, Secret.random or Secret.derive');
    this.#bytes = owned;
    this.#clock = opts.clock ?? systemClock;
    const ttl = opts.ttlMs;
    if (ttl === undefined) {
      this.#expiresAt = Number.POSITIVE_INFINITY;
    } else {
      if (typeof ttl !== 'number' || !(ttl > 0) || !Number.isFinite(ttl)) {
        owned.fill(0);
        throw new CryptoError('CRYPTO_INVALID_ARGUMENT', `Secret: ttlMs must be a positive finite number (got ${String(ttl)})`);
      }
      this.#expiresAt = this.#clock.monotonicMs() + ttl;
      this.#arm(ttl);
    }
    wipeOnCollect.register(this, owned, this);
    Object.freeze(this);
  }

  /**
   * Takes `bytes` as a secret: copies them into a buffer of its own and zeroes `bytes` unless
   * `keepSource` is set. Pass the only copy you have; keep nothing else.
   */
  static from(bytes: Uint8Array, opts: SecretFromOptions = {}): Secret {
    assert.bytes(bytes, 'Secret.from: bytes', { minLength: 1 });
    const owned = ownedBuffer(bytes.length);
    owned.set(bytes);
    if (opts.keepSource !== true) bytes.fill(0);
    return new Secret(CONSTRUCT, owned, opts);
  }

  /**
   * `length` bytes from `rng`, moved into an owned buffer; the generator's array is zeroed. A generator
   * marked `deterministic` is refused (RNG_DETERMINISTIC_REFUSED) unless `allowDeterministic`.
   */
  static random(rng: RandomSource, length: number, opts: SecretRandomOptions = {}): Secret {
    assertLength(length, 'Secret.random');
    refuseDeterministic(rng, 'Secret.random', opts);
    const drawn = rng.randomBytes(length);
    if (!(drawn instanceof Uint8Array) || drawn.length !== length) {
      if (drawn instanceof Uint8Array) drawn.fill(0);
      throw new CryptoError('CRYPTO_INVALID_ARGUMENT', 'Secret.random: the random source returned the wrong number of bytes');
    }
    // The source may hand out a view into a larger (pooled) buffer: copy, then wipe its view.
    const { allowDeterministic: _consent, ...secretOpts } = opts;
    return new Secret(CONSTRUCT, takeOver(drawn), secretOpts);
  }

  /**
   * HKDF (RFC 5869) into a Secret. HKDF wipes its PRK and the unused tail of its last block; its output
   * is moved into the Secret's own buffer at once and zeroed, so no plain copy of the derived key
   * survives. A `Uint8Array` ikm is left as it is (the caller owns it). `opts` carries HKDF's `salt`
   * (optional), `info` and `length` (in [1, 255 · HashLen]) and the Secret's own options;
   * HKDF's own errors (HKDF_LENGTH_OUT_OF_RANGE, CRYPTO_INVALID_ARGUMENT) pass through.
   */
  static derive(hash: HashName, ikm: Secret | Uint8Array, opts: SecretDeriveOptions): Secret {
    const { salt, info, length, ...secretOpts } = opts;
    assertLength(length, 'Secret.derive');
    const derive = (k: Uint8Array): Uint8Array => hkdf(hash, k, salt, info, length);
    const okm = ikm instanceof Secret ? ikm.use(derive) : derive(ikm);
    return new Secret(CONSTRUCT, takeOver(okm), secretOpts);
  }

  /** The length in bytes: public, even after dispose. */
  get length(): number {
    return this.#bytes.length;
  }

  /** True once disposed or expired (an expired secret is zeroed the moment this is read). */
  get disposed(): boolean {
    this.#checkExpiry();
    return this.#state !== 'live';
  }

  /**
   * Runs `fn` on the secret bytes and returns its result. `fn` must be synchronous and must not keep
   * the array (or a copy) after it returns: the array is this Secret's own memory and is zeroed on
   * dispose. Writing to it changes the secret. Throws SecretDisposedError after dispose or expiry.
   */
  use<T>(fn: (bytes: Uint8Array) => T): T {
    this.#assertLive();
    return fn(this.#bytes);
  }

  /** Constant-time equality of contents; lengths are public. Both secrets must be live. */
  equals(other: Secret): boolean {
    if (!(other instanceof Secret)) throw new CryptoError('CRYPTO_INVALID_ARGUMENT', 'Secret.equals: other must be a Secret');
    return this.use((a) => other.use((b) => equal(a, b)));
  }

  /** Zeroes the buffer; idempotent. Every later use throws SecretDisposedError. */
  dispose(): void {
    this.#wipe('disposed');
  }

  [Symbol.dispose](): void {
    this.#wipe('disposed');
  }

  toString(): string {
    return this.#label();
  }

  /** What JSON.stringify and pino (which serializes through JSON) write. */
  toJSON(): string {
    return this.#label();
  }

  [Symbol.toPrimitive](): string {
    return this.#label();
  }

  [inspect.custom](): string {
    return this.#label();
  }

  get [Symbol.toStringTag](): string {
    return 'Secret';
  }

  #label(): string {
    if (this.disposed) return 'Secret(disposed)';
    const n = this.#bytes.length;
    return `Secret(${n} ${n === 1 ? 'byte' : 'bytes'}, redacted)`;
  }

  #checkExpiry(): void {
    if (this.#state === 'live' && this.#clock.monotonicMs() >= this.#expiresAt) this.#wipe('expired');
  }

  #assertLive(): void {
    this.#checkExpiry();
    if (this.#state !== 'live') throw new SecretDisposedError(this.#state);
  }

  #wipe(reason: SecretDisposalReason): void {
    if (this.#state !== 'live') return;
    this.#bytes.fill(0);
    this.#state = reason;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    wipeOnCollect.unregister(this);
  }

  // The timer wipes a secret nobody touches any more; the clock stays the authority on expiry, so a
  // timer that fires early (or a test clock that has not moved) only re-arms it.
  #arm(delayMs: number): void {
    const timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#checkExpiry();
        if (this.#state === 'live') {
          const remaining = this.#expiresAt - this.#clock.monotonicMs();
          this.#arm(Math.max(1, remaining));
        }
      },
      Math.min(Math.ceil(delayMs), MAX_TIMER_MS),
    );
    timer.unref();
    this.#timer = timer;
  }
}
