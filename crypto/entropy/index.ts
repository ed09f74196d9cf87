/**
 * `hardened-rng/entropy`: the entropy layer's internals for those who build on it — the source contract
 * and the built-in sources, the SP 800-90B health tests, the conditioning pool, and the SP 800-90B §6.3
 * estimators with the §3.1.4 restart sanity check. Applications need none of it to use `Rng`.
 */
export type { EntropySource, EntropySourceKind } from './source.js';
export { EntropySourceError, InsufficientEntropyError } from '../errors.js';
export type { EntropySourceErrorCode } from '../errors.js';
export * from './sources/index.js';
export * from './health/index.js';
export { EntropyPool, DEFAULT_POOL_POLICY, CONDITIONING_MARGIN_BITS, contributionDigest, hashDf } from './pool.js';
export type { PoolPolicy, PoolDraw, PoolOptions, Contribution } from './pool.js';
export * from './assessment/index.js';
