/**
 * SP 800-22 Rev. 1a §2.13: cumulative sums, forward (mode 0) and backward (mode 1), z = max |S_k| of the
 * ±1 walk; P from the §2.13.4 series with STS 2.1.2's summation bounds (C integer division, truncating
 * toward zero). Sequences under 100 bits are not applicable (§2.13.7).
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
  // §2.13.7 recommends n ≥ 100; below that the truncated series of §2.13.4 is not a probability (n = 8,
  // bits 10100101, gives 1.0105).
  if (n < 100) return notApplicable('cumulative-sums', `sequence of ${n} bits; the test needs at least 100 (§2.13.7)`);
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
