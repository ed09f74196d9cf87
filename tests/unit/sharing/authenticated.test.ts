/**
 * Authenticated shares: a corrupted, truncated, foreign, repeated or too-few share set is a typed error
 * naming the share — never a wrong secret. Mutation: every single byte of a share flipped is caught.
 */
import { describe, expect, it } from 'vitest';
import { ShareInvalidError } from '../../../crypto/sharing/errors.js';
import { combineShares, inspectShare, splitSecret, verifyShareSet } from '../../../crypto/sharing/authenticated.js';
import { thrown } from '../../helpers/thrown.js';
import { testRng } from './helpers.js';

const secret = Uint8Array.from({ length: 32 }, (_, i) => i + 1);

describe('authenticated shares', () => {
  const rng = testRng('auth');
  const shares = splitSecret(secret, { threshold: 3, shares: 5 }, rng);

  it('describe themselves: version, k, n, x, set id, length; the layout is 58 + L + 33n bytes', () => {
    const info = inspectShare(shares[0]!);
    expect(info).toMatchObject({ version: 1, threshold: 3, shares: 5, secretLength: 32 });
    expect(info.setId).toMatch(/^[0-9a-f]{32}$/);
    expect(shares.map((s) => inspectShare(s).setId)).toEqual(Array(5).fill(info.setId));
    expect(shares[0]!.length).toBe(58 + 32 + 33 * 5);
    expect(Buffer.from(shares[0]!.subarray(0, 4)).toString()).toBe('HRSS');
  });

  it('any 3 of 5 recover the secret, in any order; more than k is fine', () => {
    expect(Array.from(combineShares([shares[4]!, shares[1]!, shares[2]!]))).toEqual(Array.from(secret));
    expect(Array.from(combineShares(shares))).toEqual(Array.from(secret));
    expect(Array.from(combineShares(shares.slice(2), { setId: inspectShare(shares[2]!).setId }))).toEqual(Array.from(secret));
  });

  it('fewer than k is SHARE_TOO_FEW', () => {
    const e = thrown(() => combineShares(shares.slice(0, 2)));
    expect([e.code, e.message]).toEqual(['SHARE_TOO_FEW', '2 shares given; this set needs at least 3']);
  });

  it('every single-bit flip in any byte of a share is SHARE_INVALID naming that share', () => {
    const victim = shares[1]!;
    const missed: number[] = [];
    for (let i = 0; i < victim.length; i++) {
      const bad = victim.slice();
      bad[i] = bad[i]! ^ (1 << (i % 8));
      try {
        combineShares([shares[0]!, bad, shares[2]!]);
        missed.push(i);
      } catch (e) {
        if (!(e instanceof ShareInvalidError) || e.shares.join() !== '1') missed.push(i);
      }
    }
    expect(missed).toEqual([]);
  });

  it('a corrupted y names the share and its x', () => {
    const bad = shares[2]!.slice();
    bad[58] = bad[58]! ^ 1;
    const e = thrown(() => combineShares([shares[0]!, shares[1]!, bad]));
    expect(e.code).toBe('SHARE_INVALID');
    expect(e.message).toBe(`share #2 rejected: x = ${inspectShare(shares[2]!).x}: its value does not match its commitment (corrupted)`);
  });

  it('a share of another set is foreign: named, never combined into a wrong secret', () => {
    const other = splitSecret(secret, { threshold: 3, shares: 5 }, rng);
    const e = thrown(() => combineShares([shares[0]!, shares[1]!, other[2]!]));
    expect(e.code).toBe('SHARE_INVALID');
    expect((e as ShareInvalidError).shares).toEqual([2]);
    const tie = thrown(() => combineShares([shares[0]!, other[1]!]));
    expect((tie as ShareInvalidError).shares).toEqual([0, 1]);
    const pinned = thrown(() => combineShares(other.slice(0, 3), { setId: inspectShare(shares[0]!).setId }));
    expect((pinned as ShareInvalidError).shares).toEqual([0, 1, 2]);
  });

  it('the same share twice is SHARE_INVALID, not a second point', () => {
    const e = thrown(() => combineShares([shares[0]!, shares[1]!, shares[0]!]));
    expect(e.message).toBe(`share #2 rejected: repeats x = ${inspectShare(shares[0]!).x} of share #0`);
  });

  it('truncated, extended, wrong magic or version, not bytes', () => {
    expect(thrown(() => verifyShareSet([shares[0]!.subarray(0, 100)])).message).toMatch(/^share #0 rejected: length 100, expected 255/);
    expect(thrown(() => verifyShareSet([Uint8Array.of(...shares[0]!, 0)])).message).toMatch(/length 256, expected 255/);
    const v3 = shares[0]!.slice();
    v3[4] = 3;
    expect(thrown(() => verifyShareSet([v3])).message).toBe('share #0 rejected: unsupported format version 3');
    expect(thrown(() => verifyShareSet(['x' as unknown as Uint8Array])).message).toBe('share #0 rejected: not a Uint8Array');
    expect(thrown(() => verifyShareSet([new Uint8Array(10)])).message).toBe('share #0 rejected: too short (10 bytes)');
  });

  it('a 1-byte secret and a 255-of-255 set', () => {
    const one = splitSecret(Uint8Array.of(0x5a), { threshold: 2, shares: 2 }, rng);
    expect(Array.from(combineShares(one))).toEqual([0x5a]);
    const all = splitSecret(secret, { threshold: 255, shares: 255 }, rng);
    expect(Array.from(combineShares(all))).toEqual(Array.from(secret));
    expect(thrown(() => combineShares(all.slice(1))).code).toBe('SHARE_TOO_FEW');
  });

  it('error messages never carry share or secret bytes', () => {
    const bad = shares[0]!.slice();
    bad[60] = bad[60]! ^ 0xff;
    const e = thrown(() => combineShares([bad, shares[1]!, shares[2]!]));
    const hex = Buffer.from(shares[0]!.subarray(58, 90)).toString('hex');
    expect(e.message.includes(hex.slice(0, 8))).toBe(false);
    expect(JSON.stringify(e)).not.toContain(hex.slice(0, 8));
  });
});
