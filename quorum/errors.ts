/**
 * The `quorum/` layer's error codes (agents, aggregator, protocol) and its one error class.
 */
import { HardenedRngError, type ErrorCodeTable } from '../crypto/errors.js';
import { assertionsFor } from '../crypto/assert.js';

export const QUORUM_ERROR_CODES = {
  QUORUM_INVALID_ARGUMENT: 'an argument has the wrong type, length or range; the message names it',
  QUORUM_MALFORMED_MESSAGE: 'a protocol message that is not well-formed JSON of a known type and shape',
  QUORUM_BAD_SIGNATURE: "a message whose Ed25519 signature does not verify under the sender's enrolled key",
  QUORUM_NOT_ENROLLED: 'a message from an agent the aggregator has not enrolled (or has revoked)',
  QUORUM_IDENTITY_MISMATCH: "the TLS client certificate's key is not the agent's enrolled identity key",
  QUORUM_STALE: 'a message whose timestamp is outside the freshness window',
  QUORUM_REPLAY: 'a message whose nonce or sequence number was already seen',
  QUORUM_RATE_LIMITED: 'an agent sent contributions faster than its rate limit',
  QUORUM_UNHEALTHY_CONTRIBUTION: 'a contribution that failed the arrival health tests or repeats earlier material',
  QUORUM_INSUFFICIENT_CONTRIBUTIONS: 'too few healthy agents contributed since the last key to derive a new one',
  QUORUM_NO_QUORUM: 'not enough eligible agents (live, healthy, distinct, region-diverse) for the requested k-of-n',
  QUORUM_SHARE_UNAVAILABLE: 'fewer than k valid current shares could be gathered from live agents',
  QUORUM_WRAPPING_KEY: 'the master wrapping key could not be opened (wrong HSM key, or its sealed file is altered or malformed)',
  QUORUM_UNWRAP_FAILED: 'a wrapped share failed AES-256-GCM authentication (corrupted, or for another agent or epoch)',
  QUORUM_ROTATION_FAILED: 'a rotation could not be completed; the previous quorum remains the valid one',
  QUORUM_UNKNOWN_KEY: 'no session key with this id',
  QUORUM_STATE_CORRUPT: 'the persisted aggregator or agent state is not well-formed',
  QUORUM_STORE_FAILED: 'the state store (file or PostgreSQL) could not be read or written',
  QUORUM_WAIT_TIMEOUT: 'a control-channel wait ended before enough agents were live, healthy and contributing',
} as const satisfies ErrorCodeTable;

export type QuorumErrorCode = keyof typeof QUORUM_ERROR_CODES;

export class QuorumError extends HardenedRngError {
  declare readonly code: QuorumErrorCode;
  constructor(code: QuorumErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}

/** The layer's argument checks (QUORUM_INVALID_ARGUMENT). */
export const check = assertionsFor((m) => new QuorumError('QUORUM_INVALID_ARGUMENT', m));

/** The layer's message-shape checks (QUORUM_MALFORMED_MESSAGE). */
export const checkMessage = assertionsFor((m) => new QuorumError('QUORUM_MALFORMED_MESSAGE', m));
