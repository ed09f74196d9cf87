export type { EntropySource, EntropySourceKind, EntropySourceErrorCode } from './source.js';
export { EntropySourceError } from './source.js';
