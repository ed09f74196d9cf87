/**
 * `hardened-rng/testing`: generators and hooks for simulations and tests — never for production keys.
 *
 * - `DeterministicRng`: a reproducible stream from a seed, marked `deterministic: true`, with
 *   `snapshot()`/`restore()` so a simulation can checkpoint and replay a node's generator.
 * - `snapshotRng` / `restoreRng`: serialize a live `Rng`'s DRBG state and bring it back as a new `Rng`
 *   without a pool draw — what a VM snapshot or a CRIU restore does to a process. The clone-safety tests
 *   restore one state twice and check that the two clones' outputs differ. The state is the generator's
 *   secret; these exist to test the clone defences, not to persist a generator.
 * - `rngBatchForTesting`: the live block and read position, to show slices are zeroed as they leave.
 */
import type { Rng, RngOptions } from './drbg/rng.js';
import { rngTestHooks } from './drbg/rng.js';

export { DeterministicRng } from './drbg/deterministic.js';
export type { DeterministicRngOptions } from './drbg/deterministic.js';
export type { RandomSource } from './drbg/random-source.js';

/** The DRBG state of `rng` (K, V, counters; the batch is not part of it). Secret. */
export function snapshotRng(rng: Rng): Uint8Array {
  return rngTestHooks().exportState(rng);
}

/**
 * A new `Rng` continuing from `state`, with `options`' sources, clock and policy; start-up tests run, no
 * pool draw is made (a restored process does not know it was restored).
 */
export function restoreRng(state: Uint8Array, options: RngOptions = {}): Promise<Rng> {
  return rngTestHooks().restore(state, options);
}

export function rngBatchForTesting(rng: Rng): { readonly batch: Uint8Array; readonly position: number } {
  return rngTestHooks().batch(rng);
}
