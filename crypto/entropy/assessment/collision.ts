/**
 * SP 800-90B §6.3.2, the Collision estimate (binary data only): the mean time to the first repeated
 * bit, bounded below at 99 %, solved for the most likely p of a two-valued distribution. For binary
 * samples §6.3.2 step 7's expression reduces to X̄' = −2p² + 2p + 2 (the simplification ea_non_iid
 * uses), so p = ½ + √(1.25 − ½X̄'); if X̄' ≥ 2.5 there is no root and p = ½ (1 bit).
 */
import { CryptoError } from '../../errors.js';
import { Z_ALPHA, entropyOf } from './bound.js';
import type { Estimate } from './bound.js';

export function collisionEstimate(bits: Uint8Array): Estimate {
  const n = bits.length;
  let i = 0;
  let v = 0;
  let sumSquares = 0;
  while (i < n - 1) {
    let t: number;
    if (bits[i] === bits[i + 1]) t = 2;
    else if (i < n - 2) t = 3;
    else break;
    v++;
    sumSquares += t * t;
    i += t;
  }
  if (v < 2) throw new CryptoError('CRYPTO_INVALID_ARGUMENT', 'collision estimate: too few samples');
  const mean = i / v;
  const sigma = Math.sqrt((sumSquares - i * mean) / (v - 1));
  const meanBound = Math.max(2, mean - (Z_ALPHA * sigma) / Math.sqrt(v));
  let p = 0.5;
  let minEntropy = 1;
  if (meanBound < 2.5) {
    p = 0.5 + Math.sqrt(1.25 - 0.5 * meanBound);
    minEntropy = entropyOf(p);
  }
  return { estimator: 'Collision', section: '6.3.2', minEntropy, p, detail: { v, mean, sigma, meanBound } };
}
