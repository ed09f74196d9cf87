/**
 * Cutoffs of the SP 800-90B §4.4 continuous health tests, computed from the assessed min-entropy H per
 * sample and the false-positive probability α.
 *
 * α is given as its base-2 logarithm (−30 means α = 2^-30) so that the permanent level α² (−60) stays
 * exact: 1 − 2^-60 is 1 in a double, so CRITBINOM(W, p, 1 − α) is evaluated as the smallest k whose
 * binomial upper tail P(X > k) is ≤ α, summed in log space. That reproduces SP 800-90B Table 2
 * (α = 2^-20) and jitterentropy's tables for 2^-30 / 2^-60 (see the unit tests).
 */
import { CryptoError } from '../../errors.js';

/** SP 800-90B §4.4.2: the window is 1024 for binary samples and 512 for all others. */
export const APT_WINDOW_NON_BINARY = 512;
export const APT_WINDOW_BINARY = 1024;

function checkEntropy(minEntropy: number, bitsPerSample: number): void {
  if (!Number.isFinite(minEntropy) || minEntropy <= 0 || minEntropy > bitsPerSample) {
    throw new CryptoError('CRYPTO_INVALID_ARGUMENT', `min-entropy per sample must be in (0, ${bitsPerSample}], got ${minEntropy}`);
  }
}

function checkAlpha(alphaLog2: number): void {
  if (!Number.isInteger(alphaLog2) || alphaLog2 >= 0 || alphaLog2 < -1000) {
    throw new CryptoError('CRYPTO_INVALID_ARGUMENT', `alphaLog2 must be a negative integer (α = 2^alphaLog2), got ${alphaLog2}`);
  }
}

/**
 * SP 800-90B §4.4.1: C = 1 + ⌈−log2(α) / H⌉. The quotient is rounded to 1e-9 first so that a quotient
 * that is an integer on paper (30 / 0.3) is not pushed to the next integer by binary rounding.
 */
export function rctCutoff(minEntropy: number, alphaLog2: number, bitsPerSample = 8): number {
  checkEntropy(minEntropy, bitsPerSample);
  checkAlpha(alphaLog2);
  const quotient = Math.round((-alphaLog2 / minEntropy) * 1e9) / 1e9;
  return 1 + Math.ceil(quotient);
}

/** ln(e^a + e^b) without overflow; shared with the restart test's binomial tails. */
export function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const hi = Math.max(a, b);
  return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
}

/**
 * CRITBINOM(n, p, 1 − α): the smallest k with P(X ≤ k) ≥ 1 − α for X ~ Binomial(n, p), found as the
 * smallest k with ln P(X > k) ≤ ln α.
 */
export function critBinom(n: number, p: number, alphaLog2: number): number {
  if (!Number.isInteger(n) || n < 1) throw new CryptoError('CRYPTO_INVALID_ARGUMENT', `n must be a positive integer, got ${n}`);
  if (!(p > 0 && p < 1)) throw new CryptoError('CRYPTO_INVALID_ARGUMENT', `p must be in (0, 1), got ${p}`);
  checkAlpha(alphaLog2);
  const lnAlpha = alphaLog2 * Math.LN2;
  const lnP = Math.log(p);
  const lnQ = Math.log1p(-p);
  const lnFact = [0];
  for (let i = 1; i <= n; i++) lnFact.push((lnFact[i - 1] ?? 0) + Math.log(i));
  const lnPmf = (j: number): number => (lnFact[n] ?? 0) - (lnFact[j] ?? 0) - (lnFact[n - j] ?? 0) + j * lnP + (n - j) * lnQ;
  // Walk down from the top: `tail` is ln P(X > k) for the current k.
  let tail = -Infinity;
  for (let k = n - 1; k >= 0; k--) {
    const next = logAdd(tail, lnPmf(k + 1));
    if (next > lnAlpha) return k + 1;
    tail = next;
  }
  return 0;
}

const aptCutoffs = new Map<string, number>();

/**
 * SP 800-90B §4.4.2: C = 1 + CRITBINOM(W, 2^-H, 1 − α), capped at W so that the test can always fail
 * (FIPS 140-2 IG 7.19: a cutoff the count cannot reach is no test at all).
 */
export function aptCutoff(minEntropy: number, alphaLog2: number, window: number = APT_WINDOW_NON_BINARY, bitsPerSample = 8): number {
  checkEntropy(minEntropy, bitsPerSample);
  // Pure, and every health-test constructor asks for the same few (H, α, W): remembered, because the
  // binomial walk over W log-factorials was ~3 % of a simulation run that builds generators per scenario.
  const key = `${minEntropy}|${alphaLog2}|${window}`;
  const known = aptCutoffs.get(key);
  if (known !== undefined) return known;
  const cutoff = Math.min(window, 1 + critBinom(window, 2 ** -minEntropy, alphaLog2));
  if (aptCutoffs.size >= 256) aptCutoffs.clear(); // bounded: a caller sweeping H cannot grow it without end
  aptCutoffs.set(key, cutoff);
  return cutoff;
}
