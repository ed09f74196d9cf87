/** The signer layer's argument checks: crypto/assert.ts bound to SIGNER_INVALID_ARGUMENT. */
import { assertionsFor } from '../crypto/assert.js';
import { SignerError } from './errors.js';

export const check = assertionsFor((m) => new SignerError('SIGNER_INVALID_ARGUMENT', m));
