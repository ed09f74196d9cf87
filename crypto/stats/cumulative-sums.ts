/**
 * SP 800-22 Rev. 1a §2.13: cumulative sums, forward (mode 0) and backward (mode 1), z = max |S_k| of the
 * ±1 walk; P from the §2.13.4 series with STS 2.1.2's summation bounds (C integer division, truncating
 * toward zero).
 */
import type { Bits } from './bits.js';
import { applicable, notApplicable, type StsResult } from './result.js';
import { normalCdf } from './special.js';

function pValue(n: number, z: number): number {
  const sq = Math.sqrt(n);
  const nz = Math.trunc(n / z);
  let sum1 = 0;
  for (let k = Math.trunc((-nz + 1) / 4); k <= Math.trunc((nz - 1) / 4); k++) {
    sum1 += normalCdf(((4 * k + 1) * z) / sq) - normalCdf(((4 * k - 1) * z) / sq);
  }
  let sum2 = 0;
  for (let k = Math.trunc((-nz - 3) / 4); k <= Math.trunc((nz - 1) / 4); k++) {
    sum2 += normalCdf(((4 * k + 3) * z) / sq) - normalCdf(((4 * k + 1) * z) / sq);
  }
  return 1 - sum1 + sum2;
}

export function cumulativeSumsTest(bits: Bits): StsResult {
  const n = bits.length;
  if (n < 1) return notApplicable('cumulative-sums', 'empty sequence');
  let s = 0;
  let sup = 0;
  let inf = 0;
  for (let k = 0; k < n; k++) {
    s += bits[k] === 1 ? 1 : -1;
    if (s > sup) sup = s;
    if (s < inf) inf = s;
  }
  const forward = Math.max(sup, -inf);
  // The backward walk's extremes are those of S_n − S_k: sup − S_n and S_n − inf (and 0 ↔ the full sum).
  const backward = Math.max(sup - s, s - inf);
  if (forward === 0 || backward === 0) return notApplicable('cumulative-sums', 'walk never leaves 0');
  return applicable('cumulative-sums', [pValue(n, forward), pValue(n, backward)], ['forward', 'backward']);
}
