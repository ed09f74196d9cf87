/**
 * SP 800-90B §6.3.5, the t-Tuple estimate, and §6.3.6, the Longest Repeated Substring (LRS) estimate:
 * both from the counts of overlapping W-tuples (suffix-array.ts). 35 is the standard's cutoff for a
 * tuple to be common enough to estimate from.
 */
import { entropyOf, upperBound } from './bound.js';
import type { Estimate } from './bound.js';
import { tupleCounts } from './suffix-array.js';
import type { TupleCounts } from './suffix-array.js';

const CUTOFF = 35;

export interface TupleEstimates {
  /** undefined when no tuple occurs 35 times (the standard's "cannot be computed"). */
  readonly tTuple: Estimate | undefined;
  /** undefined when the longest repeated substring is shorter than u (v < u). */
  readonly lrs: Estimate | undefined;
}

export function tupleEstimates(s: Uint8Array, counts: TupleCounts = tupleCounts(s)): TupleEstimates {
  const n = s.length;
  const { v, maxCount, pairs } = counts;
  // u: the smallest length whose most common tuple occurs fewer than 35 times; t = u − 1.
  let u = 1;
  while (u <= v && maxCount[u]! >= CUTOFF) u++;
  const t = u - 1;

  let tTuple: Estimate | undefined;
  if (t >= 1) {
    let pMax = 0;
    for (let i = 1; i <= t; i++) pMax = Math.max(pMax, (maxCount[i]! / (n - i + 1)) ** (1 / i));
    const pU = upperBound(pMax, n);
    tTuple = { estimator: 't-Tuple', section: '6.3.5', minEntropy: entropyOf(pU), p: pU, detail: { t, pHat: pMax, pU } };
  }

  let lrs: Estimate | undefined;
  if (v >= u) {
    let pMax = 0;
    for (let w = u; w <= v; w++) {
      const choices = ((n - w + 1) * (n - w)) / 2;
      pMax = Math.max(pMax, (pairs[w]! / choices) ** (1 / w));
    }
    const pU = upperBound(pMax, n);
    lrs = { estimator: 'LRS', section: '6.3.6', minEntropy: entropyOf(pU), p: pU, detail: { u, v, pHat: pMax, pU } };
  }
  return { tTuple, lrs };
}
