/**
 * dudect's cropping thresholds (dudect.c, `prepare_percentiles`): timing distributions have a long right
 * tail (interrupts, GC, frequency changes) that drowns a small shift of the bulk. dudect therefore also
 * runs the t-test on measurements below each of NUMBER_PERCENTILES thresholds, the i-th being the
 *
 *   pᵢ = 1 − 0.5^(10·(i+1)/NUMBER_PERCENTILES)
 *
 * percentile of a first batch of measurements (both classes together): p₀ ≈ 0.067, p₄₉ ≈ 0.969,
 * p₉₉ ≈ 0.999 — dense near the top, where tails are cut off one slice at a time.
 */
export const NUMBER_PERCENTILES = 100;

/** The fraction pᵢ kept by crop i. */
export function cropFraction(i: number, count: number = NUMBER_PERCENTILES): number {
  return 1 - 0.5 ** ((10 * (i + 1)) / count);
}

/** dudect's `percentile`: the element at ⌊size·p⌋ of the sorted samples (clamped to the last one). */
export function percentile(sorted: readonly number[] | Float64Array, p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no samples');
  const index = Math.min(sorted.length - 1, Math.floor(sorted.length * p));
  return sorted[index] as number;
}

/** The `count` crop thresholds for a batch of measurements (not modified; sorted on a copy). */
export function cropThresholds(samples: ArrayLike<number>, count: number = NUMBER_PERCENTILES): number[] {
  const sorted = Float64Array.from(samples).sort();
  return Array.from({ length: count }, (_, i) => percentile(sorted, cropFraction(i, count)));
}
