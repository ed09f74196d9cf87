export type { RandomSource } from './random-source.js';
export { HmacDrbg } from './hmac-drbg.js';
export type { DrbgHash, HmacDrbgOptions } from './hmac-drbg.js';
export { runSelfTests, selfTest } from './self-test.js';
export type { SelfTestResult } from './self-test.js';
export {
  DrbgError,
  DrbgEntropyTooShortError,
  DrbgNonceTooShortError,
  DrbgRequestOutOfRangeError,
  DrbgInputTooLongError,
  DrbgReseedRequiredError,
  DrbgDestroyedError,
  DrbgInvalidArgumentError,
  SelfTestError,
} from './drbg-errors.js';
export { Rng, DEFAULT_RNG_POLICY } from './rng.js';
export type { RngOptions, RngPolicy, RngCounters, RngEvents, HealthReport } from './rng.js';
export type { RngState, RngStateChange, SeedProvenance, SeedPurpose, SourceReport } from './monitor.js';
export { RngFailedError, RngDestroyedError, RngRequestError, QuotaExceededError, TypeMismatchError } from './rng-errors.js';
export { DeterministicRng } from './deterministic.js';
export type { DeterministicRngOptions } from './deterministic.js';
