/**
 * The step every SP 800-90B predictor estimate ends with (§6.3.7–§6.3.10, last steps): from C correct
 * predictions out of N and the longest run r−1 of correct ones, take the larger of the global rate's
 * 99 % upper bound (P_global') and the local rate P_local that makes a run of r correct predictions
 * 99 % unlikely, and return −log2 of it. k is the alphabet size: no predictor is credited with doing
 * worse than guessing (1/k).
 */
import { Z_ALPHA, entropyOf } from './bound.js';
import type { Estimate } from './bound.js';

const LOG_TARGET = Math.log(0.99);

/**
 * ln P(longest run of successes < r in N trials with success probability p), the closed form of
 * §6.3.7 step 6 (x is the fixed point of x = 1 + q·p^r·x^(r+1)).
 */
export function runProbabilityLog(p: number, r: number, n: number): number {
  const q = 1 - p;
  let x = 1;
  let last = 0;
  for (let i = 0; i <= 65 && x - last > Number.EPSILON * x; i++) {
    last = x;
    x = 1 + q * p ** r * x ** (r + 1);
  }
  return Math.log(1 - p * x) - Math.log((r + 1 - r * x) * q) - (n + 1) * Math.log(x);
}

/** The p in [low, 1] where runProbabilityLog crosses ln 0.99 (it falls as p grows), by bisection. */
function localRate(r: number, n: number, low: number): number {
  let lo = low;
  let hi = 1;
  for (let i = 0; i < 1076; i++) {
    const mid = (lo + hi) / 2;
    if (mid <= lo || mid >= hi) break;
    const f = runProbabilityLog(mid, r, n);
    if (f > LOG_TARGET) lo = mid;
    else hi = mid; // includes NaN: near p = 1 a long run is certain
  }
  return hi;
}

/** What a predictor counted: C correct of N = `predictions`, the longest run r−1 of correct ones, and k. */
export interface PredictorCounts {
  correct: number;
  predictions: number;
  longestRun: number;
  alphabetSize: number;
}

export function predictorEstimate(estimator: string, section: string, counts: PredictorCounts): Estimate {
  const { correct, predictions, longestRun, alphabetSize } = counts;
  const n = predictions;
  const pGlobal = correct / n;
  const pGlobalBound = pGlobal > 0 ? Math.min(1, pGlobal + Z_ALPHA * Math.sqrt((pGlobal * (1 - pGlobal)) / (n - 1))) : 1 - 0.01 ** (1 / n);
  let p = Math.max(1 / alphabetSize, pGlobalBound);
  const r = longestRun + 1;
  let pLocal = 0;
  if (p < 1 && runProbabilityLog(p, r, n) > LOG_TARGET) {
    pLocal = localRate(r, n, p);
    p = Math.max(p, pLocal);
  }
  return {
    estimator,
    section,
    minEntropy: entropyOf(p),
    p,
    detail: { C: correct, N: n, r, pGlobal, pGlobalBound, pLocal },
  };
}
