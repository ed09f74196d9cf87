import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lcpArray, suffixArray, tupleCounts } from '../../../../crypto/entropy/assessment/suffix-array.js';
import { tupleEstimates } from '../../../../crypto/entropy/assessment/tuple.js';
import { biased, uniform } from './seeded.js';

/** Tuple counts the obvious way, as the definitions in §6.3.5–6.3.6 state them. */
function naiveCounts(s: Uint8Array, w: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + w <= s.length; i++) {
    const k = Array.from(s.subarray(i, i + w)).join(',');
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

describe('suffix array, LCP and tuple counts', () => {
  it('sorts suffixes and measures common prefixes exactly (against brute force)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 2, maxLength: 200, max: 3 }), (arr) => {
        const s = Uint8Array.from(arr);
        const sa = suffixArray(s);
        const key = (i: number) => Array.from(s.subarray(i));
        const expected = Array.from({ length: s.length }, (_, i) => i).sort((a, b) => {
          const x = key(a);
          const y = key(b);
          for (let j = 0; j < Math.min(x.length, y.length); j++) if (x[j] !== y[j]) return x[j]! - y[j]!;
          return x.length - y.length;
        });
        expect(Array.from(sa)).toEqual(expected);
        const lcp = lcpArray(s, sa);
        for (let r = 1; r < s.length; r++) {
          const a = key(sa[r - 1]!);
          const b = key(sa[r]!);
          let h = 0;
          while (h < a.length && h < b.length && a[h] === b[h]) h++;
          expect(lcp[r]).toBe(h);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('counts the most common W-tuple and the colliding pairs for every W (against brute force)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 2, maxLength: 300, max: 2 }), (arr) => {
        const s = Uint8Array.from(arr);
        const c = tupleCounts(s);
        for (let w = 1; w <= c.v; w++) {
          const counts = [...naiveCounts(s, w).values()];
          expect(c.maxCount[w]).toBe(Math.max(...counts));
          expect(c.pairs[w]).toBe(counts.reduce((acc, n) => acc + (n * (n - 1)) / 2, 0));
        }
        expect(Math.max(...naiveCounts(s, c.v + 1).values())).toBeLessThan(2);
      }),
      { numRuns: 200 },
    );
  });
});

describe('t-Tuple (§6.3.5) and LRS (§6.3.6) estimates', () => {
  it('give ~0 for constant data', () => {
    const { tTuple, lrs } = tupleEstimates(new Uint8Array(5000).fill(9));
    expect(tTuple?.minEntropy).toBe(0);
    expect(lrs?.minEntropy).toBe(0); // every W-tuple is the same one: P_W = 1
  });

  it('are close to 8 bits for uniform bytes and agree with the MCV for IID data', () => {
    // Seeded, so the bounds below are checked on the same data every run (an unseeded draw once gave LRS 7.0).
    const { tTuple, lrs } = tupleEstimates(uniform(300_000, 0x5eed));
    expect(tTuple?.detail.t).toBe(1);
    expect(tTuple?.minEntropy).toBeGreaterThan(7.6);
    expect(lrs?.minEntropy).toBeGreaterThan(7.2);
  });

  it('estimate a biased IID source at about −log2(p_max)', () => {
    const { tTuple } = tupleEstimates(biased(200_000, 256, 3, 0.5, 6));
    expect(tTuple?.minEntropy).toBeGreaterThan(0.95);
    expect(tTuple?.minEntropy).toBeLessThan(1);
  });

  it('catch a repeated block that per-symbol counts cannot see', () => {
    const block = uniform(1000, 257);
    const s = new Uint8Array(100_000);
    for (let i = 0; i < s.length; i++) s[i] = block[i % 1000]!;
    const { tTuple, lrs } = tupleEstimates(s);
    expect(tTuple?.minEntropy).toBeLessThan(0.05);
    expect(lrs?.detail.v).toBe(99_000); // the longest repeat: everything after the first block
    expect(lrs?.minEntropy).toBeLessThan(0.001);
  });
});
