/**
 * hardened-rng's root entry: what an application needs — the generator (`Rng`), the DRBG mechanism,
 * HKDF, HMAC, `Secret`, the constant-time helpers, validator keys, and the error root with the `crypto/`
 * layer's codes. Entropy internals (sources, health tests, the pool, the estimators) are behind
 * `hardened-rng/entropy`; the deterministic generator for simulations is behind `hardened-rng/testing`.
 * tests/unit/drbg/public-surface.test.ts snapshots this list, so a change to it is deliberate.
 */
export { HardenedRngError, CryptoError, CRYPTO_ERROR_CODES, RngFailedError, WebCryptoError } from './errors.js';
export type { CryptoErrorCode, ErrorCodeTable } from './errors.js';
export type { Logger } from './log.js';
export { silentLogger } from './log.js';
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export type { HashName } from './hash.js';
export { HASH_NAMES, UnknownHashError } from './hash.js';
export * from './drbg/index.js';
export * from './kdf/index.js';
export * from './secret/index.js';
export * as ct from './ct/index.js';
export * from './mac/index.js';
export * from './keys/index.js';
export * as sharing from './sharing/index.js';
export * as stats from './stats/index.js';
