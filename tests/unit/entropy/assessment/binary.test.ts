import { describe, expect, it } from 'vitest';
import { collisionEstimate } from '../../../../crypto/entropy/assessment/collision.js';
import { compressionEstimate, compressionG } from '../../../../crypto/entropy/assessment/compression.js';
import { markovEstimate } from '../../../../crypto/entropy/assessment/markov.js';
import { bits } from './seeded.js';

describe('Collision estimate (SP 800-90B §6.3.2, binary)', () => {
  it('for fair IID bits, lands where the 99 % bound on the mean puts it (just under 1 bit)', () => {
    const e = collisionEstimate(bits(400_000, 0.5, 2));
    // Mean collision time 2.5, σ = 0.5: X̄′ ≈ 2.5 − 2.576·0.5/√v and p = ½ + √(1.25 − X̄′/2).
    const v = e.detail.v ?? 0;
    const expected = -Math.log2(0.5 + Math.sqrt(1.25 - (2.5 - (2.5758 * 0.5) / Math.sqrt(v)) / 2));
    expect(e.minEntropy).toBeCloseTo(expected, 1);
    expect(e.minEntropy).toBeGreaterThan(0.85);
    expect(e.minEntropy).toBeLessThanOrEqual(1);
  });

  it('recovers −log2(p) for IID bits with P(1) = 0.8 (mean collision time 2 + 2pq)', () => {
    const e = collisionEstimate(bits(400_000, 0.8, 3));
    const truth = -Math.log2(0.8);
    expect(e.minEntropy).toBeLessThan(truth + 0.005);
    expect(e.minEntropy).toBeGreaterThan(truth - 0.03);
  });

  it('gives 0 for a constant bitstring (every collision at t = 2)', () => {
    const e = collisionEstimate(new Uint8Array(1000));
    expect(e.detail.mean).toBe(2);
    expect(e.minEntropy).toBe(0);
  });
});

describe('Markov estimate (SP 800-90B §6.3.3, binary)', () => {
  it('sees that an alternating bitstring is determined by its first bit: 1/128 bit per bit', () => {
    const alt = Uint8Array.from({ length: 10_000 }, (_, i) => i & 1);
    const e = markovEstimate(alt);
    expect(e.detail.p01).toBe(1);
    expect(e.detail.p10).toBe(1);
    expect(e.minEntropy).toBeCloseTo(1 / 128, 12);
  });

  it('matches −log2(P(1)) per bit for biased IID bits (the all-ones sequence is most likely)', () => {
    const e = markovEstimate(bits(400_000, 0.8, 4));
    expect(e.minEntropy).toBeCloseTo(-Math.log2(0.8), 2);
  });

  it('is 1 bit (capped) for fair bits', () => {
    expect(markovEstimate(bits(400_000, 0.5, 5)).minEntropy).toBeGreaterThan(0.99);
  });
});

describe('Compression estimate (SP 800-90B §6.3.4, binary)', () => {
  it('computes G(z) of step 7 exactly as its double sum defines it', () => {
    // G(z) = 1/ν Σ_{t=d+1..L} Σ_{u=1..t} log2(u)·F(z, t, u), F = z²(1−z)^(u−1) for u < t, z(1−z)^(t−1) for u = t.
    const blocks = 1200;
    for (const z of [1 / 64, 0.1, 0.5, 0.9]) {
      let direct = 0;
      for (let t = 1001; t <= blocks; t++) {
        for (let u = 1; u < t; u++) direct += Math.log2(u) * z * z * (1 - z) ** (u - 1);
        direct += Math.log2(t) * z * (1 - z) ** (t - 1);
      }
      direct /= blocks - 1000;
      expect(compressionG(z, blocks)).toBeCloseTo(direct, 9);
    }
  });

  it('is under 1 bit for fair IID bits (the 99 % bound on 100 000 blocks costs ~0.18; 0.92 on 1.3 M)', () => {
    const e = compressionEstimate(bits(600_000, 0.5, 9));
    expect(e?.minEntropy).toBeGreaterThan(0.8);
    expect(e?.minEntropy).toBeLessThanOrEqual(1);
  });

  it('stays below the true per-bit min-entropy of biased bits, and gives 0 for constant bits', () => {
    // 6-bit blocks of P(1) = 0.8 bits: the most likely block has p = 0.8^6, i.e. 0.32 bit per bit.
    const e = compressionEstimate(bits(600_000, 0.8, 10));
    expect(e?.minEntropy).toBeLessThan(-Math.log2(0.8));
    expect(e?.minEntropy).toBeGreaterThan(0.05);
    expect(compressionEstimate(new Uint8Array(60_000))?.minEntropy).toBe(0);
  });

  it('needs more than 1000 blocks', () => {
    expect(compressionEstimate(new Uint8Array(6000))).toBeUndefined();
  });
});
