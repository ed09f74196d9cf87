/**
 * SP 800-90B §6.3.1, the Most Common Value estimate: the proportion of the mode, bounded above at 99 %.
 */
import { entropyOf, upperBound } from './bound.js';
import type { Estimate } from './bound.js';

export function mostCommonValueEstimate(s: Uint8Array): Estimate {
  const counts = new Float64Array(256);
  for (const x of s) counts[x] = (counts[x] ?? 0) + 1;
  let mode = 0;
  for (const c of counts) if (c > mode) mode = c;
  const pHat = mode / s.length;
  const pU = upperBound(pHat, s.length);
  return { estimator: 'MCV', section: '6.3.1', minEntropy: entropyOf(pU), p: pU, detail: { mode, pHat, pU } };
}
