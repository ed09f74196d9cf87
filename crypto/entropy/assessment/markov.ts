/**
 * SP 800-90B §6.3.3, the Markov estimate (binary data only): a first-order Markov model of the bits,
 * and the probability of the most likely 128-bit sequence under it (of the six candidate shapes
 * §6.3.3 step 4 lists); the estimate is that sequence's min-entropy per bit, at most 1.
 */
import { CryptoError } from '../../errors.js';
import type { Estimate } from './bound.js';

export function markovEstimate(bits: Uint8Array): Estimate {
  const n = bits.length;
  if (n < 2) throw new CryptoError('CRYPTO_INVALID_ARGUMENT', 'markov estimate: too few samples');
  let c0 = 0;
  let c00 = 0;
  let c10 = 0;
  for (let i = 0; i < n - 1; i++) {
    if (bits[i] === 0) {
      c0++;
      if (bits[i + 1] === 0) c00++;
    } else if (bits[i + 1] === 0) c10++;
  }
  const c1 = n - 1 - c0;
  const p00 = c0 > 0 ? c00 / c0 : 0;
  const p01 = c0 > 0 ? 1 - p00 : 0;
  const p10 = c1 > 0 ? c10 / c1 : 0;
  const p11 = c1 > 0 ? 1 - p10 : 0;
  if (bits[n - 1] === 0) c0++;
  const p0 = c0 / n;
  const p1 = 1 - p0;
  const lg = Math.log2;
  // −log2 of each candidate 128-bit sequence's probability; a transition that never occurred rules
  // its sequences out.
  const candidates: number[] = [];
  if (p00 > 0) candidates.push(-lg(p0) - 127 * lg(p00)); // 00…0
  if (p01 > 0 && p10 > 0) candidates.push(-lg(p0) - 64 * lg(p01) - 63 * lg(p10)); // 0101…01
  if (p01 > 0 && p11 > 0) candidates.push(-lg(p0) - lg(p01) - 126 * lg(p11)); // 011…1
  if (p10 > 0 && p00 > 0) candidates.push(-lg(p1) - lg(p10) - 126 * lg(p00)); // 100…0
  if (p10 > 0 && p01 > 0) candidates.push(-lg(p1) - 64 * lg(p10) - 63 * lg(p01)); // 1010…10
  if (p11 > 0) candidates.push(-lg(p1) - 127 * lg(p11)); // 11…1
  const hMin = Math.min(128, ...candidates);
  const minEntropy = Math.max(0, Math.min(hMin / 128, 1));
  return {
    estimator: 'Markov',
    section: '6.3.3',
    minEntropy,
    p: 2 ** -hMin,
    detail: { p0, p1, p00, p01, p10, p11, hMin },
  };
}
