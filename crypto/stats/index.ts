/**
 * crypto/stats: NIST SP 800-22 Rev. 1a — the 15 statistical tests, the battery, and the §4.2 assessment
 * over many sequences. Not a test of entropy: a sequence from a DRBG passes whatever its seed; SP 800-90B
 * estimates (crypto/entropy/assessment) are what say how much entropy a raw source has.
 */
export type { Bits } from './bits.js';
export { bitsFromAscii, bitsFromBytes } from './bits.js';
export { STS_TEST_NAMES } from './result.js';
export type { StsResult, StsTestName } from './result.js';
export { runBattery, STS_DEFAULT_PARAMETERS } from './battery.js';
export type { BatteryOptions, StsParameters, TimedResult } from './battery.js';
export { runBatteryParallel } from './parallel.js';
export type { ParallelOptions } from './parallel.js';
export { assessBattery, proportionRange, uniformityPValue, MIN_SEQUENCES_FOR_UNIFORMITY, UNIFORMITY_THRESHOLD } from './assessment.js';
export type { SlotAssessment } from './assessment.js';
export { frequencyTest, blockFrequencyTest } from './frequency.js';
export { runsTest, longestRunTest } from './runs.js';
export { rankTest } from './rank.js';
export { dftTest } from './dft.js';
export { nonOverlappingTemplateTest, overlappingTemplateTest, aperiodicTemplates } from './templates.js';
export { universalTest } from './universal.js';
export { linearComplexityTest } from './linear-complexity.js';
export { serialTest, approximateEntropyTest } from './serial.js';
export { cumulativeSumsTest } from './cumulative-sums.js';
export { randomExcursionsTest, randomExcursionsVariantTest } from './random-excursions.js';
