/**
 * The quorum layer: entropy agents, the aggregation service, and the protocol between them
 * (docs/quorum.md). Depends on crypto/, and on hsm/ for the type of a token-held sealing key.
 */
export { QUORUM_ERROR_CODES, QuorumError } from './errors.js';
export type { QuorumErrorCode } from './errors.js';
export { Agent, AGENT_SOFTWARE } from './agent.js';
export type { AgentOptions, AgentEvent, AgentFaults } from './agent.js';
export { Aggregator } from './aggregator.js';
export type { AggregatorOptions, AggregatorTls, CreateKeyOptions, KeySummary } from './aggregator.js';
export { AgentIdentity, verifySignature, certificatePublicKeyHex } from './identity.js';
export { assignShares, ineligibility } from './policy.js';
export type { AgentView, AssignmentPolicy, Assignment, Ineligibility } from './policy.js';
export { judgeFreshness, DEFAULT_FRESHNESS_POLICY, INITIAL_FRESHNESS } from './freshness.js';
export type { FreshnessPolicy, FreshnessState, FreshnessVerdict } from './freshness.js';
export { mixSessionKey, keyCheckValue, SESSION_KEY_BYTES } from './mix.js';
export type { AcceptedContribution, Provenance } from './mix.js';
export { WrappingKey } from './wrap.js';
export type { ShareAddress, SealingKey } from './wrap.js';
export { TokenMasterKey } from './token-master.js';
export type { MasterExpander } from './token-master.js';
export { FileStateStore } from './store/file-store.js';
export { PgStateStore } from './store/pg-store.js';
export type { StateStore, AggregatorState } from './state.js';
export { PROTOCOL_VERSION } from './messages.js';
