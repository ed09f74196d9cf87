/**
 * What a failed SP 800-90B §4.4 health test reports. An alarm carries the test, the level, the observed
 * count and the cutoff — numbers an operator can act on, never the sample values themselves.
 */
export type HealthTestName = 'repetition-count' | 'adaptive-proportion' | 'stuck-block';

/**
 * `intermittent`: the count crossed the cutoff computed with α (one false alarm per ~2^30 samples from a
 * healthy source is expected and tolerated). `permanent`: it crossed the cutoff computed with α², which
 * a healthy source essentially never does — the source is quarantined.
 */
export type AlarmLevel = 'intermittent' | 'permanent';

export interface HealthAlarm {
  readonly test: HealthTestName;
  readonly level: AlarmLevel;
  /** Run length (RCT), count in the window (APT), or identical blocks in a row (stuck-block). */
  readonly observed: number;
  readonly cutoff: number;
  /** 1-based index, among all samples (or blocks) this tester has seen, of the one that fired. */
  readonly sampleIndex: number;
}
