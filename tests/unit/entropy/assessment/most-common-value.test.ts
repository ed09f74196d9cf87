import { describe, expect, it } from 'vitest';
import { Z_ALPHA, upperBound } from '../../../../crypto/entropy/assessment/bound.js';
import { mostCommonValueEstimate } from '../../../../crypto/entropy/assessment/most-common-value.js';
import { biased, uniform } from './seeded.js';

describe('Most Common Value estimate (SP 800-90B §6.3.1)', () => {
  it('reproduces the worked example of §6.3.1', () => {
    const s = Uint8Array.from([0, 1, 1, 2, 0, 1, 2, 2, 0, 1, 0, 1, 1, 0, 2, 2, 1, 0, 2, 1]);
    const e = mostCommonValueEstimate(s);
    expect(e.detail.mode).toBe(8);
    expect(e.detail.pHat).toBe(0.4);
    expect(e.p).toBeCloseTo(0.6895, 4);
    // The standard prints 0.5363 (truncated); the exact value is 0.53638…
    expect(Math.abs(e.minEntropy - 0.5363)).toBeLessThan(1e-4);
  });

  it('uses z = 2.576 (the 99 % bound) exactly as ea_non_iid', () => {
    expect(Z_ALPHA).toBeCloseTo(2.5758293035489, 12);
    expect(upperBound(0.5, 101)).toBeCloseTo(0.5 + Z_ALPHA * Math.sqrt(0.25 / 100), 15);
    expect(upperBound(0.999, 10)).toBe(1);
  });

  it('gives 0 for constant data', () => {
    expect(mostCommonValueEstimate(new Uint8Array(10_000).fill(42)).minEntropy).toBe(0);
  });

  it('gives nearly 8 bits for uniform bytes from the OS', () => {
    const e = mostCommonValueEstimate(uniform(1_000_000, 273));
    expect(e.minEntropy).toBeGreaterThan(7.8);
    expect(e.minEntropy).toBeLessThan(8);
  });

  it('finds −log2(p_max) for a biased source, never above it by more than the sampling error', () => {
    // p_max = 0.3 ⇒ true min-entropy 1.737 bits; the 99 % bound makes the estimate a little lower.
    const e = mostCommonValueEstimate(biased(200_000, 256, 17, 0.3, 1));
    expect(e.minEntropy).toBeLessThan(-Math.log2(0.3));
    expect(e.minEntropy).toBeGreaterThan(-Math.log2(0.3) - 0.03);
    expect(e.detail.pHat).toBeCloseTo(0.3, 2);
  });
});
