/**
 * Freshness as a truth table: timestamps within the window, nonces once, sequence numbers increasing, the
 * contribution rate limit; a refused message leaves the state as it was.
 */
import { describe, expect, it } from 'vitest';
import { INITIAL_FRESHNESS, judgeFreshness, type FreshnessState } from '../../../quorum/freshness.js';

const P = { windowMs: 30_000, ratePerSecond: 2, burst: 3 };
const NOW = 10_000_000;
const N = (i: number): string => i.toString(16).padStart(32, '0');

function accept(state: FreshnessState, input: Parameters<typeof judgeFreshness>[1], now = NOW): FreshnessState {
  const v = judgeFreshness(state, input, now, P);
  if (!v.ok) throw new Error(v.reason);
  return v.next;
}

describe('judgeFreshness', () => {
  const table: [string, number, string | undefined][] = [
    ['now', NOW, undefined],
    ['30 s behind', NOW - 30_000, undefined],
    ['30.001 s behind', NOW - 30_001, 'QUORUM_STALE'],
    ['30 s ahead', NOW + 30_000, undefined],
    ['30.001 s ahead', NOW + 30_001, 'QUORUM_STALE'],
  ];
  for (const [name, time, want] of table) {
    it(`timestamp ${name} → ${want ?? 'ok'}`, () => {
      const v = judgeFreshness(INITIAL_FRESHNESS, { time, nonce: N(1), rated: false }, NOW, P);
      expect(v.ok ? undefined : v.code).toBe(want);
    });
  }

  it('a nonce is accepted once within the window, and forgotten after it', () => {
    const s = accept(INITIAL_FRESHNESS, { time: NOW, nonce: N(1), rated: false });
    const again = judgeFreshness(s, { time: NOW + 5, nonce: N(1), rated: false }, NOW + 5, P);
    expect(again).toEqual({ ok: false, code: 'QUORUM_REPLAY', reason: 'nonce already seen within the window' });
    expect(judgeFreshness(s, { time: NOW + 30_001, nonce: N(1), rated: false }, NOW + 30_001, P).ok).toBe(true);
  });

  it('sequence numbers must increase; replies without one are not sequenced', () => {
    const s = accept(INITIAL_FRESHNESS, { time: NOW, nonce: N(1), seq: 5, rated: false });
    expect(judgeFreshness(s, { time: NOW, nonce: N(2), seq: 5, rated: false }, NOW, P)).toMatchObject({
      ok: false,
      code: 'QUORUM_REPLAY',
      reason: 'sequence number 5 not above the last accepted 5',
    });
    expect(judgeFreshness(s, { time: NOW, nonce: N(2), seq: 4, rated: false }, NOW, P)).toMatchObject({ ok: false, code: 'QUORUM_REPLAY' });
    expect(judgeFreshness(s, { time: NOW, nonce: N(2), seq: 9, rated: false }, NOW, P).ok).toBe(true);
    expect(judgeFreshness(s, { time: NOW, nonce: N(2), rated: false }, NOW, P)).toMatchObject({ ok: true, next: { lastSeq: 5 } });
  });

  it('rate limit: a burst of 3, then 2 per second', () => {
    let s = INITIAL_FRESHNESS;
    for (let i = 1; i <= 3; i++) s = accept(s, { time: NOW, nonce: N(i), seq: i, rated: true });
    expect(judgeFreshness(s, { time: NOW, nonce: N(4), seq: 4, rated: true }, NOW, P)).toMatchObject({
      ok: false,
      code: 'QUORUM_RATE_LIMITED',
    });
    // Status reports are not rated.
    expect(judgeFreshness(s, { time: NOW, nonce: N(4), seq: 4, rated: false }, NOW, P).ok).toBe(true);
    // Half a second later one token has come back.
    s = accept(s, { time: NOW + 500, nonce: N(5), seq: 5, rated: true }, NOW + 500);
    expect(judgeFreshness(s, { time: NOW + 500, nonce: N(6), seq: 6, rated: true }, NOW + 500, P).ok).toBe(false);
  });
});
