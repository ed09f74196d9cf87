/**
 * The Rng's decisions as pure functions (crypto/drbg/rng-policy.ts), each checked against its truth table.
 */
import { describe, expect, it } from 'vitest';
import {
  checkRngPolicy,
  cloneSuspected,
  DEFAULT_RNG_POLICY,
  reseedDue,
  servedFromBatch,
  type CloneSafety,
} from '../../../../crypto/drbg/rng-policy.js';

describe('servedFromBatch', () => {
  it('only small plain requests of a standard, non-prediction-resistant generator with a block', () => {
    const base = {
      length: 32,
      hasAdditionalInput: false,
      predictionResistance: false,
      cloneSafe: 'standard' as CloneSafety,
      batchBytes: 4096,
      batchMaxRequest: 256,
    };
    const rows: [Partial<typeof base>, boolean][] = [
      [{}, true],
      [{ length: 256 }, true],
      [{ length: 257 }, false],
      [{ hasAdditionalInput: true }, false],
      [{ predictionResistance: true }, false],
      [{ cloneSafe: 'strict' }, false],
      [{ batchBytes: 0, batchMaxRequest: 0 }, false],
    ];
    for (const [change, expected] of rows) expect([change, servedFromBatch({ ...base, ...change })]).toEqual([change, expected]);
  });
});

describe('cloneSuspected', () => {
  it('fork on a pid change, clock-jump on a gap change beyond the tolerance, else nothing', () => {
    const base = { forked: false, previousOffsetMs: 1000, offsetMs: 1000, clockJumpMs: 1000 };
    const rows: [Partial<typeof base>, 'fork' | 'clock-jump' | undefined][] = [
      [{}, undefined],
      [{ offsetMs: 1999 }, undefined],
      [{ offsetMs: 2001 }, 'clock-jump'],
      [{ offsetMs: -1 }, 'clock-jump'],
      [{ forked: true }, 'fork'],
      [{ forked: true, offsetMs: 9e9 }, 'fork'],
    ];
    for (const [change, expected] of rows) expect([change, cloneSuspected({ ...base, ...change })]).toEqual([change, expected]);
  });
});

describe('reseedDue', () => {
  it('at any of the three limits', () => {
    const policy = { reseedAfterRequests: 10, reseedAfterBytes: 1000, reseedAfterMs: 60_000 };
    const rows: [{ drbgRequests: number; bytes: number; atMs: number }, number, boolean][] = [
      [{ drbgRequests: 9, bytes: 999, atMs: 0 }, 59_999, false],
      [{ drbgRequests: 10, bytes: 0, atMs: 0 }, 0, true],
      [{ drbgRequests: 0, bytes: 1000, atMs: 0 }, 0, true],
      [{ drbgRequests: 0, bytes: 0, atMs: 0 }, 60_000, true],
    ];
    for (const [since, now, expected] of rows) expect([since, now, reseedDue(since, policy, now)]).toEqual([since, now, expected]);
  });
});

describe('checkRngPolicy', () => {
  it('accepts the default and names the field it refuses', () => {
    expect(() => checkRngPolicy(DEFAULT_RNG_POLICY)).not.toThrow();
    for (const [field, value] of [
      ['clockJumpMs', 0],
      ['batchMaxRequest', 5000],
      ['reseedAfterMs', 0],
      ['reseedAfterRequests', 2 ** 49],
    ] as const) {
      expect(() => checkRngPolicy({ ...DEFAULT_RNG_POLICY, [field]: value })).toThrow(
        expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT', message: expect.stringContaining(field) }),
      );
    }
  });
});
