/**
 * Properties of Shamir over GF(256): any k of n authenticated shares reconstruct; k − 1 raw shares are
 * uniformly distributed whatever the secret (a chi-square goodness-of-fit test per secret, and a
 * homogeneity test between two different secrets), over many splits from a seeded generator.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combineShares, splitSecret } from '../../crypto/sharing/authenticated.js';
import { splitRaw } from '../../crypto/sharing/shamir.js';
import { bufferedTestRng, testRng } from '../unit/sharing/helpers.js';

// χ² with 255 degrees of freedom: mean 255, sd 22.6; 400 is beyond p = 1e-8. The generator is seeded, so
// the statistics below are the same numbers on every run — the bound is a sanity margin, not a coin flip.
const CHI2_255_LIMIT = 400;

function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((a, c) => a + (c - expected) ** 2 / expected, 0);
}

/** χ² of a 2 × m contingency table (are the two samples from one distribution?). */
function homogeneity(a: readonly number[], b: readonly number[]): number {
  const na = a.reduce((s, v) => s + v, 0);
  const nb = b.reduce((s, v) => s + v, 0);
  let chi = 0;
  a.forEach((ai, i) => {
    const col = ai + (b[i] as number);
    const ea = (col * na) / (na + nb);
    const eb = (col * nb) / (na + nb);
    chi += (ai - ea) ** 2 / ea + ((b[i] as number) - eb) ** 2 / eb;
  });
  return chi;
}

describe('sharing properties', () => {
  it('any k of n shares reconstruct, in any order', () => {
    const rng = testRng('prop-any-k');
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 48 }),
        fc.integer({ min: 2, max: 10 }),
        fc.integer({ min: 0, max: 6 }),
        fc.func(fc.integer()),
        (secret, k, extra, order) => {
          const shares = splitSecret(secret, { threshold: k, shares: k + extra }, rng);
          const picked = shares
            .map((s, i) => ({ s, key: order(i) }))
            .sort((a, b) => a.key - b.key)
            .slice(0, k)
            .map((p) => p.s);
          expect(Buffer.from(combineShares(picked)).equals(Buffer.from(secret))).toBe(true);
        },
      ),
      { numRuns: 150, seed: 21 },
    );
  });

  const SPLITS = 25_600; // 100 per cell: a cell below 50 is 5 standard deviations low

  /** Histogram over 256 cells of `cell(shares)` for SPLITS splits of `secret`. */
  function histogram(secret: number, k: number, label: string, cell: (ys: readonly number[]) => number): number[] {
    const rng = bufferedTestRng(label);
    const counts = new Array<number>(256).fill(0);
    const s = Uint8Array.of(secret);
    for (let i = 0; i < SPLITS; i++) {
      const shares = splitRaw(s, k, k, rng);
      const c = cell(shares.slice(0, k - 1).map((sh) => sh.y[0] as number));
      counts[c] = (counts[c] as number) + 1;
    }
    return counts;
  }

  it('k − 1 = 1 share of 2-of-2: its byte is uniform, for secret 0x00 and for 0xff alike', () => {
    const a = histogram(0x00, 2, 'uniform-a', ([y]) => y as number);
    const b = histogram(0xff, 2, 'uniform-b', ([y]) => y as number);
    expect(chiSquare(a)).toBeLessThan(CHI2_255_LIMIT);
    expect(chiSquare(b)).toBeLessThan(CHI2_255_LIMIT);
    expect(Math.min(...a, ...b)).toBeGreaterThan(50);
    expect(homogeneity(a, b)).toBeLessThan(CHI2_255_LIMIT);
  });

  it('k − 1 = 2 shares of 3-of-3: their joint distribution (high nibbles) is uniform for two secrets', () => {
    const cell = ([y1, y2]: readonly number[]): number => (((y1 as number) >> 4) << 4) | ((y2 as number) >> 4);
    const a = histogram(0x01, 3, 'joint-a', cell);
    const b = histogram(0xa5, 3, 'joint-b', cell);
    expect(chiSquare(a)).toBeLessThan(CHI2_255_LIMIT);
    expect(chiSquare(b)).toBeLessThan(CHI2_255_LIMIT);
    expect(Math.min(...a, ...b)).toBeGreaterThan(50);
    expect(homogeneity(a, b)).toBeLessThan(CHI2_255_LIMIT);
  });

  it('format v2: k − 1 = 2 of 3-of-4 authenticated shares — their shares of s and of r — are jointly uniform for two secrets', () => {
    // y = shares of s ‖ r: byte 58 is the share of s's byte, byte 59 of r's first byte. High nibbles of
    // both shares: 256 cells, 50 per cell (the v2 split hashes, so half the raw tests' count).
    const N = 12_800;
    const hist = (secret: number, label: string, at: number): number[] => {
      const rng = bufferedTestRng(label);
      const counts = new Array<number>(256).fill(0);
      for (let i = 0; i < N; i++) {
        const [a, b] = splitSecret(Uint8Array.of(secret), { threshold: 3, shares: 4, version: 2 }, rng) as [Uint8Array, Uint8Array];
        const c = (((a[at] as number) >> 4) << 4) | ((b[at] as number) >> 4);
        counts[c] = (counts[c] as number) + 1;
      }
      return counts;
    };
    for (const at of [58, 59]) {
      const a = hist(0x00, `v2-uniform-a-${at}`, at);
      const b = hist(0xff, `v2-uniform-b-${at}`, at);
      expect(chiSquare(a), `byte ${at}, secret 0x00`).toBeLessThan(CHI2_255_LIMIT);
      expect(chiSquare(b), `byte ${at}, secret 0xff`).toBeLessThan(CHI2_255_LIMIT);
      expect(homogeneity(a, b), `byte ${at}`).toBeLessThan(CHI2_255_LIMIT);
    }
  });

  it('mutation check: the per-cell bound catches a forced non-zero leading coefficient', () => {
    // With a1 ∈ 1..255 only, y = s + a1·x never equals s: cell s is empty, which the test must see.
    const rng = bufferedTestRng('biased');
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < SPLITS; i++) {
      const [share] = splitRaw(Uint8Array.of(0x42), 2, 2, rng);
      let y = share!.y[0] as number;
      if (y === 0x42) y = (y + 1 + (i % 255)) & 0xff; // what forcing a1 ≠ 0 does to the share
      counts[y] = (counts[y] as number) + 1;
    }
    expect(counts[0x42]).toBe(0);
    expect(Math.min(...counts)).toBeLessThanOrEqual(50); // the check above would fail it
  });
});
