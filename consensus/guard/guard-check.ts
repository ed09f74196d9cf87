/** The guard's argument checks: crypto/assert.ts bound to CONSENSUS_INVALID_ARGUMENT. */
import { assertionsFor } from '../../crypto/assert.js';
import { ConsensusError } from '../errors.js';

export const check = assertionsFor((m) => new ConsensusError('CONSENSUS_INVALID_ARGUMENT', m));
