import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aptCutoff, critBinom, rctCutoff } from '../../../../crypto/entropy/health/cutoffs.js';

describe('SP 800-90B §4.4.1 repetition count cutoff', () => {
  it('is 1 + ⌈20/H⌉ at α = 2^-20 (§4.4.1 example: H = 2 → 11)', () => {
    expect(rctCutoff(2, -20)).toBe(11);
    expect(rctCutoff(1, -20)).toBe(21);
    expect(rctCutoff(8, -20)).toBe(4);
    expect(rctCutoff(0.5, -20)).toBe(41);
  });
  it('matches jitterentropy at α = 2^-30 / 2^-60 for H = 1 (31 / 61)', () => {
    expect(rctCutoff(1, -30)).toBe(31);
    expect(rctCutoff(1, -60)).toBe(61);
  });
  it('does not let binary rounding push an integer quotient up (30 / 0.3 = 100)', () => {
    expect(rctCutoff(0.3, -30)).toBe(101);
  });
  it('rejects H outside (0, 8] and non-integer or non-negative log2 α', () => {
    expect(() => rctCutoff(0, -30)).toThrow(expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }));
    expect(() => rctCutoff(8.5, -30)).toThrow(expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }));
    expect(() => rctCutoff(1, 0)).toThrow(expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }));
    expect(() => rctCutoff(1, -30.5)).toThrow(expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }));
  });
});

describe('SP 800-90B §4.4.2 adaptive proportion cutoff', () => {
  it('matches SP 800-90B Table 2 (α = 2^-20, W = 512, non-binary)', () => {
    const table: [number, number][] = [
      [0.5, 410],
      [1, 311],
      [2, 177],
      [4, 62],
      [8, 13],
    ];
    for (const [h, c] of table) expect(aptCutoff(h, -20, 512)).toBe(c);
  });

  it("matches jitterentropy's α = 2^-60 table for H = 1/osr, osr 1..15", () => {
    const permanent = [355, 447, 479, 494, 502, 507, 510, 512, 512, 512, 512, 512, 512, 512, 512];
    permanent.forEach((c, i) => expect(aptCutoff(1 / (i + 1), -60, 512)).toBe(c));
  });

  it("matches jitterentropy's α = 2^-30 table except osr 3 and 5, where mpmath at 60 digits agrees with us", () => {
    // jitterentropy lists 459 and 488 there; an independent mpmath evaluation of 1 + CRITBINOM
    // (P(X > 457) = 9.13e-10 ≤ 2^-30 < P(X > 456) = 2.01e-9 for p = 2^(-1/3)) gives 458 and 487.
    const intermittent = [325, 422, 458, 477, 487, 494, 499, 502, 505, 507, 508, 509, 510, 511, 512];
    intermittent.forEach((c, i) => expect(aptCutoff(1 / (i + 1), -30, 512)).toBe(c));
  });

  it('uses W = 1024 for binary samples and never exceeds the window', () => {
    expect(aptCutoff(1, -20, 1024, 1)).toBe(589);
    expect(aptCutoff(0.01, -60, 512)).toBe(512);
  });

  it('CRITBINOM equals the smallest k whose directly summed upper tail is ≤ α, for small n (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.integer({ min: -20, max: -1 }),
        (n, p, a) => {
          const alpha = 2 ** a;
          const pmf: number[] = [];
          let binom = 1;
          for (let k = 0; k <= n; k++) {
            if (k > 0) binom = (binom * (n - k + 1)) / k;
            pmf.push(binom * p ** k * (1 - p) ** (n - k));
          }
          let expected = 0;
          let tail = 0;
          for (let k = n - 1; k >= 0; k--) {
            tail += pmf[k + 1] ?? 0;
            fc.pre(Math.abs(tail - alpha) > alpha * 1e-9);
            if (tail > alpha) {
              expected = k + 1;
              break;
            }
          }
          expect(critBinom(n, p, a)).toBe(expected);
        },
      ),
    );
  });

  it('is monotone: more entropy → lower cutoff; smaller α → higher cutoff (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 7.9, noNaN: true }), fc.integer({ min: -60, max: -20 }), (h, a) => {
        expect(aptCutoff(h + 0.1, a)).toBeLessThanOrEqual(aptCutoff(h, a));
        expect(aptCutoff(h, a - 1)).toBeGreaterThanOrEqual(aptCutoff(h, a));
        expect(rctCutoff(h, a - 1)).toBeGreaterThanOrEqual(rctCutoff(h, a));
      }),
    );
  });

  it('aptCutoff is remembered, never changed by it: repeated calls equal the formula, the entropy check still runs', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 8, noNaN: true }),
        fc.integer({ min: -60, max: -10 }),
        fc.constantFrom(512, 1024),
        (h, a, w) => {
          const direct = Math.min(w, 1 + critBinom(w, 2 ** -h, a));
          expect([aptCutoff(h, a, w), aptCutoff(h, a, w)]).toEqual([direct, direct]);
        },
      ),
      { numRuns: 40 },
    );
    aptCutoff(1, -20, 1024, 8);
    expect(() => aptCutoff(1.5, -20, 1024, 1)).toThrow(expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }));
  });
});
