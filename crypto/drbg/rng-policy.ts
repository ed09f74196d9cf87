/**
 * The Rng's policy (SP 800-90A §9: what the mechanism leaves to its user) and the decisions taken from
 * it, as pure functions so that each is tested by a truth table (tests/unit/drbg/rng/policy.test.ts):
 *
 * - `reseedDue`: a DRBG generate call, output-byte or age limit was reached (§9.3.1 reseed_interval is
 *   the mechanism's hard limit; these are tighter by policy).
 * - `servedFromBatch`: whether a request may come from the block generated ahead.
 * - `cloneSuspected`: the process was forked (its wipe-on-fork page was zeroed, or the pid changed) or
 *   restored from a snapshot (the gap between wall clock and monotonic clock jumped) since the last request.
 */
import { assert } from '../assert.js';
import { CryptoError } from '../errors.js';
import { DEFAULT_POOL_POLICY, type PoolPolicy } from '../entropy/pool.js';
import { MAX_DRBG_REQUEST_BYTES } from './chunked.js';

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
  /**
   * A change of more than this many milliseconds in (wall clock − monotonic clock) between two requests
   * is taken as a snapshot restore (VM, CRIU): reseed and wipe the block before serving. NTP slews are
   * far below it; an NTP step above it costs one harmless reseed.
   */
  readonly clockJumpMs: number;
}

/** SP 800-90A §10.1.2.3 and §8.6.7: a 256-bit entropy input and a 128-bit nonce from one draw. */
export const MIN_INSTANTIATE_BITS = 384;

export const DEFAULT_RNG_POLICY: RngPolicy = Object.freeze({
  ...DEFAULT_POOL_POLICY,
  reseedAfterRequests: 2 ** 16,
  reseedAfterBytes: 2 ** 30,
  reseedAfterMs: 5 * 60_000,
  batchBytes: 4096,
  batchMaxRequest: 256,
  clockJumpMs: 1000,
});

/**
 * `standard`: small requests come from a 4 KiB block generated ahead (fast; a clone whose restore is not
 * detected may serve the rest of the block its parent had, at most `batchBytes`). `strict`: no block —
 * every request is its own DRBG generate call with fresh getrandom() bytes in its additional input.
 */
export type CloneSafety = 'standard' | 'strict';

/** Throws CRYPTO_INVALID_ARGUMENT naming the first field out of range. */
export function checkRngPolicy(p: RngPolicy): void {
  // One draw instantiates, so the claim per draw cannot be below 384 here (the pool alone allows 256).
  assert.integer(p.minCreditedBits, 'policy.minCreditedBits (256-bit entropy input + 128-bit nonce)', {
    min: MIN_INSTANTIATE_BITS,
    max: 448,
  });
  assert.integer(p.reseedAfterRequests, 'policy.reseedAfterRequests', { min: 1, max: 2 ** 48 });
  assert.integer(p.reseedAfterBytes, 'policy.reseedAfterBytes', { min: 1 });
  if (!(p.reseedAfterMs > 0))
    throw new CryptoError('CRYPTO_INVALID_ARGUMENT', `policy.reseedAfterMs must be > 0, got ${String(p.reseedAfterMs)}`);
  assert.integer(p.batchBytes, 'policy.batchBytes', { min: 0, max: MAX_DRBG_REQUEST_BYTES });
  assert.integer(p.batchMaxRequest, 'policy.batchMaxRequest', { min: 0, max: p.batchBytes });
  assert.number(p.clockJumpMs, 'policy.clockJumpMs', { min: 1 });
}

export interface SinceSeed {
  readonly drbgRequests: number;
  readonly bytes: number;
  /** Monotonic time of the (re)seed. */
  readonly atMs: number;
}

export function reseedDue(
  since: SinceSeed,
  policy: Pick<RngPolicy, 'reseedAfterRequests' | 'reseedAfterBytes' | 'reseedAfterMs'>,
  nowMs: number,
): boolean {
  return (
    since.drbgRequests >= policy.reseedAfterRequests || since.bytes >= policy.reseedAfterBytes || nowMs - since.atMs >= policy.reseedAfterMs
  );
}

export interface BatchQuestion {
  readonly length: number;
  readonly hasAdditionalInput: boolean;
  readonly predictionResistance: boolean;
  readonly cloneSafe: CloneSafety;
  readonly batchBytes: number;
  readonly batchMaxRequest: number;
}

/** Only small, plain requests of a non-strict, non-prediction-resistant generator come from the block. */
export function servedFromBatch(q: BatchQuestion): boolean {
  return (
    q.cloneSafe === 'standard' && !q.predictionResistance && !q.hasAdditionalInput && q.batchBytes > 0 && q.length <= q.batchMaxRequest
  );
}

export interface CloneObservation {
  /** The fork detector's answer (crypto/native/pid.ts). */
  readonly forked: boolean;
  /** wall − monotonic at the previous request. */
  readonly previousOffsetMs: number;
  /** wall − monotonic now. */
  readonly offsetMs: number;
  readonly clockJumpMs: number;
}

/** 'fork' when forked, 'clock-jump' when the clocks' gap jumped, otherwise undefined. */
export function cloneSuspected(o: CloneObservation): 'fork' | 'clock-jump' | undefined {
  if (o.forked) return 'fork';
  if (Math.abs(o.offsetMs - o.previousOffsetMs) > o.clockJumpMs) return 'clock-jump';
  return undefined;
}
