/**
 * How a signer service opens its double-sign guard (consensus/guard/signing-guard.ts), in one place so that
 * `hrng signer` and its benchmark run the same policy:
 * - CometBFT's canonical vote and proposal sign bytes are the only formats accepted;
 * - each key's lock is held from its first signing until close (a service owns its key);
 * - the reply leaves once the intent is durable and the signature exists, and the record follows once the
 *   key has been idle RECORD_DELAY_MS. CometBFT signs a height's prevote and precommit (and a proposal)
 *   within one or two network rounds, then waits out timeout_commit (1 s by default) for the next height:
 *   50 ms lets the record land in that wait rather than beside the next vote, and a vote that comes first
 *   supersedes it (the guard's header says why both are as safe as recording first).
 */
import { cometbftProposalDecoder, cometbftVoteDecoder, type SigningGuardOptions } from '../consensus/index.js';

export const RECORD_DELAY_MS = 50;

export const SIGNER_GUARD_POLICY = Object.freeze({
  decoders: Object.freeze([cometbftVoteDecoder, cometbftProposalDecoder]),
  holdLocks: true,
  returnBeforeRecord: true,
  recordDelayMs: RECORD_DELAY_MS,
}) satisfies Partial<SigningGuardOptions>;
