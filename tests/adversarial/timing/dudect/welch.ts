/**
 * Welch's t-test between two classes of samples, updated online with Welford's algorithm — as dudect's
 * `t_push`/`t_compute` (Reparaz, Balasch, Verbauwhede, "Dude, is my code constant time?", DATE 2017).
 *
 *   t = (mean₀ − mean₁) / √(s₀²/n₀ + s₁²/n₁),  s² the unbiased sample variance.
 *
 * Welford's update (mean += δ/n; M2 += δ·(x − mean)) keeps the variance exact to rounding over millions of
 * samples, where the naive Σx² − (Σx)²/n would cancel catastrophically on nanosecond timings.
 */
export type SampleClass = 0 | 1;

export class WelchTTest {
  readonly #n: [number, number] = [0, 0];
  readonly #mean: [number, number] = [0, 0];
  readonly #m2: [number, number] = [0, 0];

  push(cls: SampleClass, x: number): void {
    const n = this.#n[cls] + 1;
    const delta = x - this.#mean[cls];
    const mean = this.#mean[cls] + delta / n;
    this.#n[cls] = n;
    this.#mean[cls] = mean;
    this.#m2[cls] += delta * (x - mean);
  }

  count(cls: SampleClass): number {
    return this.#n[cls];
  }

  /** Samples in both classes together. */
  get n(): number {
    return this.#n[0] + this.#n[1];
  }

  mean(cls: SampleClass): number {
    return this.#mean[cls];
  }

  /** Unbiased sample variance s² of a class; NaN with fewer than two samples. */
  variance(cls: SampleClass): number {
    const n = this.#n[cls];
    return n < 2 ? Number.NaN : this.#m2[cls] / (n - 1);
  }

  /**
   * Welch's t statistic. 0 when either class has fewer than two samples (no evidence either way);
   * ±Infinity when both classes are constant but differ.
   */
  t(): number {
    if (this.#n[0] < 2 || this.#n[1] < 2) return 0;
    const diff = this.#mean[0] - this.#mean[1];
    const se = Math.sqrt(this.variance(0) / this.#n[0] + this.variance(1) / this.#n[1]);
    if (se === 0) return diff === 0 ? 0 : diff > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    return diff / se;
  }
}
