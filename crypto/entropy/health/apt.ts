/**
 * SP 800-90B §4.4.2 adaptive proportion test: in each window of W samples, the first sample is the
 * reference A and B counts its occurrences (A itself included); the test fires when B reaches
 * C = 1 + CRITBINOM(W, 2^-H, 1 − α). Windows do not overlap. Catches a source whose most likely value
 * became more likely than its assessed H allows (bias), which the RCT misses when values alternate.
 * An alarm fires when B ≥ C and is latched: each level fires at most once per window, and a new window
 * (or `restart()`) clears the latches.
 */
import type { HealthAlarm } from './alarm.js';
import { APT_WINDOW_BINARY, APT_WINDOW_NON_BINARY, aptCutoff } from './cutoffs.js';

export class AdaptiveProportionTest {
  readonly window: number;
  readonly intermittentCutoff: number;
  readonly permanentCutoff: number;
  #reference = -1;
  private count = 0;
  private position = 0;
  private seen = 0;
  private firedIntermittent = false;
  private firedPermanent = false;

  constructor(minEntropy: number, alphaLog2: number, bitsPerSample = 8) {
    this.window = bitsPerSample === 1 ? APT_WINDOW_BINARY : APT_WINDOW_NON_BINARY;
    this.intermittentCutoff = aptCutoff(minEntropy, alphaLog2, this.window, bitsPerSample);
    this.permanentCutoff = aptCutoff(minEntropy, 2 * alphaLog2, this.window, bitsPerSample);
  }

  feed(sample: number): HealthAlarm | undefined {
    this.seen++;
    if (this.position === this.window) this.position = 0;
    if (this.position === 0) {
      this.#reference = sample;
      this.count = 1;
      this.firedIntermittent = false;
      this.firedPermanent = false;
    } else if (sample === this.#reference) {
      this.count++;
    } else {
      this.position++;
      return undefined;
    }
    this.position++;
    if (this.count >= this.permanentCutoff && !this.firedPermanent) {
      this.firedPermanent = this.firedIntermittent = true;
      return this.alarm('permanent', this.permanentCutoff);
    }
    if (this.count >= this.intermittentCutoff && !this.firedIntermittent) {
      this.firedIntermittent = true;
      return this.alarm('intermittent', this.intermittentCutoff);
    }
    return undefined;
  }

  /** Abandons the current window: the next sample is the reference of a fresh one. */
  restart(): void {
    this.#reference = -1;
    this.count = 0;
    this.position = 0;
    this.firedIntermittent = false;
    this.firedPermanent = false;
  }

  private alarm(level: HealthAlarm['level'], cutoff: number): HealthAlarm {
    return { test: 'adaptive-proportion', level, observed: this.count, cutoff, sampleIndex: this.seen };
  }
}
