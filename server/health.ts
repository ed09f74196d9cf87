/**
 * What /health answers, and whether bytes may be served, as pure functions of the generator state
 * (truth-tabled in tests/unit/server/health.test.ts). /health is 200 only when the Rng is healthy: a
 * degraded Rng (a source lost, the seeding policy still met) still serves bytes but reports 503 so that a
 * load balancer prefers a healthy peer; a failed Rng serves nothing — every byte endpoint answers 503 with
 * Retry-After, never weaker bytes.
 */
import type { RngState } from '../crypto/index.js';

export interface HealthDecision {
  readonly status: 200 | 503;
  readonly retryAfterS?: number;
}

export const RETRY_AFTER_DEGRADED_S = 30;
export const RETRY_AFTER_FAILED_S = 60;

export function healthDecision(state: RngState): HealthDecision {
  switch (state) {
    case 'healthy':
      return { status: 200 };
    case 'degraded':
      return { status: 503, retryAfterS: RETRY_AFTER_DEGRADED_S };
    case 'failed':
      return { status: 503, retryAfterS: RETRY_AFTER_FAILED_S };
  }
}

/** Whether a byte endpoint may try the generator at all (the Rng itself still refuses when it cannot). */
export function mayServe(state: RngState): boolean {
  return state !== 'failed';
}
