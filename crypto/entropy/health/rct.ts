/**
 * SP 800-90B §4.4.1 repetition count test: fires when one sample value repeats C times in a row, which a
 * source with min-entropy H per sample does with probability ≤ α. Two cutoffs run at once: α
 * (intermittent) and α² (permanent); a stuck source trips the first at its C-th identical sample.
 * An alarm fires when the run length B reaches C or more (B ≥ C) and is latched: each level fires at most
 * once per run, and a new run (or `restart()`) clears the latches.
 */
import type { HealthAlarm } from './alarm.js';
import { rctCutoff } from './cutoffs.js';

export class RepetitionCountTest {
  readonly intermittentCutoff: number;
  readonly permanentCutoff: number;
  #last = -1;
  private run = 0;
  private seen = 0;
  private firedIntermittent = false;
  private firedPermanent = false;

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
      this.firedIntermittent = false;
      this.firedPermanent = false;
    }
    if (this.run >= this.permanentCutoff && !this.firedPermanent) {
      this.firedPermanent = this.firedIntermittent = true;
      return this.alarm('permanent', this.permanentCutoff);
    }
    if (this.run >= this.intermittentCutoff && !this.firedIntermittent) {
      this.firedIntermittent = true;
      return this.alarm('intermittent', this.intermittentCutoff);
    }
    return undefined;
  }

  /** Forgets the current run: the next sample starts a new one (after an alarm, for the retry read). */
  restart(): void {
    this.#last = -1;
    this.run = 0;
    this.firedIntermittent = false;
    this.firedPermanent = false;
  }

  private alarm(level: HealthAlarm['level'], cutoff: number): HealthAlarm {
    return { test: 'repetition-count', level, observed: this.run, cutoff, sampleIndex: this.seen };
  }
}
