/**
 * The liveness check's stated bound, as a truth table: every honest slot must commit a new height in
 * (stableMs, stableMs + livenessBoundMs(f, timeout, δ)], where stableMs = max(end of the fault phase, GST,
 * last heal, last restart) and f = ⌊(n − 1)/3⌋. A commit one millisecond after the bound fails the check.
 * (The mutant `uncapped-backoff`, killed in mutations.test.ts, is the end-to-end case: it commits, late.)
 */
import { describe, expect, it } from 'vitest';
import { checkLiveness, livenessBoundMs, progressAfter } from '../../../consensus/checks/liveness.js';
import type { CommitRecord } from '../../../consensus/checks/ledger.js';

const commit = (slot: number, height: number, timeMs: number): CommitRecord => ({
  slot,
  identity: slot,
  height,
  block: `b${height}`,
  timeMs,
  txs: [],
});

describe('liveness bound', () => {
  it('is (f + 4) · 8 · timeout + 10 δ', () => {
    expect(livenessBoundMs(1, 100, 20)).toBe(4200);
    expect(livenessBoundMs(2, 60, 40)).toBe(3280);
    expect(livenessBoundMs(3, 150, 40)).toBe(8800);
  });

  const stableMs = 2000;
  const boundMs = livenessBoundMs(1, 100, 20);
  it.each([
    ['at the bound', stableMs + boundMs, true],
    ['just inside', stableMs + 1, true],
    ['one ms after the bound', stableMs + boundMs + 1, false],
    ['at stabilisation (not after it)', stableMs, false],
  ] as const)('a commit %s: pass = %s', (_, at, pass) => {
    const commits = [commit(0, 3, 1000), commit(0, 4, at), commit(1, 4, stableMs + 10)];
    const v = checkLiveness({ commits, slots: [0, 1], stableMs, boundMs });
    expect(v.length === 0).toBe(pass);
    if (!pass) expect(v[0]).toMatchObject({ check: 'liveness', message: expect.stringContaining('slots 0 ') });
  });

  it('counts only new heights, not re-commits of old ones', () => {
    const commits = [commit(0, 5, 1000), commit(0, 5, stableMs + 10), commit(0, 6, stableMs + 20)];
    expect(progressAfter(commits, stableMs)).toEqual(new Map([[0, stableMs + 20]]));
    expect(checkLiveness({ commits: commits.slice(0, 2), slots: [0], stableMs, boundMs })).toHaveLength(1);
  });
});
