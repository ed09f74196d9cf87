/**
 * What `hrng report` (and `hrng test`) put on the page: the SP 800-22 battery results over many
 * sequences with the §4.2 assessment, SP 800-90B estimates of the raw sources, and the generator's
 * health counters. `summarize` folds the per-slot assessment into one row per test — the data the
 * Markdown and HTML renderers share; it is pure, so both renderers show the same numbers.
 */
import type { HealthReport, stats } from '../../crypto/index.js';
import type { NonIidAssessment } from '../../crypto/entropy/index.js';

export interface EntropyEstimate {
  readonly source: string;
  readonly samples: number;
  readonly assessment: NonIidAssessment;
}

export interface ReportData {
  readonly title: string;
  readonly generatedAt: string;
  /** Where the bits came from: a file name, or 'rng' (the health-checked generator). */
  readonly input: string;
  readonly bitsPerSequence: number;
  readonly alpha: number;
  readonly results: readonly (readonly stats.TimedResult[])[];
  readonly assessment: readonly stats.SlotAssessment[];
  readonly wallSeconds: number;
  readonly entropy: readonly EntropyEstimate[];
  readonly health?: HealthReport;
}

export interface TestSummary {
  readonly test: stats.StsTestName;
  readonly slots: number;
  readonly sequences: number;
  /** The smallest proportion passing over the test's slots. */
  readonly minProportion: number;
  readonly range: readonly [number, number];
  readonly proportionFailures: number;
  /** Smallest P_T over the slots (undefined below 55 sequences). */
  readonly minUniformityP?: number;
  readonly uniformityFailures: number;
  /** P-values of every slot, in 10 bins. */
  readonly histogram: readonly number[];
  /** Mean thread time per sequence. */
  readonly ms: number;
  readonly verdict: 'pass' | 'fail' | 'not applicable';
}

export function summarize(data: ReportData): TestSummary[] {
  const order = data.results[0]?.map((r) => r.test) ?? [];
  return order.map((test) => {
    const slots = data.assessment.filter((a) => a.test === test);
    const ms = data.results.reduce((sum, seq) => sum + (seq.find((r) => r.test === test)?.ms ?? 0), 0) / Math.max(1, data.results.length);
    const histogram = new Array<number>(10).fill(0);
    for (const s of slots) {
      s.histogram.forEach((c, i) => {
        histogram[i] = (histogram[i] as number) + c;
      });
    }
    const uniform = slots.filter((s) => s.uniformityP !== undefined).map((s) => s.uniformityP as number);
    const proportionFailures = slots.filter((s) => !s.proportionOk).length;
    const uniformityFailures = slots.filter((s) => s.uniformityOk === false).length;
    const sequences = Math.max(0, ...slots.map((s) => s.sequences));
    const base = {
      test,
      slots: slots.length,
      sequences,
      minProportion: slots.length ? Math.min(...slots.map((s) => s.proportion)) : 0,
      range: slots[0]?.range ?? ([0, 1] as const),
      proportionFailures,
      uniformityFailures,
      histogram,
      ms,
      verdict: (slots.length === 0
        ? 'not applicable'
        : proportionFailures + uniformityFailures === 0
          ? 'pass'
          : 'fail') as TestSummary['verdict'],
    };
    return uniform.length ? { ...base, minUniformityP: Math.min(...uniform) } : base;
  });
}
