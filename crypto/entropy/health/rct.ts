/**
 * SP 800-90B §4.4.1 repetition count test: fires when one sample value repeats C times in a row, which a
 * source with min-entropy H per sample does with probability ≤ α. Two cutoffs run at once: α
 * (intermittent) and α² (permanent); a stuck source trips the first at its C-th identical sample.
 */
import type { HealthAlarm } from './alarm.js';
import { rctCutoff } from './cutoffs.js';

export class RepetitionCountTest {
  readonly intermittentCutoff: number;
  readonly permanentCutoff: number;
  #last = -1;
  private run = 0;
  private seen = 0;

  constructor(minEntropy: number, alphaLog2: number, bitsPerSample = 8) {
    this.intermittentCutoff = rctCutoff(minEntropy, alphaLog2, bitsPerSample);
    this.permanentCutoff = rctCutoff(minEntropy, 2 * alphaLog2, bitsPerSample);
  }

  /** Feeds one sample; returns an alarm when the run reaches a cutoff (each level once per run). */
  feed(sample: number): HealthAlarm | undefined {
    this.seen++;
    if (sample === this.#last) {
      this.run++;
    } else {
      this.#last = sample;
      this.run = 1;
    }
    if (this.run === this.permanentCutoff) return this.alarm('permanent', this.permanentCutoff);
    if (this.run === this.intermittentCutoff) return this.alarm('intermittent', this.intermittentCutoff);
    return undefined;
  }

  private alarm(level: HealthAlarm['level'], cutoff: number): HealthAlarm {
    return { test: 'repetition-count', level, observed: this.run, cutoff, sampleIndex: this.seen };
  }
}
