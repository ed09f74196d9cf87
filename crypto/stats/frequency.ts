/**
 * SP 800-22 Rev. 1a §2.1 (frequency / monobit) and §2.2 (frequency within a block).
 * §2.1: S_n = Σ(2ε_i − 1), P = erfc(|S_n| / √(2n)). §2.2: χ² = 4M Σ(π_i − ½)², P = igamc(N/2, χ²/2),
 * N = ⌊n/M⌋ blocks (the tail is discarded). Not supported: n below the §2.x.7 recommendations is tested all
 * the same (the minimum lengths are advice, and the battery records n).
 */
import type { Bits } from './bits.js';
import { applicable, notApplicable, type StsResult } from './result.js';
import { erfc, igamc } from './special.js';

export function frequencyTest(bits: Bits): StsResult {
  const n = bits.length;
  let ones = 0;
  for (let i = 0; i < n; i++) ones += bits[i] as number;
  const s = 2 * ones - n;
  return applicable('frequency', [erfc(Math.abs(s) / Math.sqrt(n) / Math.SQRT2)], ['']);
}

export function blockFrequencyTest(bits: Bits, blockLength = 128): StsResult {
  const blocks = Math.floor(bits.length / blockLength);
  if (blocks < 1) return notApplicable('block-frequency', `n = ${bits.length} < M = ${blockLength}`);
  let sum = 0;
  for (let b = 0; b < blocks; b++) {
    let ones = 0;
    const start = b * blockLength;
    for (let j = 0; j < blockLength; j++) ones += bits[start + j] as number;
    const v = ones / blockLength - 0.5;
    sum += v * v;
  }
  const chi2 = 4 * blockLength * sum;
  return applicable('block-frequency', [igamc(blocks / 2, chi2 / 2)], [`M=${blockLength}`]);
}
