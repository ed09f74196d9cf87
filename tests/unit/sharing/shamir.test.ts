/**
 * Raw Shamir: a hand-worked vector, coefficients and x's exactly as drawn from the RandomSource (no forced
 * non-zero leading coefficient), k-of-n recovery, and the argument rules.
 */
import { describe, expect, it } from 'vitest';
import { gfMul } from '../../../crypto/sharing/gf256.js';
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
});
