/**
 * `Rng`: what applications hold — SP 800-90A HMAC_DRBG (§10.1.2) seeded from the SP 800-90B-tested
 * conditioning pool, with the policy the mechanism leaves to its user (DESIGN.md "Contracts"):
 *
 * - Instantiate (§9.1): known-answer self-tests (once per process), start-up tests on every available source, one pool draw
 *   of 64 bytes claiming ≥ 384 bits = entropy input (32) ‖ nonce (16) ‖ 16 bytes for the personalization
 *   string, which also carries pid ‖ hrtime ‖ an instance counter so no two instances share a state.
 * - Reseed (§9.2) from the pool (48 bytes, same claim) when any limit is reached — DRBG generate calls
 *   (default 2^16), output bytes (default 2^30), age (default 5 min) — on demand, and when the process id
 *   changes (a forked child must not replay its parent's stream).
 * - Prediction resistance (§9.3.1): every DRBG generate call is preceded by a reseed from the pool with the
 *   caller's additional input; the generate itself then gets none, as §9.3.1 step 7.4 prescribes.
 * - Requests larger than 65 536 bytes are split into DRBG requests of at most that size, each counted
 *   against the reseed limits, so a reseed can fall between two chunks of one request.
 * - Small requests (≤ 256 bytes, no additional input, no prediction resistance) are served from a 4 KiB
 *   block generated ahead; each slice is zeroed in the block as it is handed out (Linux's batched
 *   entropy does the same), and reseed, fork and destroy wipe the block.
 * - Fail closed (DESIGN.md "Failure policy"): in the `failed` state every request throws RngFailedError.
 *   Recovery needs a pool draw that meets the policy again — tried on `reseed()`, or by a request at most
 *   once per `readmitAfterMs`; a failed self-test is never recovered from.
 */
import { hrtime } from 'node:process';
import { inspect } from 'node:util';
import { systemClock, type Clock } from '../clock.js';
import type { SourceEvent } from '../entropy/health/monitored-source.js';
import { DEFAULT_POOL_POLICY, EntropyPool, type PoolPolicy } from '../entropy/pool.js';
import { InsufficientEntropyError } from '../entropy/pool-errors.js';
import type { EntropySource } from '../entropy/source.js';
import { defaultSources } from '../entropy/sources/index.js';
import { HardenedRngError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { HmacDrbg, type DrbgHash } from './hmac-drbg.js';
import { RngMonitor, sourceReport, type RngState, type RngStateChange, type SeedProvenance, type SeedPurpose, type SourceReport } from './monitor.js';
import type { RandomSource } from './random-source.js';
import { QuotaExceededError, RngDestroyedError, RngFailedError, RngRequestError, TypeMismatchError } from './rng-errors.js';
import { selfTest } from './self-test.js';
import type { SelfTestResult } from './self-test.js';

export interface RngPolicy extends PoolPolicy {
  /** DRBG generate calls between reseeds (SP 800-90A allows 2^48; far fewer by policy). */
  readonly reseedAfterRequests: number;
  /** Output bytes between reseeds. */
  readonly reseedAfterBytes: number;
  /** Milliseconds between reseeds (monotonic clock). */
  readonly reseedAfterMs: number;
  /** Size of the block small requests are served from; 0 turns batching off. */
  readonly batchBytes: number;
  /** Largest request served from the block. */
  readonly batchMaxRequest: number;
}

export const DEFAULT_RNG_POLICY: RngPolicy = Object.freeze({
  ...DEFAULT_POOL_POLICY,
  reseedAfterRequests: 2 ** 16,
  reseedAfterBytes: 2 ** 30,
  reseedAfterMs: 5 * 60_000,
  batchBytes: 4096,
  batchMaxRequest: 256,
});

export interface RngOptions {
  /** HMAC_DRBG hash: SHA-512 by default; SHA3-512 (FIPS 140-3 IG D.R) or SHA-256. */
  readonly hash?: DrbgHash;
  /** Entropy sources; `defaultSources()` when omitted. */
  readonly sources?: readonly EntropySource[];
  readonly policy?: Partial<RngPolicy>;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Reseed from the pool before every DRBG request (SP 800-90A §9.3.1). Off by default. */
  readonly predictionResistance?: boolean;
  /** The process id, read before every request to detect a fork; injectable for tests. */
  readonly pid?: () => number;
}

export interface RngCounters {
  /** randomBytes / getRandomValues calls served. */
  readonly requests: number;
  readonly bytes: number;
  /** Reseeds since instantiation (not counting the instantiation itself). */
  readonly reseeds: number;
  /** HMAC_DRBG generate calls. */
  readonly drbgRequests: number;
  /** Since the current seed: DRBG generate calls, bytes generated, and its age. */
  readonly sinceSeed: { readonly drbgRequests: number; readonly bytes: number; readonly ms: number };
}

export interface HealthReport {
  readonly state: RngState;
  readonly reason: string;
  /** Wall-clock time of the last state change. */
  readonly sinceMs: number;
  readonly hash: DrbgHash;
  readonly predictionResistance: boolean;
  readonly policy: RngPolicy;
  /** The known-answer self-tests that passed before the first output (names only). */
  readonly selfTests: readonly SelfTestResult[];
  readonly sources: readonly SourceReport[];
  readonly counters: RngCounters;
  /** Which sources the current seed came from and what each was credited. */
  readonly seed?: SeedProvenance;
}

export interface RngEvents {
  /** A change of healthy / degraded / failed. */
  state: RngStateChange;
  /** A source event: alarm, quarantine, start-up result, unavailability. */
  source: SourceEvent;
  /** A successful (re)seed. */
  reseed: SeedProvenance;
}

type IntegerTypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

const INTEGER_ARRAYS: readonly (new (n: number) => IntegerTypedArray)[] = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, BigInt64Array, BigUint64Array,
];

const INSTANTIATE_BYTES = 64;
const RESEED_BYTES = 48;
const MIN_INSTANTIATE_BITS = 8 * (HmacDrbg.MIN_ENTROPY_BYTES + HmacDrbg.MIN_NONCE_BYTES);
const MAX_WEB_CRYPTO_BYTES = 65536;
const PERSONALIZATION_LABEL = new TextEncoder().encode('hrng/rng/v1');
let instances = 0n;
let batchForTesting: ((rng: Rng) => { readonly batch: Uint8Array; readonly position: number }) | undefined;
/**
 * FIPS 140-3 pre-operational self-tests run once per process (per module load), before the first output;
 * their results are kept for every instance's health report.
 */
let selfTestResults: readonly SelfTestResult[] | undefined;

function checkPolicy(p: RngPolicy): void {
  const positiveInt = (name: keyof RngPolicy, max: number): void => {
    const v = p[name];
    if (!Number.isSafeInteger(v) || v < 1 || v > max) throw new RngRequestError(`policy.${name} must be an integer in 1..${max}, got ${String(v)}`);
  };
  // One draw instantiates: SP 800-90A wants ≥ 256 bits in the entropy input and ≥ 128 in the nonce
  // (§10.1.2.3, §8.6.7), so the claim per draw cannot be below 384 here (the pool alone allows 256).
  if (!(p.minCreditedBits >= MIN_INSTANTIATE_BITS)) {
    throw new RngRequestError(`policy.minCreditedBits must be at least ${MIN_INSTANTIATE_BITS} (256-bit entropy input + 128-bit nonce), got ${String(p.minCreditedBits)}`);
  }
  positiveInt('reseedAfterRequests', HmacDrbg.MAX_RESEED_INTERVAL);
  positiveInt('reseedAfterBytes', Number.MAX_SAFE_INTEGER);
  if (!(p.reseedAfterMs > 0)) throw new RngRequestError(`policy.reseedAfterMs must be > 0, got ${p.reseedAfterMs}`);
  if (!Number.isSafeInteger(p.batchBytes) || p.batchBytes < 0 || p.batchBytes > HmacDrbg.MAX_BYTES_PER_REQUEST) {
    throw new RngRequestError(`policy.batchBytes must be an integer in 0..65536, got ${p.batchBytes}`);
  }
  if (!Number.isSafeInteger(p.batchMaxRequest) || p.batchMaxRequest < 0 || p.batchMaxRequest > p.batchBytes) {
    throw new RngRequestError(`policy.batchMaxRequest must be an integer in 0..batchBytes, got ${p.batchMaxRequest}`);
  }
}

function describeError(err: unknown): string {
  if (err instanceof HardenedRngError) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

export class Rng implements RandomSource {
  readonly #pool: EntropyPool;
  readonly #monitor: RngMonitor;
  readonly #clock: Clock;
  readonly #policy: RngPolicy;
  readonly #hash: DrbgHash;
  readonly #pr: boolean;
  readonly #pid: () => number;
  readonly #listeners = { reseed: new Set<(p: SeedProvenance) => void>() };
  #drbg: HmacDrbg | undefined;
  #batch: Uint8Array;
  #batchPos: number;
  #seededPid: number;
  #sinceSeed = { drbgRequests: 0, bytes: 0, atMs: 0 };
  #counters = { requests: 0, bytes: 0, reseeds: 0, drbgRequests: 0 };
  #lastRecoveryMs = -Infinity;
  #destroyed = false;

  static {
    batchForTesting = (rng) => ({ batch: rng.#batch, position: rng.#batchPos });
  }

  private constructor(pool: EntropyPool, monitor: RngMonitor, clock: Clock, policy: RngPolicy, hash: DrbgHash, pr: boolean, pid: () => number) {
    this.#pool = pool;
    this.#monitor = monitor;
    this.#clock = clock;
    this.#policy = policy;
    this.#hash = hash;
    this.#pr = pr;
    this.#pid = pid;
    this.#batch = new Uint8Array(policy.batchBytes);
    this.#batchPos = policy.batchBytes;
    this.#seededPid = pid();
  }

  /**
   * Runs the self-tests and the start-up tests, seeds from the pool and instantiates the DRBG. Rejects
   * with RngFailedError (the cause attached) when a self-test fails or the pool's policy cannot be met.
   */
  static async create(options: RngOptions = {}): Promise<Rng> {
    const hash = options.hash ?? 'sha512';
    if (hash !== 'sha512' && hash !== 'sha3-512' && hash !== 'sha256') throw new RngRequestError(`unknown hash '${String(hash)}'`);
    const policy: RngPolicy = Object.freeze({ ...DEFAULT_RNG_POLICY, ...options.policy });
    checkPolicy(policy);
    const clock = options.clock ?? systemClock;
    const monitor = new RngMonitor(options.logger ?? silentLogger, clock);
    try {
      selfTestResults ??= Object.freeze(selfTest());
    } catch (err) {
      const reason = `self-test failed: ${describeError(err)}`;
      monitor.failPermanently(reason);
      throw new RngFailedError(reason, { cause: err });
    }
    const pool = new EntropyPool({ sources: options.sources ?? defaultSources(), policy, clock, onEvent: monitor.sourceEvent });
    const rng = new Rng(pool, monitor, clock, policy, hash, options.predictionResistance ?? false, options.pid ?? (() => process.pid));
    pool.startup();
    rng.#instantiate();
    return rng;
  }

  get state(): RngState {
    return this.#monitor.state;
  }

  get predictionResistance(): boolean {
    return this.#pr;
  }

  /** `length` bytes from a healthy, properly seeded generator, or a thrown error — never weaker bytes. */
  randomBytes(length: number, additionalInput?: Uint8Array): Uint8Array {
    if (!Number.isSafeInteger(length) || length < 0) throw new RngRequestError(`randomBytes: length must be a non-negative safe integer, got ${String(length)}`);
    if (additionalInput !== undefined && !(additionalInput instanceof Uint8Array)) throw new RngRequestError('randomBytes: additional input must be a Uint8Array');
    this.#ready('randomBytes');
    this.#counters.requests++;
    if (length === 0) return new Uint8Array(0);
    const batched = !this.#pr && additionalInput === undefined && length <= this.#policy.batchMaxRequest && this.#policy.batchBytes > 0;
    const out = batched ? this.#fromBatch(length) : this.#generate(length, additionalInput);
    this.#counters.bytes += length;
    return out;
  }

  /** Web Crypto `getRandomValues`: fills and returns the same integer typed array, ≤ 65 536 bytes. */
  getRandomValues<T extends ArrayBufferView | null>(array: T): T {
    if (array === null || !INTEGER_ARRAYS.some((C) => array instanceof C)) {
      throw new TypeMismatchError(array === null ? 'null' : ((array as object).constructor?.name ?? typeof array));
    }
    const view = array as unknown as IntegerTypedArray;
    if (view.byteLength > MAX_WEB_CRYPTO_BYTES) throw new QuotaExceededError(view.byteLength);
    const bytes = this.randomBytes(view.byteLength);
    new Uint8Array(view.buffer, view.byteOffset, view.byteLength).set(bytes);
    bytes.fill(0);
    return array;
  }

  /** Reseeds from the pool now, first trying to re-admit quarantined sources; recovers a failed Rng. */
  reseed(): void {
    if (this.#destroyed) throw new RngDestroyedError('reseed');
    if (this.#monitor.permanentlyFailed) throw new RngFailedError(this.#monitor.reason);
    this.#pool.readmitAll();
    if (this.#drbg === undefined) this.#instantiate();
    else this.#reseed('on-demand', undefined);
  }

  health(): HealthReport {
    const seed = this.#monitor.provenance;
    return {
      state: this.#monitor.state,
      reason: this.#monitor.reason,
      sinceMs: this.#monitor.sinceMs,
      hash: this.#hash,
      predictionResistance: this.#pr,
      policy: this.#policy,
      selfTests: selfTestResults ?? [],
      sources: this.#pool.status().map(sourceReport),
      counters: {
        ...this.#counters,
        sinceSeed: {
          drbgRequests: this.#sinceSeed.drbgRequests,
          bytes: this.#sinceSeed.bytes,
          ms: this.#clock.monotonicMs() - this.#sinceSeed.atMs,
        },
      },
      ...(seed ? { seed } : {}),
    };
  }

  on<E extends keyof RngEvents>(event: E, listener: (value: RngEvents[E]) => void): () => void {
    if (event === 'state') return this.#monitor.onState(listener as (v: RngStateChange) => void);
    if (event === 'source') return this.#monitor.onSource(listener as (v: SourceEvent) => void);
    if (event === 'reseed') {
      const l = listener as (v: SeedProvenance) => void;
      this.#listeners.reseed.add(l);
      return () => this.#listeners.reseed.delete(l);
    }
    throw new RngRequestError(`unknown event '${String(event)}'`);
  }

  /** Uninstantiate (§9.4): zero the DRBG state and the batch; every later call throws. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#wipeBatch();
    this.#drbg?.destroy();
    this.#drbg = undefined;
  }

  [Symbol.dispose](): void {
    this.destroy();
  }

  toJSON(): { state: RngState; hash: DrbgHash; predictionResistance: boolean; destroyed: boolean } {
    return { state: this.#monitor.state, hash: this.#hash, predictionResistance: this.#pr, destroyed: this.#destroyed };
  }

  [inspect.custom](): string {
    return `Rng { state: '${this.#monitor.state}', hash: '${this.#hash}'${this.#pr ? ', predictionResistance' : ''}${this.#destroyed ? ', destroyed' : ''} }`;
  }

  #ready(operation: string): void {
    if (this.#destroyed) throw new RngDestroyedError(operation);
    if (this.#monitor.state === 'failed') this.#tryRecover();
    if (this.#pid() !== this.#seededPid) this.#reseed('fork', undefined);
  }

  #tryRecover(): void {
    const now = this.#clock.monotonicMs();
    if (this.#monitor.permanentlyFailed || now - this.#lastRecoveryMs < this.#policy.readmitAfterMs) {
      throw new RngFailedError(this.#monitor.reason);
    }
    this.#lastRecoveryMs = now;
    if (this.#drbg === undefined) this.#instantiate();
    else this.#reseed('recovery', undefined);
  }

  #draw(bytes: number): ReturnType<EntropyPool['draw']> {
    this.#monitor.beginDraw();
    try {
      return this.#pool.draw(bytes);
    } catch (err) {
      this.#wipeBatch();
      const reason = err instanceof InsufficientEntropyError ? `entropy policy cannot be met: ${err.message}` : `pool draw failed: ${describeError(err)}`;
      this.#monitor.fail(reason);
      throw new RngFailedError(reason, { cause: err });
    }
  }

  #instantiate(): void {
    const draw = this.#draw(INSTANTIATE_BYTES);
    const m = draw.material;
    const perso = new Uint8Array(PERSONALIZATION_LABEL.length + 4 + 8 + 8 + 16);
    const view = new DataView(perso.buffer);
    let at = 0;
    perso.set(PERSONALIZATION_LABEL, at);
    at += PERSONALIZATION_LABEL.length;
    view.setUint32(at, this.#pid() >>> 0);
    view.setBigUint64(at + 4, hrtime.bigint());
    view.setBigUint64(at + 12, ++instances);
    perso.set(m.subarray(48, 64), at + 20);
    try {
      this.#drbg = new HmacDrbg({
        hash: this.#hash,
        entropy: m.subarray(0, 32),
        nonce: m.subarray(32, 48),
        personalization: perso,
        reseedInterval: this.#policy.reseedAfterRequests,
      });
    } finally {
      m.fill(0);
      perso.fill(0);
    }
    this.#seeded(draw, 'instantiate');
  }

  #reseed(purpose: SeedPurpose, additionalInput: Uint8Array | undefined): void {
    this.#wipeBatch();
    const drbg = this.#drbg;
    if (drbg === undefined) throw new RngFailedError('generator not instantiated');
    const draw = this.#draw(RESEED_BYTES);
    try {
      drbg.reseed(draw.material, additionalInput);
    } finally {
      draw.material.fill(0);
    }
    this.#counters.reseeds++;
    this.#seeded(draw, purpose);
  }

  #seeded(draw: ReturnType<EntropyPool['draw']>, purpose: SeedPurpose): void {
    this.#sinceSeed = { drbgRequests: 0, bytes: 0, atMs: this.#clock.monotonicMs() };
    this.#seededPid = this.#pid();
    this.#monitor.drawSucceeded(draw, purpose, this.#pool.status());
    const p = this.#monitor.provenance;
    if (p) for (const l of this.#listeners.reseed) l(p);
  }

  #reseedDue(): boolean {
    const s = this.#sinceSeed;
    const p = this.#policy;
    return s.drbgRequests >= p.reseedAfterRequests || s.bytes >= p.reseedAfterBytes || this.#clock.monotonicMs() - s.atMs >= p.reseedAfterMs;
  }

  /** One DRBG generate call of ≤ 65 536 bytes, reseeding first when a limit or the policy says so. */
  #drbgGenerate(bytes: number, additionalInput: Uint8Array | undefined): Uint8Array {
    if (this.#pr) this.#reseed('prediction-resistance', additionalInput);
    else if (this.#reseedDue()) this.#reseed('interval', undefined);
    const drbg = this.#drbg;
    if (drbg === undefined) throw new RngFailedError('generator not instantiated');
    const out = drbg.generate(bytes, this.#pr ? undefined : additionalInput);
    this.#sinceSeed.drbgRequests++;
    this.#sinceSeed.bytes += bytes;
    this.#counters.drbgRequests++;
    return out;
  }

  #generate(length: number, additionalInput: Uint8Array | undefined): Uint8Array {
    if (length <= HmacDrbg.MAX_BYTES_PER_REQUEST) return this.#drbgGenerate(length, additionalInput);
    const out = new Uint8Array(length);
    try {
      for (let at = 0; at < length; at += HmacDrbg.MAX_BYTES_PER_REQUEST) {
        const chunk = this.#drbgGenerate(Math.min(HmacDrbg.MAX_BYTES_PER_REQUEST, length - at), additionalInput);
        out.set(chunk, at);
        chunk.fill(0);
      }
    } catch (err) {
      out.fill(0); // a reseed between chunks failed: the chunks already generated never leave
      throw err;
    }
    return out;
  }

  #fromBatch(length: number): Uint8Array {
    if (this.#batchPos + length > this.#batch.length || this.#reseedDue()) {
      this.#wipeBatch();
      const fresh = this.#drbgGenerate(this.#batch.length, undefined);
      this.#batch.set(fresh);
      fresh.fill(0);
      this.#batchPos = 0;
    }
    const out = this.#batch.slice(this.#batchPos, this.#batchPos + length);
    this.#batch.fill(0, this.#batchPos, this.#batchPos + length);
    this.#batchPos += length;
    return out;
  }

  #wipeBatch(): void {
    this.#batch.fill(0);
    this.#batchPos = this.#batch.length;
  }
}

/**
 * Test-only: the live batch block and read position, so tests can show that slices are zeroed as they
 * leave and that reseed, fork and destroy wipe the block. Not exported from any index.
 */
export function rngBatchForTesting(rng: Rng): { readonly batch: Uint8Array; readonly position: number } {
  if (batchForTesting === undefined) throw new Error('unreachable: Rng class not initialised');
  return batchForTesting(rng);
}
