/**
 * SP 800-90B §6.3.4, the Compression estimate (binary data only): Maurer's universal statistic on 6-bit
 * blocks — the mean log2 distance back to each block's previous occurrence, after a 1000-block
 * dictionary — bounded below at 99 % (with the standard's c = 0.5907 for σ̂), then solved for the p of
 * a distribution with one block of probability p and the other 63 equally likely. The estimate is
 * −log2(p)/6 per bit; if no p fits (the data compress no better than uniform), it is 1.
 */
import { Z_ALPHA, entropyOf } from './bound.js';
import type { Estimate } from './bound.js';

const B = 6;
const D = 1000;
const K = 1 << B;

/** Compensated summation: G adds up a million terms of very different sizes. */
class KahanSum {
  sum = 0;
  private c = 0;

  add(x: number): void {
    const y = x - this.c;
    const t = this.sum + y;
    this.c = t - this.sum - y;
    this.sum = t;
  }
}

/**
 * G(z) of §6.3.4 step 7, in O(blocks): with a_u = log2(u)·(1−z)^(u−1) and A_t = Σ_{u<t} a_u,
 * ν·G(z) = z²·Σ_{t=d+1..L} A_t + z·Σ_{t=d+1..L} a_t, and Σ_t A_t = (L−d)·A_{d+1} + Σ_{u=d+1..L−1} (L−u)·a_u.
 * Once (1−z)^(u−1) underflows the remaining terms are zero, and the sums stop there.
 */
export function compressionG(z: number, blocks: number): number {
  const nu = blocks - D;
  const decay = 1 - z;
  const a = new KahanSum();
  let power = decay; // (1 − z)^(u − 1) for u = 2
  for (let u = 2; u <= D; u++) {
    a.add(Math.log2(u) * power);
    power *= decay;
  }
  const aD1 = a.sum;
  const tail = new KahanSum();
  let truncated = false;
  for (let u = D + 1; u <= blocks - 1; u++) {
    const au = Math.log2(u) * power;
    a.add(au);
    const scaled = (blocks - u) * au;
    if (!(scaled > 0)) {
      truncated = true;
      break;
    }
    tail.add(scaled);
    power *= decay;
  }
  tail.add((blocks - D) * aD1);
  if (!truncated) a.add(Math.log2(blocks) * power);
  return (z * (z * tail.sum + (a.sum - aD1))) / nu;
}

/** Expected statistic for one block of probability p and 63 of probability (1 − p)/63. */
function expected(p: number, blocks: number): number {
  return compressionG(p, blocks) + (K - 1) * compressionG((1 - p) / (K - 1), blocks);
}

export function compressionEstimate(bits: Uint8Array): Estimate | undefined {
  const blocks = Math.floor(bits.length / B);
  if (blocks <= D) return undefined;
  const lastSeen = new Float64Array(K);
  const block = (i: number): number => {
    let v = 0;
    for (let j = 0; j < B; j++) v = (v << 1) | (bits[i * B + j]! & 1);
    return v;
  };
  for (let i = 0; i < D; i++) lastSeen[block(i)] = i + 1;
  const nu = blocks - D;
  const sum = new KahanSum();
  const squares = new KahanSum();
  for (let i = D; i < blocks; i++) {
    const v = block(i);
    const distance = Math.log2(i + 1 - lastSeen[v]!);
    sum.add(distance);
    squares.add(distance * distance);
    lastSeen[v] = i + 1;
  }
  const mean = sum.sum / nu;
  const sigma = 0.5907 * Math.sqrt(squares.sum / (nu - 1) - mean * mean);
  const meanBound = mean - (Z_ALPHA * sigma) / Math.sqrt(nu);

  let p = 1 / K;
  let minEntropy = 1;
  if (expected(1 / K, blocks) > meanBound) {
    // expected() falls as p rises; find where it meets the bound.
    let lo = 1 / K;
    let hi = 1;
    for (let i = 0; i < 1076; i++) {
      const mid = (lo + hi) / 2;
      if (mid <= lo || mid >= hi) break;
      if (meanBound < expected(mid, blocks)) lo = mid;
      else hi = mid;
    }
    if (hi > 1 / K) {
      p = hi;
      minEntropy = entropyOf(p) / B;
    }
  }
  return { estimator: 'Compression', section: '6.3.4', minEntropy, p, detail: { blocks, mean, sigma, meanBound } };
}
