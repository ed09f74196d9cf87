/**
 * Format v2 (crypto/sharing/authenticated.ts): properties (any k of n reconstruct; the uniformity of k − 1
 * shares is in tests/property/sharing.test.ts), then adversarial cases — a bit flipped anywhere in any share
 * is SHARE_INVALID naming that share, a set whose check values were all swapped is refused, an
 * inconsistent dealer is named as such — and the mutation that proves the check comparison is what
 * refuses a wrong interpolation. Budget: about 2 s.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkValue, combineShares, inspectShare, sealShares, splitSecret, verifyShareSet } from '../../../crypto/sharing/authenticated.js';
import { ShareInvalidError } from '../../../crypto/sharing/errors.js';
import { interpolateAtZero, splitRaw } from '../../../crypto/sharing/shamir.js';
import { thrown } from '../../helpers/thrown.js';
import { bufferedTestRng, testRng } from './helpers.js';

const secret = Uint8Array.from({ length: 32 }, (_, i) => (i * 11 + 3) & 0xff);
const v2 = { version: 2 } as const;

/** The indices of a ShareInvalidError, or the outcome as a string when it is anything else. */
function rejected(fn: () => Uint8Array): readonly number[] | string {
  try {
    return `combined to ${Buffer.from(fn()).toString('hex')}`;
  } catch (e) {
    return e instanceof ShareInvalidError ? e.shares : String(e);
  }
}

/** Raw shares of s ‖ r and the check value, as splitSecret makes them (for sets built by hand). */
function rawSet(s: Uint8Array, k: number, n: number, seed: string) {
  const rng = testRng(seed);
  const sr = Uint8Array.of(...s, ...rng.randomBytes(32));
  return { raw: splitRaw(sr, k, n, rng), check: checkValue(sr), rng };
}

describe('format v2: properties', () => {
  it('any k of n reconstruct, in any order, with or without the expected set id', () => {
    const rng = bufferedTestRng('v2-any-k');
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 48 }),
        fc.integer({ min: 2, max: 7 }),
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
        (s, k, extra, order) => {
          const shares = splitSecret(s, { threshold: k, shares: k + extra, version: 2 }, rng);
          // A pseudo-random subset of k (or more) in a pseudo-random order.
          const idx = shares.map((_, i) => i).sort((a, b) => (order[a] ?? 0) - (order[b] ?? 0) || a - b);
          const pick = idx.slice(0, k + ((order[0] ?? 0) % (extra + 1))).map((i) => shares[i] as Uint8Array);
          expect(Array.from(combineShares(pick))).toEqual(Array.from(s));
          expect(Array.from(combineShares(pick, { setId: inspectShare(shares[0] as Uint8Array).setId }))).toEqual(Array.from(s));
          expect(thrown(() => combineShares(pick.slice(0, k - 1))).code).toBe('SHARE_TOO_FEW');
        },
      ),
      { numRuns: 80 },
    );
  });
  // k − 1 v2 shares are uniformly distributed: tests/property/sharing.test.ts (with the raw layer's test).
});

describe('format v2: adversarial', () => {
  const rng = testRng('v2-adversarial');
  const shares = splitSecret(secret, { threshold: 3, shares: 5, version: 2 }, rng);
  const setId = inspectShare(shares[0] as Uint8Array).setId;

  it('every single-bit flip in any byte of a share of 3 is SHARE_INVALID naming exactly that share', () => {
    const victim = shares[1] as Uint8Array;
    const missed: string[] = [];
    for (let i = 0; i < victim.length; i++) {
      const bad = victim.slice();
      bad[i] = (bad[i] as number) ^ (1 << (i % 8));
      const got = rejected(() => combineShares([shares[0] as Uint8Array, bad, shares[2] as Uint8Array]));
      if (typeof got === 'string' || got.join() !== '1') missed.push(`${i}: ${String(got)}`);
    }
    expect(missed).toEqual([]);
  });

  it('a bit flipped anywhere in any presented share (k or more, in any order) names that share, never a wrong secret', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 5 }),
        fc.integer({ min: 0, max: 4 }),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        fc.boolean(),
        (count, victim, position, bit, pinned) => {
          const given = shares.slice(0, count).map((s) => s.slice());
          const v = victim % count;
          const bad = given[v] as Uint8Array;
          const at = position % bad.length;
          bad[at] = (bad[at] as number) ^ (1 << bit);
          const got = rejected(() => combineShares(given, pinned ? { setId } : {}));
          expect(got, `byte ${at} bit ${bit} of share ${v} of ${count}`).toEqual([v]);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a consistent forgery: the check value replaced in every share is refused, with or without the set id', () => {
    const forged = shares.slice(0, 3).map((s) => {
      const f = s.slice();
      f[26] = (f[26] as number) ^ 0x80;
      return f;
    });
    // The set id no longer matches the (replaced) check: each share fails on its own, and (as in v1) the
    // first that fails is named, with why.
    for (const options of [{ setId }, {}]) {
      const e = thrown(() => combineShares(forged, options));
      expect([e.code, (e as ShareInvalidError).shares]).toEqual(['SHARE_INVALID', [0]]);
      expect(e.message).toMatch(/its set id does not match its commitment list$/);
    }
    // Re-sealed so that even the set id is consistent: foreign to the expected set, and without an
    // expected set the commitments verify but the check does not — the dealer error, never a secret.
    const { raw, check } = rawSet(secret, 3, 5, 'v2-forge');
    const other = check.slice();
    other[0] = (other[0] as number) ^ 1;
    const resealed = sealShares(raw, 3, rng, { version: 2, check: other });
    expect(rejected(() => combineShares(resealed.slice(0, 3), { setId }))).toEqual([0, 1, 2]);
    const e = thrown(() => combineShares(resealed.slice(1, 4)));
    expect([e.code, (e as ShareInvalidError).shares]).toEqual(['SHARE_INVALID', [0, 1, 2]]);
    expect(e.message).toMatch(/inconsistent set \(faulty dealer\)$/);
  });

  it('mutation: a y off the polynomial with its commitment recomputed passes every per-share check; only the check value refuses it', () => {
    const { raw, check } = rawSet(secret, 3, 5, 'v2-dealer');
    const y = (raw[2] as { y: Uint8Array }).y;
    y[5] = (y[5] as number) ^ 0x40;
    const set = sealShares(raw, 3, rng, { version: 2, check });
    // Every share verifies on its own (commitment, set id), and interpolating through the bad one gives a
    // wrong secret: what refuses it below is the check comparison, nothing else.
    const chosen = [set[0] as Uint8Array, set[2] as Uint8Array, set[4] as Uint8Array];
    const { raw: views } = verifyShareSet(chosen);
    const wrong = interpolateAtZero(views);
    expect(Buffer.from(wrong.subarray(0, 32)).equals(secret)).toBe(false);
    const e = thrown(() => combineShares(chosen));
    expect([e.code, (e as ShareInvalidError).shares]).toEqual(['SHARE_INVALID', [0, 1, 2]]);
    expect(e.message).toBe(
      'shares #0, #1, #2 rejected: every share matches its commitment but they do not interpolate to the set check value: an inconsistent set (faulty dealer)',
    );
    // k shares that do lie on the polynomial still combine.
    expect(Array.from(combineShares([set[0] as Uint8Array, set[1] as Uint8Array, set[3] as Uint8Array]))).toEqual(Array.from(secret));
  });

  it('v1 and v2 shares never combine: the minority is named, a tie names all', () => {
    const old = splitSecret(secret, { threshold: 3, shares: 5 }, rng);
    expect(rejected(() => combineShares([shares[0] as Uint8Array, old[1] as Uint8Array, shares[2] as Uint8Array]))).toEqual([1]);
    expect(rejected(() => combineShares([old[0] as Uint8Array, shares[1] as Uint8Array, old[2] as Uint8Array]))).toEqual([1]);
    expect(rejected(() => combineShares([old[0] as Uint8Array, shares[1] as Uint8Array]))).toEqual([0, 1]);
    expect(thrown(() => combineShares([old[0] as Uint8Array, shares[1] as Uint8Array, old[2] as Uint8Array])).message).toBe(
      'share #1 rejected: format v2 shares among v1 shares',
    );
  });

  it('another set, a repeated share, too few: named as in v1; the caller’s shares are left as they were', () => {
    const other = splitSecret(secret, v2Options(), rng);
    expect(rejected(() => combineShares(other.slice(0, 3), { setId }))).toEqual([0, 1, 2]);
    expect(rejected(() => combineShares([shares[0] as Uint8Array, shares[1] as Uint8Array, other[2] as Uint8Array]))).toEqual([2]);
    expect(thrown(() => combineShares([shares[0] as Uint8Array, shares[1] as Uint8Array, shares[0] as Uint8Array])).message).toBe(
      `share #2 rejected: repeats x = ${inspectShare(shares[0] as Uint8Array).x} of share #0`,
    );
    expect(thrown(() => combineShares(shares.slice(0, 2))).message).toBe('2 shares given; this set needs at least 3');
    const copies = shares.map((s) => s.slice());
    combineShares(shares.slice(1, 4));
    expect(shares.map((s, i) => Buffer.from(s).equals(copies[i] as Uint8Array))).toEqual([true, true, true, true, true]);
  });

  it('the extremes: a 1-byte and a 65 535-byte secret (y of 65 567 bytes), a 255-of-255 set', () => {
    const one = splitSecret(Uint8Array.of(0x5a), { threshold: 2, shares: 2, version: 2 }, rng);
    expect(Array.from(combineShares(one))).toEqual([0x5a]);
    const big = Uint8Array.from({ length: 65_535 }, (_, i) => (i * 7) & 0xff);
    const longest = splitSecret(big, { threshold: 2, shares: 2, version: 2 }, rng);
    expect(inspectShare(longest[1] as Uint8Array).secretLength).toBe(65_535);
    expect(Buffer.from(combineShares(longest)).equals(big)).toBe(true);
    const all = splitSecret(secret, { threshold: 255, shares: 255, version: 2 }, rng);
    expect(Array.from(combineShares(all, { setId: inspectShare(all[9] as Uint8Array).setId }))).toEqual(Array.from(secret));
    expect(thrown(() => combineShares(all.slice(1))).code).toBe('SHARE_TOO_FEW');
  });

  it('the fast path on the encodings as given: views at odd offsets combine; a long list (memcmp) or a short one (by hand) is checked in every byte', () => {
    // Shares as views into one buffer at odd offsets (the comparison and the interpolation read them in place).
    const pool = new Uint8Array(3 * 400 + 7);
    const views = shares.slice(0, 3).map((s, i) => {
      const v = pool.subarray(1 + 400 * i + 2 * i, 1 + 400 * i + 2 * i + s.length);
      v.set(s);
      return v;
    });
    expect(Array.from(combineShares(views, { setId }))).toEqual(Array.from(secret));
    // 3-of-16: a list of 528 bytes, past the hand-compared length; 3-of-15: the longest compared by hand.
    for (const n of [15, 16]) {
      const set = splitSecret(secret, { threshold: 3, shares: n, version: 2 }, rng);
      const victim = set[2] as Uint8Array;
      const missed: number[] = [];
      for (let i = 0; i < victim.length; i++) {
        const bad = victim.slice();
        bad[i] = (bad[i] as number) ^ (0x80 >> (i % 8));
        const got = rejected(() => combineShares([set[0] as Uint8Array, set[1] as Uint8Array, bad]));
        if (typeof got === 'string' || got.join() !== '2') missed.push(i);
      }
      expect({ n, missed }).toEqual({ n, missed: [] });
    }
  });

  it('error messages never carry share or secret bytes', () => {
    const bad = (shares[0] as Uint8Array).slice();
    bad[70] = (bad[70] as number) ^ 0xff;
    const e = thrown(() => combineShares([bad, shares[1] as Uint8Array, shares[2] as Uint8Array]));
    const y = Buffer.from((shares[0] as Uint8Array).subarray(58, 90)).toString('hex');
    expect(e.message).toBe(
      `share #0 rejected: x = ${inspectShare(shares[0] as Uint8Array).x}: its value does not match its commitment (corrupted)`,
    );
    expect(JSON.stringify(e).includes(y.slice(0, 8))).toBe(false);
    expect(e.message.includes(Buffer.from(secret).toString('hex').slice(0, 8))).toBe(false);
  });
});

function v2Options() {
  return { threshold: 3, shares: 5, ...v2 };
}
