/**
 * The confidence bound every SP 800-90B §6.3 estimator shares: a probability estimated from a sample
 * is raised to the upper end of its 99 % confidence interval before it becomes an entropy, so that a
 * source is never credited with more than the data supports. z = Φ⁻¹(0.995), the constant the NIST
 * reference implementation (ea_non_iid) uses.
 */
export const Z_ALPHA = 2.5758293035489008;

/** p_u = min(1, p̂ + z·√(p̂(1−p̂)/(n−1))), §6.3.1 step 2 and its uses in §6.3.5–6.3.6. */
export function upperBound(pHat: number, n: number): number {
  return Math.min(1, pHat + Z_ALPHA * Math.sqrt((pHat * (1 - pHat)) / (n - 1)));
}

/** −log2(p), as +0 rather than −0 when p = 1 (so results compare and print cleanly). */
export function entropyOf(p: number): number {
  return Math.max(0, -Math.log2(p));
}

/** What one estimator concluded. `minEntropy` is per sample of the data it was given. */
export interface Estimate {
  /** e.g. 'MCV', 'Collision', 'Markov', 't-Tuple', 'LRS', 'MultiMCW', 'Lag', 'MultiMMC', 'LZ78Y'. */
  readonly estimator: string;
  /** The SP 800-90B section that specifies it. */
  readonly section: string;
  readonly minEntropy: number;
  /** The bounded probability the entropy came from (p_u, or the predictor's max(P_global', P_local)). */
  readonly p: number;
  /** The estimator's intermediate values, named as in the standard (for the evidence in docs/). */
  readonly detail: Readonly<Record<string, number>>;
}
