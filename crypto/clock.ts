/**
 * Time, injected so that reseed-by-time, TTLs and health timing are deterministic under test.
 */
export interface Clock {
  /** Monotonic milliseconds (never goes back): for intervals. */
  monotonicMs(): number;
  /** Wall-clock milliseconds since the Unix epoch: for timestamps shown to people. */
  wallMs(): number;
}

export const systemClock: Clock = {
  monotonicMs: () => performance.now(),
  wallMs: () => Date.now(),
};
