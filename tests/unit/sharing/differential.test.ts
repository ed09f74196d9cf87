/**
 * Differential test against `shamir-secret-sharing` (dev-only oracle; HashiCorp Vault's layout: the y
 * bytes then x as the last byte; the same field, 0x11b): its shares combine in ours, and ours in it.
 */
import { split as oracleSplit, combine as oracleCombine } from 'shamir-secret-sharing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combineRaw, splitRaw, type RawShare } from '../../../crypto/sharing/shamir.js';
import { testRng } from './helpers.js';

const toOracle = (s: RawShare): Uint8Array => Uint8Array.of(...s.y, s.x);
const fromOracle = (b: Uint8Array): RawShare => ({ x: b[b.length - 1]!, y: b.subarray(0, b.length - 1) });

const cases = fc.record({
  secret: fc.uint8Array({ minLength: 1, maxLength: 64 }),
  k: fc.integer({ min: 2, max: 12 }),
  extra: fc.integer({ min: 0, max: 6 }),
  pick: fc.integer({ min: 0, max: 1000 }),
});

describe('differential: shamir-secret-sharing', () => {
  it('secrets it splits combine in ours (any k of its n shares)', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async ({ secret, k, extra, pick }) => {
        const shares = await oracleSplit(secret, k + extra, k);
        const start = pick % (extra + 1);
        const got = combineRaw(shares.slice(start, start + k).map(fromOracle));
        expect(Buffer.from(got).toString('hex')).toBe(Buffer.from(secret).toString('hex'));
      }),
      { numRuns: 60, seed: 13 },
    );
  });

  it('secrets we split combine in it', async () => {
    const rng = testRng('differential');
    await fc.assert(
      fc.asyncProperty(cases, async ({ secret, k, extra, pick }) => {
        const shares = splitRaw(secret, k, k + extra, rng);
        const start = pick % (extra + 1);
        const got = await oracleCombine(shares.slice(start, start + k).map(toOracle));
        expect(Buffer.from(got).toString('hex')).toBe(Buffer.from(secret).toString('hex'));
      }),
      { numRuns: 60, seed: 14 },
    );
  });

  it('at 128-of-255 both ways', async () => {
    const secret = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    const theirs = await oracleSplit(secret, 255, 128);
    expect(Array.from(combineRaw(theirs.slice(100, 228).map(fromOracle)))).toEqual(Array.from(secret));
    const ours = splitRaw(secret, 128, 255, testRng('128'));
    expect(Array.from(await oracleCombine(ours.slice(0, 128).map(toOracle)))).toEqual(Array.from(secret));
  });
});
