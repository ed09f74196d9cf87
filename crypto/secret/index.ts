export { Secret } from './secret.js';
export type { SecretOptions, SecretFromOptions } from './secret.js';
export { SecretDisposedError, SecretArgumentError } from './errors.js';
export type { SecretDisposalReason } from './errors.js';
