import { describe, expect, it } from 'vitest';
import { lagEstimate } from '../../../../crypto/entropy/assessment/lag.js';
import { lz78yEstimate } from '../../../../crypto/entropy/assessment/lz78y.js';
import { mostCommonValueEstimate } from '../../../../crypto/entropy/assessment/most-common-value.js';
import { multiMcwEstimate } from '../../../../crypto/entropy/assessment/multi-mcw.js';
import { multiMmcEstimate } from '../../../../crypto/entropy/assessment/multi-mmc.js';
import { predictorEstimate, runProbabilityLog } from '../../../../crypto/entropy/assessment/prediction.js';
import { biased, bits, lcg256, uniform } from './seeded.js';

describe('predictor min-entropy (SP 800-90B §6.3.7–6.3.10, final steps)', () => {
  it('never credits more than guessing: no correct predictions over 256 symbols is 8 bits', () => {
    expect(predictorEstimate('x', '6.3.7', { correct: 0, predictions: 1_000_000, longestRun: 0, alphabetSize: 256 }).minEntropy).toBe(8);
  });

  it('uses P_global′ = p + 2.576·√(p(1−p)/(N−1)) when runs are short', () => {
    const e = predictorEstimate('x', '6.3.7', { correct: 250_000, predictions: 1_000_000, longestRun: 12, alphabetSize: 256 });
    const bound = 0.25 + 2.5758293035489008 * Math.sqrt((0.25 * 0.75) / 999_999);
    expect(e.p).toBeCloseTo(bound, 12);
    expect(e.detail.pLocal).toBe(0);
  });

  it('raises the rate to P_local when the longest run of correct predictions is implausibly long', () => {
    const e = predictorEstimate('x', '6.3.7', { correct: 10, predictions: 1_000_000, longestRun: 40, alphabetSize: 256 });
    expect(e.detail.pLocal).toBeGreaterThan(1 / 256);
    expect(e.p).toBe(e.detail.pLocal);
    // At P_local, a run of r = 41 correct predictions in N trials is not seen with probability 0.99.
    expect(runProbabilityLog(e.p, 41, 1_000_000)).toBeCloseTo(Math.log(0.99), 6);
  });
});

describe('MultiMCW (§6.3.7)', () => {
  it('predicts the mode of a biased IID source: about −log2(p_max)', () => {
    const e = multiMcwEstimate(biased(200_000, 256, 200, 0.5, 7), 256);
    expect(e?.minEntropy).toBeGreaterThan(0.95);
    expect(e?.minEntropy).toBeLessThan(1);
  });

  it('needs more than 4095 samples', () => {
    expect(multiMcwEstimate(new Uint8Array(4095), 2)).toBeUndefined();
  });
});

describe('Lag (§6.3.8)', () => {
  it('catches a period that every per-symbol statistic misses', () => {
    const block = uniform(100, 289);
    const s = Uint8Array.from({ length: 100_000 }, (_, i) => block[i % 100]!);
    expect(mostCommonValueEstimate(s).minEntropy).toBeGreaterThan(4);
    expect(lagEstimate(s, 256)?.minEntropy).toBeLessThan(0.01);
  });

  it('finds no structure in uniform bytes', () => {
    expect(lagEstimate(uniform(200_000, 290), 256)?.minEntropy).toBeGreaterThan(7.7);
  });
});

describe('MultiMMC (§6.3.9) and LZ78Y (§6.3.10)', () => {
  const predictable = lcg256(200_000);

  it('see through a full-period LCG that looks uniform to the MCV', () => {
    expect(mostCommonValueEstimate(predictable).minEntropy).toBeGreaterThan(7.8);
    expect(multiMmcEstimate(predictable, 256)?.minEntropy).toBeLessThan(0.01);
    expect(lz78yEstimate(predictable, 256)?.minEntropy).toBeLessThan(0.01);
  });

  it('find nothing to predict in uniform bytes', () => {
    const s = uniform(200_000, 291);
    expect(multiMmcEstimate(s, 256)?.minEntropy).toBeGreaterThan(7.7);
    expect(lz78yEstimate(s, 256)?.minEntropy).toBeGreaterThan(7.7);
  });

  it('on bitstrings (the flat-table path) behave as specified on a period-3 pattern and pass fair bits', () => {
    const periodic = Uint8Array.from({ length: 50_000 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    expect(multiMmcEstimate(periodic, 2)?.minEntropy).toBeLessThan(0.01);
    // LZ78Y predicts from the matching context with the highest count, which here is the 1-bit
    // context "0" (followed by 0 and 1 alike): it is right 2/3 of the time, as §6.3.10 specifies.
    const lz = lz78yEstimate(periodic, 2);
    expect(lz?.detail.pGlobal).toBeCloseTo(2 / 3, 3);
    // The same pattern over a 3-symbol alphabet takes the general (Map) path and must agree.
    const ternary = Uint8Array.from({ length: 50_000 }, (_, i) => (i % 3 === 0 ? 2 : 1));
    expect(lz78yEstimate(ternary, 3)?.minEntropy).toBeCloseTo(lz?.minEntropy ?? -1, 12);
    expect(multiMmcEstimate(ternary, 3)?.minEntropy).toBeCloseTo(multiMmcEstimate(periodic, 2)?.minEntropy ?? -1, 12);
    const fair = bits(200_000, 0.5, 8);
    expect(multiMmcEstimate(fair, 2)?.minEntropy).toBeGreaterThan(0.97);
    expect(lz78yEstimate(fair, 2)?.minEntropy).toBeGreaterThan(0.97);
  });
});
