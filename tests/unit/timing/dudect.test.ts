import { describe, expect, it } from 'vitest';
import { DudectAnalysis, ENOUGH_MEASUREMENTS } from '../../adversarial/timing/dudect/analysis.js';
import { cropFraction, cropThresholds, NUMBER_PERCENTILES, percentile } from '../../adversarial/timing/dudect/percentiles.js';
import { FAIL_T, WARN_T } from '../../adversarial/timing/dudect/decision.js';
import { WelchTTest } from '../../adversarial/timing/dudect/welch.js';

function fill(t: WelchTTest, a: readonly number[], b: readonly number[]): WelchTTest {
  for (const x of a) t.push(0, x);
  for (const x of b) t.push(1, x);
  return t;
}

describe('WelchTTest', () => {
  it('matches a hand computation: means 3 and 7, variances 2.5 and 14', () => {
    // t = (3 − 7) / √(2.5/5 + 14/6) = −4 / √(17/6)
    const t = fill(new WelchTTest(), [1, 2, 3, 4, 5], [2, 4, 6, 8, 10, 12]);
    expect(t.mean(0)).toBe(3);
    expect(t.mean(1)).toBe(7);
    expect(t.variance(0)).toBeCloseTo(2.5, 12);
    expect(t.variance(1)).toBeCloseTo(14, 12);
    expect(t.n).toBe(11);
    expect(t.t()).toBeCloseTo(-4 / Math.sqrt(17 / 6), 12);
    expect(t.t()).toBeCloseTo(-2.3763541031440183, 12);
  });

  it('matches a second hand computation: t = 5/√3', () => {
    // means 10.25 and 9; s² = 5/12 and 1/4; t = 1.25 / √(5/48 + 1/12) = 1.25 / √(3/16) = 5/√3
    const t = fill(new WelchTTest(), [10.5, 9.5, 10, 11], [9, 8.5, 9.5]);
    expect(t.t()).toBeCloseTo(5 / Math.sqrt(3), 12);
  });

  it('is antisymmetric in the classes and interleaving-independent', () => {
    const a = [5, 7, 3, 9, 11, 4];
    const b = [2, 8, 1, 6, 3];
    const ab = fill(new WelchTTest(), a, b).t();
    const ba = fill(new WelchTTest(), b, a).t();
    expect(ba).toBeCloseTo(-ab, 12);
    const interleaved = new WelchTTest();
    for (let i = 0; i < 6; i++) {
      interleaved.push(0, a[i] as number);
      if (i < b.length) interleaved.push(1, b[i] as number);
    }
    expect(interleaved.t()).toBeCloseTo(ab, 12);
  });

  it("keeps Welford's precision on nanosecond timings with a large offset", () => {
    // Σx² − (Σx)²/n would lose every digit here; Welford keeps the variance 2.5 exact.
    const offset = 1e12;
    const t = fill(
      new WelchTTest(),
      [1, 2, 3, 4, 5].map((x) => x + offset),
      [2, 4, 6, 8, 10, 12].map((x) => x + offset),
    );
    expect(t.variance(0)).toBeCloseTo(2.5, 6);
    expect(t.variance(1)).toBeCloseTo(14, 6);
    expect(t.t()).toBeCloseTo(-2.3763541031440183, 6);
  });

  it('gives no evidence below two samples per class, and ±∞ for distinct constants', () => {
    expect(fill(new WelchTTest(), [1], [2, 3]).t()).toBe(0);
    expect(fill(new WelchTTest(), [], []).t()).toBe(0);
    expect(Number.isNaN(fill(new WelchTTest(), [1], []).variance(0))).toBe(true);
    expect(fill(new WelchTTest(), [4, 4, 4], [4, 4]).t()).toBe(0);
    expect(fill(new WelchTTest(), [5, 5], [4, 4]).t()).toBe(Number.POSITIVE_INFINITY);
    expect(fill(new WelchTTest(), [3, 3], [4, 4]).t()).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('percentiles (dudect.c prepare_percentiles)', () => {
  it('uses pᵢ = 1 − 0.5^(10(i+1)/100)', () => {
    expect(NUMBER_PERCENTILES).toBe(100);
    expect(cropFraction(0)).toBeCloseTo(0.06696700846319259, 15);
    expect(cropFraction(9)).toBeCloseTo(0.5, 15);
    expect(cropFraction(49)).toBeCloseTo(0.96875, 15);
    expect(cropFraction(99)).toBeCloseTo(0.9990234375, 15);
    for (let i = 1; i < 100; i++) expect(cropFraction(i)).toBeGreaterThan(cropFraction(i - 1));
  });

  it('picks the element at ⌊size·p⌋ of the sorted samples', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i * 10);
    expect(percentile(sorted, 0.5)).toBe(500);
    expect(percentile(sorted, 0.0669)).toBe(60);
    expect(percentile(sorted, 0)).toBe(0);
    expect(percentile(sorted, 1)).toBe(990);
    expect(() => percentile([], 0.5)).toThrow(RangeError);
  });

  it('derives thresholds from unsorted samples without modifying them', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    const before = samples.slice();
    const th = cropThresholds(samples);
    expect(samples).toEqual(before);
    expect(th).toHaveLength(100);
    expect(th[9]).toBe(500);
    expect(th[0]).toBe(66);
    expect(th[99]).toBe(999);
    for (let i = 1; i < th.length; i++) expect(th[i]).toBeGreaterThanOrEqual(th[i - 1] as number);
  });
});

// A deterministic stand-in for timings: a linear congruential generator, so the statistics are exact
// functions of the seed and the tests assert values, not luck.
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('DudectAnalysis', () => {
  const thresholds = Array.from({ length: 100 }, (_, i) => 1000 + 10 * cropFraction(i));

  it('gives no verdict before 10 000 measurements', () => {
    const a = new DudectAnalysis(thresholds);
    const r = lcg(1);
    for (let i = 0; i < ENOUGH_MEASUREMENTS - 1; i++) a.push((i & 1) as 0 | 1, 1000 + r() * 10 + (i & 1) * 5);
    const s = a.summary();
    expect(s.enough).toBe(false);
    expect(s.maxAbsT).toBe(0);
    expect(s.maxTest.test).toBe('none');
  });

  it('finds a shift of the mean, and reports tau = t/√n and (5/tau)²', () => {
    const a = new DudectAnalysis(thresholds);
    const r = lcg(2);
    for (let i = 0; i < 20_000; i++) {
      const cls = (r() < 0.5 ? 0 : 1) as 0 | 1;
      a.push(cls, 1000 + r() * 10 + cls * 1);
    }
    const s = a.summary();
    expect(s.enough).toBe(true);
    expect(s.measurements).toBe(20_000);
    expect(s.maxAbsT).toBeGreaterThan(FAIL_T);
    expect(s.uncroppedT).toBeLessThan(-FAIL_T);
    expect(s.tau).toBeCloseTo(s.maxAbsT / Math.sqrt(s.maxTest.n), 12);
    expect(s.measurementsForT5).toBeCloseTo((5 / s.tau) ** 2, 6);
  });

  it('stays quiet on identically distributed classes', () => {
    const a = new DudectAnalysis(thresholds);
    const r = lcg(3);
    for (let i = 0; i < 20_000; i++) a.push((r() < 0.5 ? 0 : 1) as 0 | 1, 1000 + r() * 10);
    expect(a.summary().maxAbsT).toBeLessThan(WARN_T);
  });

  it('a difference only in the slow tail is caught by the uncropped or second-order test', () => {
    const a = new DudectAnalysis(thresholds);
    const r = lcg(4);
    for (let i = 0; i < 40_000; i++) {
      const cls = (i & 1) as 0 | 1;
      // Identical bulk in [1000, 1005); class 1 alone sometimes lands far above every threshold.
      const x = cls === 1 && r() < 0.1 ? 5000 : 1000 + r() * 5;
      a.push(cls, x);
    }
    const s = a.summary();
    expect(s.maxAbsT).toBeGreaterThan(FAIL_T);
    expect(s.maxTest.test === 'uncropped' || s.maxTest.test === 'second-order').toBe(true);
  });

  it('second-order: equal means but a class-dependent spread', () => {
    const a = new DudectAnalysis([]);
    const r = lcg(5);
    for (let i = 0; i < 40_000; i++) {
      const cls = (i & 1) as 0 | 1;
      const u = r() - 0.5;
      a.push(cls, 1000 + u * (cls === 0 ? 2 : 20));
    }
    const s = a.summary();
    expect(Math.abs(s.uncroppedT)).toBeLessThan(WARN_T);
    expect(s.maxTest.test).toBe('second-order');
    expect(s.maxAbsT).toBeGreaterThan(FAIL_T);
  });
});
