/**
 * The generators (SP 800-90A HMAC_DRBG and the policy-holding `Rng`). The deterministic generator is not
 * exported here: it lives behind `hardened-rng/testing` (crypto/testing.ts), so production code that
 * imports the package root cannot pick it up by accident.
 */
export type { RandomSource } from './random-source.js';
export { HmacDrbg } from './hmac-drbg.js';
export type { DrbgHash, HmacDrbgOptions } from './hmac-drbg.js';
export { runSelfTests, runSelfTestsFor, selfTest } from './self-test.js';
export type { SelfTestResult } from './self-test.js';
export { Rng, DEFAULT_RNG_POLICY } from './rng.js';
export type { RngOptions, RngPolicy, RngCounters, RngEvents, HealthReport, CloneSafety } from './rng.js';
export type { RngState, RngStateChange, SeedProvenance, SeedPurpose, SourceReport } from './monitor.js';
