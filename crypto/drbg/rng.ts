/**
 * `Rng`: what applications hold — SP 800-90A HMAC_DRBG (§10.1.2) seeded from the SP 800-90B-tested
 * conditioning pool, with the policy the mechanism leaves to its user. The seams live in their own files:
 * the policy and its decisions (rng-policy.ts), the block small requests come from (batch.ts), the Web
 * Crypto adapter (web-crypto.ts), recovery (recovery.ts, self-test-gate.ts), states and events
 * (monitor.ts), and the chunking loop shared with DeterministicRng (chunked.ts). This file wires them.
 *
 * - Instantiate (§9.1): known-answer self-tests (once per process and hash; a failure is final), start-up tests on
 *   every available source, one pool draw of 64 bytes claiming ≥ 384 bits = entropy input (32) ‖ nonce
 *   (16) ‖ 16 bytes for the personalization string, which also carries pid ‖ hrtime ‖ an instance counter.
 * - Reseed (§9.2) from the pool (48 bytes, same claim) when a limit is reached — DRBG generate calls,
 *   output bytes, age — on `reseed()`, and before serving when a clone is suspected: a fork (the native
 *   helper's wipe-on-fork page was zeroed, or getpid(2) changed; `process.pid` is fixed at bootstrap) or the gap
 *   between wall clock and monotonic clock jumped (a VM snapshot or CRIU restore). `reseed()` is the hook
 *   for orchestrators that know of a restore (docs/entropy.md, "Clones").
 * - Every DRBG generate call (each block refill is one) gets 16 fresh bytes of getrandom() as additional
 *   input (§9.3.1 additional_input), ahead of the caller's own: two clones of one state diverge from their
 *   next generate call on as soon as the kernel has reseeded (Linux does on a VM generation change).
 * - Prediction resistance (§9.3.1): every DRBG generate call is preceded by a reseed from the pool with the
 *   caller's additional input; the generate itself then gets none, as §9.3.1 step 7.4 prescribes.
 * - Requests over 65 536 bytes are split (chunked.ts); a reseed can fall between two chunks of one request.
 *   `randomFill`/`randomBytesAsync` yield to the event loop between chunks.
 * - Small requests come from a 4 KiB block (batch.ts) unless `cloneSafe: 'strict'`.
 * - Fail closed: in the `failed` state every request throws RngFailedError; recovery needs a pool draw that
 *   meets the policy again — on `reseed()`, or by a request at most once per `readmitAfterMs`.
 */
import { randomFillSync } from 'node:crypto';
import { hrtime } from 'node:process';
import { inspect } from 'node:util';
import { assert } from '../assert.js';
import { systemClock, type Clock } from '../clock.js';
import { EntropyPool, type PoolDraw } from '../entropy/pool.js';
import type { EntropySource } from '../entropy/source.js';
import { defaultSources } from '../entropy/sources/index.js';
import { InsufficientEntropyError, RngFailedError, CryptoError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { forkDetector, pidForkDetector, type ForkDetector, type ForkMechanism } from '../native/pid.js';
import { Batch } from './batch.js';
import { fillChunkedAsync, generateChunked } from './chunked.js';
import { HmacDrbg, type DrbgHash } from './hmac-drbg.js';
import {
  describeError,
  RngMonitor,
  sourceReport,
  type Listener,
  type RngEvents,
  type RngState,
  type SeedProvenance,
  type SeedPurpose,
  type SourceReport,
} from './monitor.js';
import type { RandomSource } from './random-source.js';
import { RecoveryGate } from './recovery.js';
import {
  checkRngPolicy,
  cloneSuspected,
  DEFAULT_RNG_POLICY,
  reseedDue,
  servedFromBatch,
  type CloneSafety,
  type RngPolicy,
} from './rng-policy.js';
import { selfTestResults, selfTestsOnce } from './self-test-gate.js';
import type { SelfTestResult } from './self-test.js';
import { fillRandomValues } from './web-crypto.js';

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
  /** `'strict'` serves every request from its own DRBG generate call (no block generated ahead). */
  readonly cloneSafe?: CloneSafety;
  /** The process id, compared before every request to detect a fork (tests); default: crypto/native/pid.ts. */
  readonly pid?: () => number;
}

export interface RngCounters {
  /** randomBytes / getRandomValues / randomFill calls served. */
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
  readonly cloneSafe: CloneSafety;
  /** How forks are detected: a wipe-on-fork page, getpid(2), or not at all (and why). */
  readonly forkCheck: { readonly mechanism: ForkMechanism | 'injected'; readonly reason?: string };
  readonly policy: RngPolicy;
  /** The known-answer self-tests that passed before the first output (names only). */
  readonly selfTests: readonly SelfTestResult[];
  readonly sources: readonly SourceReport[];
  readonly counters: RngCounters;
  /** Which sources the current seed came from and what each was credited. */
  readonly seed?: SeedProvenance;
}

export type { RngEvents } from './monitor.js';

const INSTANTIATE_BYTES = 64;
const RESEED_BYTES = 48;
/** getrandom() bytes in every generate call's additional input: ≥ 128 bits, so clones diverge. */
export const FRESH_INPUT_BYTES = 16;
const PERSONALIZATION_LABEL = new TextEncoder().encode('hrng/rng/v1');
let instances = 0n;

interface RngParts {
  readonly pool: EntropyPool;
  readonly monitor: RngMonitor;
  readonly clock: Clock;
  readonly policy: RngPolicy;
  readonly hash: DrbgHash;
  readonly predictionResistance: boolean;
  readonly cloneSafe: CloneSafety;
  readonly fork: ForkDetector;
  readonly forkCheck: HealthReport['forkCheck'];
}

/** Test hooks, reached only through crypto/testing.ts (`hardened-rng/testing`). */
export interface RngTestHooks {
  batch(rng: Rng): { readonly batch: Uint8Array; readonly position: number };
  exportState(rng: Rng): Uint8Array;
  restore(state: Uint8Array, options: RngOptions): Promise<Rng>;
}
let hooks: RngTestHooks | undefined;

function partsFrom(options: RngOptions): RngParts {
  const hash = assert.hashName(options.hash ?? 'sha512', 'hash');
  const policy: RngPolicy = Object.freeze({ ...DEFAULT_RNG_POLICY, ...options.policy });
  checkRngPolicy(policy);
  const cloneSafe = assert.oneOf(options.cloneSafe ?? 'standard', 'cloneSafe', ['standard', 'strict'] as const);
  const clock = options.clock ?? systemClock;
  const monitor = new RngMonitor(options.logger ?? silentLogger, clock);
  const pool = new EntropyPool({ sources: options.sources ?? defaultSources(), policy, clock, onEvent: monitor.sourceEvent });
  const native = forkDetector();
  const fork = options.pid === undefined ? native : pidForkDetector(options.pid, 'getpid');
  return {
    pool,
    monitor,
    clock,
    policy,
    hash,
    predictionResistance: assert.boolean(options.predictionResistance ?? false, 'predictionResistance'),
    cloneSafe,
    fork,
    forkCheck:
      options.pid !== undefined
        ? { mechanism: 'injected' }
        : { mechanism: native.mechanism, ...(native.reason !== undefined ? { reason: native.reason } : {}) },
  };
}

export class Rng implements RandomSource {
  /** A real generator: consumers that refuse deterministic ones accept it. */
  readonly deterministic = false;
  readonly #p: RngParts;
  readonly #batch: Batch;
  readonly #recovery = new RecoveryGate();
  #drbg: HmacDrbg | undefined;
  #clockOffsetMs: number;
  #sinceSeed = { drbgRequests: 0, bytes: 0, atMs: 0 };
  #counters = { requests: 0, bytes: 0, reseeds: 0, drbgRequests: 0 };
  #destroyed = false;

  static {
    hooks = {
      batch: (rng) => rng.#batch.inspectForTesting(),
      exportState: (rng) => {
        if (rng.#drbg === undefined) throw new RngFailedError('generator not instantiated');
        return rng.#drbg.exportState();
      },
      restore: async (state, options) => {
        const rng = new Rng(partsFrom(options));
        rng.#p.pool.startup();
        rng.#drbg = HmacDrbg.restore(state);
        rng.#sinceSeed = { drbgRequests: 0, bytes: 0, atMs: rng.#p.clock.monotonicMs() };
        return rng;
      },
    };
  }

  private constructor(parts: RngParts) {
    this.#p = parts;
    this.#batch = new Batch(parts.cloneSafe === 'strict' ? 0 : parts.policy.batchBytes);
    this.#clockOffsetMs = parts.clock.wallMs() - parts.clock.monotonicMs();
    // Bound once, so `const { randomBytes, getRandomValues } = rng` works as it does on `crypto`.
    this.randomBytes = this.randomBytes.bind(this);
    this.getRandomValues = this.getRandomValues.bind(this);
    this.randomFill = this.randomFill.bind(this);
    this.randomBytesAsync = this.randomBytesAsync.bind(this);
  }

  /**
   * Runs the self-tests and the start-up tests, seeds from the pool and instantiates the DRBG. Rejects
   * with RngFailedError (the cause attached) when a self-test fails — now or in any earlier create() of
   * this process — or the pool's policy cannot be met.
   */
  static async create(options: RngOptions = {}): Promise<Rng> {
    const parts = partsFrom(options);
    try {
      selfTestsOnce(parts.hash);
    } catch (err) {
      const reason = `self-test failed: ${describeError(err)}`;
      parts.monitor.failPermanently(reason);
      throw new RngFailedError(reason, { cause: err });
    }
    const rng = new Rng(parts);
    parts.pool.startup();
    rng.#instantiate();
    return rng;
  }

  get state(): RngState {
    return this.#p.monitor.state;
  }

  get predictionResistance(): boolean {
    return this.#p.predictionResistance;
  }

  get cloneSafe(): CloneSafety {
    return this.#p.cloneSafe;
  }

  /** `length` bytes from a healthy, properly seeded generator, or a thrown error — never weaker bytes. */
  randomBytes(length: number, additionalInput?: Uint8Array): Uint8Array {
    assert.integer(length, 'randomBytes: length');
    if (additionalInput !== undefined) assert.bytes(additionalInput, 'randomBytes: additionalInput');
    const nowMs = this.#ready('randomBytes');
    this.#counters.requests++;
    if (length === 0) return new Uint8Array(0);
    const p = this.#p;
    const batched = servedFromBatch({
      length,
      hasAdditionalInput: additionalInput !== undefined,
      predictionResistance: p.predictionResistance,
      cloneSafe: p.cloneSafe,
      batchBytes: p.policy.batchBytes,
      batchMaxRequest: p.policy.batchMaxRequest,
    });
    const out = batched ? this.#fromBatch(length, nowMs) : generateChunked(length, (n) => this.#drbgGenerate(n, additionalInput));
    this.#counters.bytes += length;
    return out;
  }

  /** Web Crypto `getRandomValues`: fills and returns the same integer typed array, ≤ 65 536 bytes. */
  getRandomValues<T extends ArrayBufferView | null>(array: T): T {
    return fillRandomValues(array, (n) => this.randomBytes(n));
  }

  /**
   * Fills `view` (any length) and resolves to it, yielding to the event loop between 64 KiB DRBG calls so
   * a large request does not block a server. On failure the view is zeroed and the promise rejects.
   */
  async randomFill<T extends ArrayBufferView>(view: T): Promise<T> {
    if (!ArrayBuffer.isView(view)) throw new CryptoError('CRYPTO_INVALID_ARGUMENT', 'randomFill: view must be a TypedArray or DataView');
    const target = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    if (target.length <= this.#p.policy.batchMaxRequest) {
      const bytes = this.randomBytes(target.length);
      target.set(bytes);
      bytes.fill(0);
      return view;
    }
    this.#ready('randomFill');
    this.#counters.requests++;
    await fillChunkedAsync(target, (n) => {
      this.#ready('randomFill');
      return this.#drbgGenerate(n, undefined);
    });
    this.#counters.bytes += target.length;
    return view;
  }

  /** `randomBytes(length)` for servers: yields to the event loop between 64 KiB DRBG calls. */
  async randomBytesAsync(length: number): Promise<Uint8Array> {
    assert.integer(length, 'randomBytesAsync: length');
    return this.randomFill(new Uint8Array(length));
  }

  /**
   * Reseeds from the pool now, first trying to re-admit quarantined sources; recovers a failed Rng.
   * Orchestrators call this from their restore hook (VM resume, CRIU restore, container checkpoint).
   */
  reseed(): void {
    if (this.#destroyed) throw new CryptoError('RNG_DESTROYED', 'reseed called on a destroyed random generator');
    if (this.#p.monitor.permanentlyFailed) throw new RngFailedError(this.#p.monitor.reason);
    this.#p.pool.readmitAll();
    if (this.#drbg === undefined) this.#instantiate();
    else this.#reseed('on-demand', undefined);
  }

  health(): HealthReport {
    const p = this.#p;
    const seed = p.monitor.provenance;
    return {
      state: p.monitor.state,
      reason: p.monitor.reason,
      sinceMs: p.monitor.sinceMs,
      hash: p.hash,
      predictionResistance: p.predictionResistance,
      cloneSafe: p.cloneSafe,
      forkCheck: p.forkCheck,
      policy: p.policy,
      selfTests: selfTestResults(),
      sources: p.pool.status().map(sourceReport),
      counters: {
        ...this.#counters,
        sinceSeed: {
          drbgRequests: this.#sinceSeed.drbgRequests,
          bytes: this.#sinceSeed.bytes,
          ms: p.clock.monotonicMs() - this.#sinceSeed.atMs,
        },
      },
      ...(seed ? { seed } : {}),
    };
  }

  /** Subscribes to state changes, source events or reseeds; returns the unsubscribe function. */
  on<E extends keyof RngEvents>(event: E, listener: Listener<RngEvents[E]>): () => void {
    return this.#p.monitor.on(event, listener);
  }

  /** Uninstantiate (§9.4): zero the DRBG state and the batch; every later call throws. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#batch.wipe();
    this.#drbg?.destroy();
    this.#drbg = undefined;
  }

  [Symbol.dispose](): void {
    this.destroy();
  }

  toJSON(): { state: RngState; hash: DrbgHash; predictionResistance: boolean; cloneSafe: CloneSafety; destroyed: boolean } {
    const p = this.#p;
    return {
      state: p.monitor.state,
      hash: p.hash,
      predictionResistance: p.predictionResistance,
      cloneSafe: p.cloneSafe,
      destroyed: this.#destroyed,
    };
  }

  [inspect.custom](): string {
    const p = this.#p;
    const flags = `${p.predictionResistance ? ', predictionResistance' : ''}${p.cloneSafe === 'strict' ? ", cloneSafe: 'strict'" : ''}${this.#destroyed ? ', destroyed' : ''}`;
    return `Rng { state: '${p.monitor.state}', hash: '${p.hash}'${flags} }`;
  }

  /** Checks before serving (destroyed, failed, clone); returns the monotonic time it read. */
  #ready(operation: string): number {
    if (this.#destroyed) throw new CryptoError('RNG_DESTROYED', `${operation} called on a destroyed random generator`);
    if (this.#p.monitor.state === 'failed') this.#tryRecover();
    const clock = this.#p.clock;
    const nowMs = clock.monotonicMs();
    const offsetMs = clock.wallMs() - nowMs;
    const suspected = cloneSuspected({
      forked: this.#p.fork.forked(),
      previousOffsetMs: this.#clockOffsetMs,
      offsetMs,
      clockJumpMs: this.#p.policy.clockJumpMs,
    });
    this.#clockOffsetMs = offsetMs;
    if (suspected !== undefined) this.#reseed(suspected, undefined);
    return nowMs;
  }

  #tryRecover(): void {
    const p = this.#p;
    if (p.monitor.permanentlyFailed || !this.#recovery.tryAttempt(p.clock.monotonicMs(), p.policy.readmitAfterMs)) {
      throw new RngFailedError(p.monitor.reason);
    }
    if (this.#drbg === undefined) this.#instantiate();
    else this.#reseed('recovery', undefined);
  }

  #draw(bytes: number): PoolDraw {
    this.#p.monitor.beginDraw();
    try {
      return this.#p.pool.draw(bytes);
    } catch (err) {
      this.#batch.wipe();
      const reason =
        err instanceof InsufficientEntropyError
          ? `entropy policy cannot be met: ${err.message}`
          : `pool draw failed: ${describeError(err)}`;
      this.#p.monitor.fail(reason);
      throw new RngFailedError(reason, { cause: err });
    }
  }

  #instantiate(): void {
    const draw = this.#draw(INSTANTIATE_BYTES);
    const m = draw.material;
    const perso = new Uint8Array(PERSONALIZATION_LABEL.length + 4 + 8 + 8 + 16);
    const view = new DataView(perso.buffer);
    const at = PERSONALIZATION_LABEL.length;
    perso.set(PERSONALIZATION_LABEL, 0);
    view.setUint32(at, this.#p.fork.pid() >>> 0);
    view.setBigUint64(at + 4, hrtime.bigint());
    view.setBigUint64(at + 12, ++instances);
    perso.set(m.subarray(48, 64), at + 20);
    try {
      this.#drbg = new HmacDrbg({
        hash: this.#p.hash,
        entropy: m.subarray(0, 32),
        nonce: m.subarray(32, 48),
        personalization: perso,
        reseedInterval: this.#p.policy.reseedAfterRequests,
      });
    } finally {
      m.fill(0);
      perso.fill(0);
    }
    this.#seeded(draw, 'instantiate');
  }

  #reseed(purpose: SeedPurpose, additionalInput: Uint8Array | undefined): void {
    this.#batch.wipe();
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

  #seeded(draw: PoolDraw, purpose: SeedPurpose): void {
    const clock = this.#p.clock;
    this.#sinceSeed = { drbgRequests: 0, bytes: 0, atMs: clock.monotonicMs() };
    this.#p.fork.rearm();
    this.#clockOffsetMs = clock.wallMs() - clock.monotonicMs();
    this.#p.monitor.drawSucceeded(draw, purpose, this.#p.pool.status());
  }

  /** One DRBG generate call of ≤ 65 536 bytes, reseeding first when a limit or the policy says so. */
  #drbgGenerate(bytes: number, additionalInput: Uint8Array | undefined): Uint8Array {
    const p = this.#p;
    if (p.predictionResistance) this.#reseed('prediction-resistance', additionalInput);
    else if (reseedDue(this.#sinceSeed, p.policy, p.clock.monotonicMs())) this.#reseed('interval', undefined);
    const drbg = this.#drbg;
    if (drbg === undefined) throw new RngFailedError('generator not instantiated');
    // §9.3.1 step 7.4: after a prediction-resistance reseed, the generate gets no additional input; the
    // pool draw just made carries fresh getrandom() output already.
    const input = p.predictionResistance ? undefined : freshInput(additionalInput);
    let out: Uint8Array;
    try {
      out = drbg.generate(bytes, input);
    } finally {
      input?.fill(0);
    }
    this.#sinceSeed.drbgRequests++;
    this.#sinceSeed.bytes += bytes;
    this.#counters.drbgRequests++;
    return out;
  }

  #fromBatch(length: number, nowMs: number): Uint8Array {
    if (reseedDue(this.#sinceSeed, this.#p.policy, nowMs)) this.#batch.wipe();
    return this.#batch.take(length, (size) => this.#drbgGenerate(size, undefined));
  }
}

/** 16 bytes of getrandom() ‖ the caller's additional input; the caller zeroes the result after use. */
function freshInput(additionalInput: Uint8Array | undefined): Uint8Array {
  const input = new Uint8Array(FRESH_INPUT_BYTES + (additionalInput?.length ?? 0));
  try {
    randomFillSync(input.subarray(0, FRESH_INPUT_BYTES));
  } catch (cause) {
    throw new RngFailedError('getrandom() failed for the additional input', { cause });
  }
  if (additionalInput !== undefined) input.set(additionalInput, FRESH_INPUT_BYTES);
  return input;
}

/** The test hooks (crypto/testing.ts); not exported from any production entry. */
export function rngTestHooks(): RngTestHooks {
  if (hooks === undefined) throw new CryptoError('CRYPTO_INVALID_ARGUMENT', 'Rng class not initialised');
  return hooks;
}
export { DEFAULT_RNG_POLICY, type RngPolicy, type CloneSafety } from './rng-policy.js';
