/**
 * SP 800-22 Rev. 1a §2.9: Maurer's "universal statistical" test. L from n as STS 2.1.2 picks it (6 for
 * n ≥ 387 840 … 16), Q = 10·2^L initialization blocks, K = ⌊n/L⌋ − Q test blocks; f_n = mean log2 of the
 * distance to each block's previous occurrence; c(L, K) and the §2.9.4 expected values and variances.
 * n < 387 840 (L < 6) is not applicable, as in STS.
 */
import type { Bits } from './bits.js';
import { applicable, notApplicable, type StsResult } from './result.js';
import { erfc } from './special.js';

const EXPECTED = [
  0, 0, 0, 0, 0, 0, 5.2177052, 6.1962507, 7.1836656, 8.1764248, 9.1723243, 10.170032, 11.168765, 12.16807, 13.167693, 14.167488, 15.167379,
];
const VARIANCE = [0, 0, 0, 0, 0, 0, 2.954, 3.125, 3.238, 3.311, 3.356, 3.384, 3.401, 3.41, 3.416, 3.419, 3.421];
const THRESHOLDS = [387840, 904960, 2068480, 4654080, 10342400, 22753280, 49643520, 107560960, 231669760, 496435200, 1059061760];

export function universalTest(bits: Bits): StsResult {
  const n = bits.length;
  let l = 5;
  for (const t of THRESHOLDS) if (n >= t) l++;
  if (l < 6) return notApplicable('universal', `n = ${n} < 387840`);
  const q = 10 * 2 ** l;
  const k = Math.floor(n / l) - q;
  const c = 0.7 - 0.8 / l + ((4 + 32 / l) * k ** (-3 / l)) / 15;
  const sigma = c * Math.sqrt((VARIANCE[l] as number) / k);
  const table = new Float64Array(2 ** l);
  const word = (i: number): number => {
    let v = 0;
    const s = (i - 1) * l;
    for (let j = 0; j < l; j++) v = v * 2 + (bits[s + j] as number);
    return v;
  };
  for (let i = 1; i <= q; i++) table[word(i)] = i;
  let sum = 0;
  for (let i = q + 1; i <= q + k; i++) {
    const v = word(i);
    sum += Math.log2(i - (table[v] as number));
    table[v] = i;
  }
  const phi = sum / k;
  const arg = Math.abs(phi - (EXPECTED[l] as number)) / (Math.SQRT2 * sigma);
  return applicable('universal', [erfc(arg)], [`L=${l},Q=${q}`]);
}
