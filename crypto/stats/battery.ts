/**
 * The SP 800-22 Rev. 1a battery: the 15 tests in the order STS 2.1.2 reports them, with its default
 * parameters (§2.x and the STS defaults: block frequency M = 128, templates m = 9, approximate entropy
 * m = 10, serial m = 16, linear complexity M = 500). Each test is timed, so a report can say where the time
 * went. Pure computation: no randomness, no I/O.
 */
import type { Bits } from './bits.js';
import { checkBits } from './bits.js';
import { cumulativeSumsTest } from './cumulative-sums.js';
import { dftTest } from './dft.js';
import { blockFrequencyTest, frequencyTest } from './frequency.js';
import { linearComplexityTest } from './linear-complexity.js';
import { rankTest } from './rank.js';
import { randomExcursionsTest, randomExcursionsVariantTest } from './random-excursions.js';
import type { StsResult, StsTestName } from './result.js';
import { longestRunTest, runsTest } from './runs.js';
import { approximateEntropyTest, serialTest } from './serial.js';
import { nonOverlappingTemplateTest, overlappingTemplateTest } from './templates.js';
import { universalTest } from './universal.js';

export interface StsParameters {
  readonly blockFrequencyM: number;
  readonly nonOverlappingM: number;
  readonly overlappingM: number;
  readonly approximateEntropyM: number;
  readonly serialM: number;
  readonly linearComplexityM: number;
}

/** The STS 2.1.2 defaults, which Appendix B's results were computed with. */
export const STS_DEFAULT_PARAMETERS: StsParameters = Object.freeze({
  blockFrequencyM: 128,
  nonOverlappingM: 9,
  overlappingM: 9,
  approximateEntropyM: 10,
  serialM: 16,
  linearComplexityM: 500,
});

export interface TimedResult extends StsResult {
  readonly ms: number;
}

type Runner = (bits: Bits, p: StsParameters) => StsResult;

const RUNNERS: Readonly<Record<StsTestName, Runner>> = {
  frequency: (b) => frequencyTest(b),
  'block-frequency': (b, p) => blockFrequencyTest(b, p.blockFrequencyM),
  'cumulative-sums': (b) => cumulativeSumsTest(b),
  runs: (b) => runsTest(b),
  'longest-run': (b) => longestRunTest(b),
  rank: (b) => rankTest(b),
  dft: (b) => dftTest(b),
  'non-overlapping-template': (b, p) => nonOverlappingTemplateTest(b, p.nonOverlappingM),
  'overlapping-template': (b, p) => overlappingTemplateTest(b, p.overlappingM),
  universal: (b) => universalTest(b),
  'approximate-entropy': (b, p) => approximateEntropyTest(b, p.approximateEntropyM),
  'random-excursions': (b) => randomExcursionsTest(b),
  'random-excursions-variant': (b) => randomExcursionsVariantTest(b),
  serial: (b, p) => serialTest(b, p.serialM),
  'linear-complexity': (b, p) => linearComplexityTest(b, p.linearComplexityM),
};

export interface BatteryOptions {
  readonly parameters?: Partial<StsParameters>;
  /** Run only these tests (default: all 15). */
  readonly tests?: readonly StsTestName[];
  /** A monotonic millisecond clock for the per-test times (default performance.now). */
  readonly now?: () => number;
}

/** Runs the battery on one sequence. */
export function runBattery(bits: Bits, options: BatteryOptions = {}): TimedResult[] {
  checkBits(bits);
  const p: StsParameters = { ...STS_DEFAULT_PARAMETERS, ...options.parameters };
  const now = options.now ?? (() => performance.now());
  const names = options.tests ?? (Object.keys(RUNNERS) as StsTestName[]);
  return names.map((name) => {
    const t0 = now();
    const r = RUNNERS[name](bits, p);
    return { ...r, ms: now() - t0 };
  });
}
