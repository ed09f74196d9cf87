/**
 * dudect's battery of t-tests over one stream of measurements (dudect.c `update_statistics`,
 * `max_test`, `report`): the uncropped test, one test per cropping threshold, and a second-order test on
 * the centred square (x − mean_class)², which sees a class-dependent *spread* rather than a shift.
 * The verdict statistic is the largest |t| among the tests that hold enough measurements.
 *
 * One deliberate difference: dudect counts a test once class 0 alone has 10 000 samples and starts the
 * second-order test then; here a test counts once both classes together reach `minMeasurements`
 * (10 000 by default), and the second-order test starts once the uncropped test does.
 */
import { cropFraction, NUMBER_PERCENTILES } from './percentiles.js';
import { WelchTTest, type SampleClass } from './welch.js';

export const ENOUGH_MEASUREMENTS = 10_000;

export interface TestStatistic {
  /** 'uncropped', 'crop i (p=…)' or 'second-order'. */
  readonly test: string;
  readonly t: number;
  readonly n: number;
}

export interface DudectSummary {
  /** Measurements in the uncropped test (every measurement after the discarded first batch). */
  readonly measurements: number;
  /** Whether the uncropped test has reached `minMeasurements`: before that there is no verdict. */
  readonly enough: boolean;
  /** Largest |t| over the tests with enough measurements (0 if none). */
  readonly maxAbsT: number;
  /** The test that produced it, with its signed t and its own n. */
  readonly maxTest: TestStatistic;
  /** |t| / √n of that test: the effect size, independent of how long we measured. */
  readonly tau: number;
  /** (5/τ)²: about how many measurements it would take that effect to reach |t| = 5. */
  readonly measurementsForT5: number;
  readonly uncroppedT: number;
  readonly secondOrderT: number;
}

export class DudectAnalysis {
  readonly #thresholds: readonly number[];
  readonly #uncropped = new WelchTTest();
  readonly #crops: WelchTTest[];
  readonly #secondOrder = new WelchTTest();
  readonly #minMeasurements: number;

  constructor(thresholds: readonly number[], minMeasurements: number = ENOUGH_MEASUREMENTS) {
    this.#thresholds = thresholds.slice();
    this.#crops = thresholds.map(() => new WelchTTest());
    this.#minMeasurements = minMeasurements;
  }

  push(cls: SampleClass, x: number): void {
    this.#uncropped.push(cls, x);
    for (let i = 0; i < this.#thresholds.length; i++) {
      if (x < (this.#thresholds[i] as number)) (this.#crops[i] as WelchTTest).push(cls, x);
    }
    if (this.#uncropped.n > this.#minMeasurements) {
      const centred = x - this.#uncropped.mean(cls);
      this.#secondOrder.push(cls, centred * centred);
    }
  }

  summary(): DudectSummary {
    const all: TestStatistic[] = [
      { test: 'uncropped', t: this.#uncropped.t(), n: this.#uncropped.n },
      ...this.#crops.map((c, i) => ({
        test: `crop ${i} (p=${cropFraction(i, this.#thresholds.length).toFixed(3)})`,
        t: c.t(),
        n: c.n,
      })),
      { test: 'second-order', t: this.#secondOrder.t(), n: this.#secondOrder.n },
    ];
    let best: TestStatistic = { test: 'none', t: 0, n: 0 };
    for (const s of all) {
      if (s.n >= this.#minMeasurements && Math.abs(s.t) > Math.abs(best.t)) best = s;
    }
    const maxAbsT = Math.abs(best.t);
    const tau = best.n > 0 ? maxAbsT / Math.sqrt(best.n) : 0;
    return {
      measurements: this.#uncropped.n,
      enough: this.#uncropped.n >= this.#minMeasurements,
      maxAbsT,
      maxTest: best,
      tau,
      measurementsForT5: tau > 0 ? (5 / tau) ** 2 : Number.POSITIVE_INFINITY,
      uncroppedT: this.#uncropped.t(),
      secondOrderT: this.#secondOrder.t(),
    };
  }
}

export { NUMBER_PERCENTILES };
