export { Secret } from './secret.js';
export type { SecretOptions, SecretFromOptions, SecretRandomOptions, SecretDeriveOptions } from './secret.js';
export { refuseDeterministic } from './deterministic.js';
export type { DeterministicConsent } from './deterministic.js';
export { SecretDisposedError } from '../errors.js';
export type { SecretDisposalReason } from '../errors.js';
