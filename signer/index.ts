/** The `signer/` layer: hardened-rng as a CometBFT remote signer (privval over SecretConnection). */
export { SignerError, SIGNER_ERROR_CODES } from './errors.js';
export type { SignerErrorCode } from './errors.js';
export { MerlinTranscript } from './merlin.js';
export { SecretConnection, deriveSecrets, isLowOrderPoint, DATA_MAX } from './secret-connection.js';
export type { ConnectionIdentity, HandshakeOptions } from './secret-connection.js';
export { ByteStream } from './byte-stream.js';
export { readDelimited } from './delimited.js';
export {
  encodePrivvalMessage,
  decodePrivvalMessage,
  encodeVote,
  decodeVote,
  encodeProposal,
  decodeProposal,
  emptyVote,
  emptyProposal,
  ZERO_TIMESTAMP,
} from './privval-messages.js';
export type { PrivvalMessage, Vote, Proposal, RemoteSignerError } from './privval-messages.js';
export { PrivvalService, SIGNER_REMOTE_ERROR } from './privval-service.js';
export type { PrivvalServiceOptions, SignerObserver, RequestType, RequestResult } from './privval-service.js';
export { PrivvalDialer, parseNodeAddress, MAX_PRIVVAL_MESSAGE } from './privval-endpoint.js';
export type { DialerOptions, NodeAddress } from './privval-endpoint.js';
export { keyForHeight, assertKeySchedule } from './key-schedule.js';
export type { KeySchedule } from './key-schedule.js';
export { parsePrivValidatorKey, formatPrivValidatorKey, validatorAddress } from './priv-validator-key.js';
export { SignerMetrics } from './metrics.js';
export { startHealthServer } from './health-server.js';
export { SIGNER_GUARD_POLICY, RECORD_DELAY_MS, SIGNER_PG_LOCK_TIMEOUT_MS, SIGNER_PG_QUERY_MARGIN_MS } from './guard-policy.js';
export { loadOrCreateConnectionKey } from './connection-key.js';
export type { ConnectionKey } from './connection-key.js';
export type { HealthServerOptions } from './health-server.js';
