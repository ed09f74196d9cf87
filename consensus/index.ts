export * from './guard/index.js';
export { ConsensusError, CONSENSUS_ERROR_CODES, GuardRefusalError, GUARD_REFUSAL_CODES, isGuardRefusal } from './errors.js';
export type { ConsensusErrorCode } from './errors.js';
export * from './sim/index.js';
export * from './protocol/index.js';
export * from './checks/index.js';
export * from './faults/index.js';
