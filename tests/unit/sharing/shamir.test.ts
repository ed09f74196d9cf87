/**
 * Raw Shamir: a hand-worked vector, coefficients and x's exactly as drawn from the RandomSource (no forced
 * non-zero leading coefficient), k-of-n recovery, and the argument rules.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gfDiv, gfMul } from '../../../crypto/sharing/gf256.js';
import { combineRaw, drawXs, lagrangeAtZero, splitRaw } from '../../../crypto/sharing/shamir.js';
import { thrown } from '../../helpers/thrown.js';
import { scriptedRng, testRng } from './helpers.js';

describe('raw Shamir over GF(256)', () => {
  it('uses the drawn x and coefficient bytes as they come, a zero leading coefficient included', () => {
    // drawXs(2): byte 4 → index 4 of 1..255 (x = 5); byte 0 → x = 2 (pool after the first swap).
    // Then one coefficient byte per secret byte: 0x00 (a zero leading coefficient stays zero) and 0x03.
    const rng = scriptedRng([4, 0, 0x00, 0x03]);
    const shares = splitRaw(Uint8Array.of(0x42, 0x10), 2, 2, rng);
    expect(shares.map((s) => s.x)).toEqual([5, 2]);
    // f0(x) = 0x42 + 0·x: every share carries the secret byte itself (uniform over the coefficient draw).
    expect(shares.map((s) => s.y[0])).toEqual([0x42, 0x42]);
    expect(shares.map((s) => s.y[1])).toEqual([0x10 ^ gfMul(3, 5), 0x10 ^ gfMul(3, 2)]);
    expect(Array.from(combineRaw(shares))).toEqual([0x42, 0x10]);
  });

  it('rejects biased bytes when drawing x (rejection sampling): 255 is skipped for m = 255', () => {
    expect(drawXs(1, scriptedRng([255, 7]))).toEqual([8]);
  });

  it('x-coordinates are distinct and non-zero, all 255 of them at n = 255', () => {
    const xs = drawXs(255, testRng('xs'));
    expect(new Set(xs).size).toBe(255);
    expect(Math.min(...xs)).toBe(1);
    expect(Math.max(...xs)).toBe(255);
  });

  it('the Lagrange coefficients at 0 of any point set sum to 1 (they interpolate the constant 1)', () => {
    const xs = [3, 9, 200, 17];
    expect(lagrangeAtZero(xs).reduce((a, b) => a ^ b, 0)).toBe(1);
  });

  it('any k of n shares recover a 33-byte secret (k = 3, n = 6, every 3-subset)', () => {
    const secret = Uint8Array.from({ length: 33 }, (_, i) => (i * 37 + 11) & 0xff);
    const shares = splitRaw(secret, 3, 6, testRng('k3'));
    let ok = 0;
    for (let a = 0; a < 6; a++)
      for (let b = a + 1; b < 6; b++)
        for (let c = b + 1; c < 6; c++) {
          if (Buffer.from(combineRaw([shares[a]!, shares[b]!, shares[c]!])).equals(secret)) ok++;
        }
    expect(ok).toBe(20);
  });

  it('k − 1 shares interpolate something else (almost surely)', () => {
    const secret = new Uint8Array(32).fill(0xaa);
    const shares = splitRaw(secret, 4, 5, testRng('k-1'));
    expect(Buffer.from(combineRaw(shares.slice(0, 3))).equals(secret)).toBe(false);
  });

  it('argument rules: 2 ≤ k ≤ n ≤ 255, 1.. bytes, no repeated x', () => {
    const rng = testRng('args');
    expect(thrown(() => splitRaw(new Uint8Array(1), 1, 3, rng)).message).toBe('threshold must be within 2..255, got 1');
    expect(thrown(() => splitRaw(new Uint8Array(1), 3, 2, rng)).message).toBe('shares must be within 3..255, got 2');
    expect(thrown(() => splitRaw(new Uint8Array(1), 2, 256, rng)).message).toBe('shares must be within 2..255, got 256');
    expect(thrown(() => splitRaw(new Uint8Array(0), 2, 2, rng)).message).toBe('secret must be at least 1 bytes, got 0');
    const e = thrown(() =>
      combineRaw([
        { x: 1, y: Uint8Array.of(1) },
        { x: 1, y: Uint8Array.of(2) },
      ]),
    );
    expect([e.code, e.message]).toEqual(['CRYPTO_INVALID_ARGUMENT', 'shares[].x[1] repeats x = 1']);
  });

  it('the Lagrange coefficients (one batched inversion) equal the pairwise formula Π x_j / (x_i ⊕ x_j)', () => {
    const pairwise = (xs: readonly number[]): number[] =>
      xs.map((xi, i) => xs.reduce((l, xj, j) => (j === i ? l : gfMul(l, gfDiv(xj, xi ^ xj))), 1));
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 255 }), { minLength: 2, maxLength: 40 }), (xs) => {
        expect(lagrangeAtZero(xs)).toEqual(pairwise(xs));
      }),
      { numRuns: 200 },
    );
    expect(lagrangeAtZero(Array.from({ length: 255 }, (_, i) => i + 1))).toEqual(pairwise(Array.from({ length: 255 }, (_, i) => i + 1)));
  });

  it('split and combine agree with a byte-wise evaluation for every length (word tails, partial planes)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 80 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (secret, k, extra, seed) => {
          const coefficients = testRng(`tails-${seed}`).randomBytes((k - 1) * secret.length);
          const xs = [3, 250, 17, 128, 1, 99, 200, 42, 77].slice(0, k + extra);
          const rng = scriptedRng([...xs.map((x) => x - 1), ...coefficients]);
          // The script feeds drawXs (which shuffles, so the x's are read back from the shares), then the coefficients.
          const shares = splitRaw(secret, k, k + extra, rng);
          for (const s of shares) {
            const expected = Uint8Array.from(secret, (byte, b) => {
              let a = 0;
              for (let i = k - 1; i >= 1; i--) a = gfMul(a ^ (coefficients[(i - 1) * secret.length + b] as number), s.x);
              return a ^ byte;
            });
            expect(Array.from(s.y)).toEqual(Array.from(expected));
          }
          expect(Array.from(combineRaw(shares.slice(extra)))).toEqual(Array.from(secret));
        },
      ),
      { numRuns: 150 },
    );
  });
});
