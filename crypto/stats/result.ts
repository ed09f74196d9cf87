/**
 * What one SP 800-22 test reports for one sequence: its P-values (one for most tests; two for serial and
 * cumulative sums; one per template, or per state for the random excursion tests), or that it does not
 * apply to this sequence (too short, the runs prerequisite failed, too few cycles) and why.
 */
export const STS_TEST_NAMES = [
  'frequency',
  'block-frequency',
  'cumulative-sums',
  'runs',
  'longest-run',
  'rank',
  'dft',
  'non-overlapping-template',
  'overlapping-template',
  'universal',
  'approximate-entropy',
  'random-excursions',
  'random-excursions-variant',
  'serial',
  'linear-complexity',
] as const;

export type StsTestName = (typeof STS_TEST_NAMES)[number];

export interface StsResult {
  readonly test: StsTestName;
  /** Empty when not applicable. */
  readonly pValues: readonly number[];
  /** What each P-value is (e.g. 'forward', 'x=+1', a template), same order as pValues. */
  readonly labels: readonly string[];
  readonly applicable: boolean;
  /** Why the test does not apply; absent when it does. */
  readonly reason?: string;
}

export function applicable(test: StsTestName, pValues: readonly number[], labels: readonly string[]): StsResult {
  return { test, pValues, labels, applicable: true };
}

export function notApplicable(test: StsTestName, reason: string): StsResult {
  return { test, pValues: [], labels: [], applicable: false, reason };
}
