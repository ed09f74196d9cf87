/**
 * hardened-rng's public surface: everything an application imports comes from here.
 */
export { HardenedRngError } from './errors.js';
export type { Logger } from './log.js';
export { silentLogger } from './log.js';
export type { Clock } from './clock.js';
export type { HashName } from './hash.js';
export { HASH_NAMES, UnknownHashError } from './hash.js';
export { systemClock } from './clock.js';
export * from './drbg/index.js';
export * from './kdf/index.js';
export * from './entropy/index.js';
export * from './secret/index.js';
export * as ct from './ct/index.js';
export * from './mac/index.js';
export * from './keys/index.js';
export * as stats from './stats/index.js';
