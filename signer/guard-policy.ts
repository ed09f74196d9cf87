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
 * With the PostgreSQL store, its time limits fit inside the node's wait: CometBFT's privval endpoint gives
 * a reply 5 s (defaultTimeoutReadWriteSeconds, privval/signer_endpoint.go) and then drops the link. A replica
 * that waited on the other's lock for the store's default 5 s would answer into a closed connection, and the
 * node would log a timeout rather than the refusal; 2 s for the lock and 2 s more for any reply from
 * PostgreSQL keep the answer (GUARD_LOCKED, GUARD_STORE_FAILED) inside the node's wait.
 */
import { cometbftProposalDecoder, cometbftVoteDecoder, type SigningGuardOptions } from '../consensus/index.js';

export const RECORD_DELAY_MS = 50;
/** How long a replica waits for the other's lock on a key before refusing (GUARD_LOCKED). */
export const SIGNER_PG_LOCK_TIMEOUT_MS = 2000;
/** A reply from PostgreSQL may take this much longer than the lock wait before the signing fails. */
export const SIGNER_PG_QUERY_MARGIN_MS = 2000;

export const SIGNER_GUARD_POLICY = Object.freeze({
  decoders: Object.freeze([cometbftVoteDecoder, cometbftProposalDecoder]),
  holdLocks: true,
  returnBeforeRecord: true,
  recordDelayMs: RECORD_DELAY_MS,
}) satisfies Partial<SigningGuardOptions>;
