/**
 * The `X-Hrng-Provenance` response header: the seed's draw counter, purpose and time, the credited bits
 * each contributing source gave, and the generator state — nothing secret. It changes only when the Rng
 * reseeds or changes state, so it is built once per (seed, state) rather than per request:
 * `Rng.health()` assembles a full report (sources, self-tests, counters) and was the largest cost of
 * the request path after the DRBG itself (docs/performance.md, "Entropy server").
 */
import type { Rng, RngState } from '../crypto/index.js';

export interface ProvenanceCache {
  /** The header value for the generator as it is now. */
  header(): string;
  /** Stops listening to the Rng. */
  close(): void;
}

export function provenanceHeader(rng: Rng): string {
  const h = rng.health();
  const seed = h.seed;
  const sources = seed ? seed.contributions.map((c) => `${c.id}:${c.creditedBits}`).join(',') : '';
  return seed
    ? `draw=${seed.drawCounter}; purpose=${seed.purpose}; at=${new Date(seed.atMs).toISOString()}; claimed=${seed.claimedBits}; sources=${sources}; state=${h.state}`
    : `state=${h.state}`;
}

/**
 * Rebuilt after every reseed (the 'reseed' event) and whenever the state read at request time differs
 * from the one the cached value was built for — so a state change is never missed, even one whose
 * event has not been delivered yet.
 */
export function provenanceCache(rng: Rng): ProvenanceCache {
  let value: string | undefined;
  let builtFor: RngState | undefined;
  const off = rng.on('reseed', () => {
    value = undefined;
  });
  return {
    header: () => {
      const state = rng.state;
      if (value === undefined || builtFor !== state) {
        value = provenanceHeader(rng);
        builtFor = state;
      }
      return value;
    },
    close: off,
  };
}
