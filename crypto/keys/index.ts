export type { Signer, Verifier, SignatureScheme } from './signer.js';
export { keyIdOf } from './key-id.js';
