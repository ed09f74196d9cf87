/**
 * Freshness of signed agent messages, as a pure decision: the timestamp within ±windowMs of the
 * aggregator's clock, the nonce not seen within the window (nonces older than the window are forgotten —
 * the timestamp rule already refuses them), sequence numbers strictly increasing per agent, and a token
 * bucket on contributions. The caller keeps the returned state only when the verdict is ok.
 */
import type { QuorumErrorCode } from './errors.js';

export interface FreshnessPolicy {
  readonly windowMs: number;
  /** Contributions per second allowed on average, and the burst above it. */
  readonly ratePerSecond: number;
  readonly burst: number;
}

export const DEFAULT_FRESHNESS_POLICY: FreshnessPolicy = Object.freeze({ windowMs: 30_000, ratePerSecond: 5, burst: 10 });

export interface FreshnessState {
  readonly lastSeq: number;
  /** [nonce, time] of messages accepted within the window. */
  readonly nonces: readonly (readonly [string, number])[];
  readonly tokens: number;
  readonly refilledAt: number;
}

export const INITIAL_FRESHNESS: FreshnessState = Object.freeze({ lastSeq: 0, nonces: [], tokens: -1, refilledAt: 0 });

export interface FreshnessInput {
  readonly time: number;
  readonly nonce: string;
  /** Sequenced messages (contribution, status) carry one; replies to requests do not. */
  readonly seq?: number;
  /** Whether the message spends a rate-limit token (contributions). */
  readonly rated: boolean;
}

export type FreshnessVerdict =
  | { readonly ok: true; readonly next: FreshnessState }
  | {
      readonly ok: false;
      readonly code: Extract<QuorumErrorCode, 'QUORUM_STALE' | 'QUORUM_REPLAY' | 'QUORUM_RATE_LIMITED'>;
      readonly reason: string;
    };

export function judgeFreshness(
  state: FreshnessState,
  msg: FreshnessInput,
  now: number,
  policy: FreshnessPolicy = DEFAULT_FRESHNESS_POLICY,
): FreshnessVerdict {
  const skew = msg.time - now;
  if (Math.abs(skew) > policy.windowMs) {
    return {
      ok: false,
      code: 'QUORUM_STALE',
      reason: `timestamp ${skew > 0 ? 'ahead of' : 'behind'} the aggregator's clock by ${Math.abs(skew)} ms (window ${policy.windowMs} ms)`,
    };
  }
  const nonces = state.nonces.filter(([, t]) => now - t <= policy.windowMs);
  if (nonces.some(([n]) => n === msg.nonce)) return { ok: false, code: 'QUORUM_REPLAY', reason: 'nonce already seen within the window' };
  if (msg.seq !== undefined && msg.seq <= state.lastSeq) {
    return { ok: false, code: 'QUORUM_REPLAY', reason: `sequence number ${msg.seq} not above the last accepted ${state.lastSeq}` };
  }
  let tokens =
    state.tokens < 0 ? policy.burst : Math.min(policy.burst, state.tokens + ((now - state.refilledAt) / 1000) * policy.ratePerSecond);
  if (msg.rated) {
    if (tokens < 1)
      return { ok: false, code: 'QUORUM_RATE_LIMITED', reason: `more than ${policy.ratePerSecond}/s (burst ${policy.burst})` };
    tokens -= 1;
  }
  return {
    ok: true,
    next: { lastSeq: msg.seq ?? state.lastSeq, nonces: [...nonces, [msg.nonce, msg.time] as const], tokens, refilledAt: now },
  };
}
