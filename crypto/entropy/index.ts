export type { EntropySource, EntropySourceKind, EntropySourceErrorCode } from './source.js';
export { EntropySourceError } from './source.js';
export * from './sources/index.js';
export * from './health/index.js';
export { EntropyPool, DEFAULT_POOL_POLICY, CONDITIONING_MARGIN_BITS, contributionDigest, hashDf } from './pool.js';
export type { PoolPolicy, PoolDraw, PoolOptions, Contribution } from './pool.js';
export { EntropyConfigError, InsufficientEntropyError } from './pool-errors.js';
