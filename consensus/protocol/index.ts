/** Protocols under test: chained HotStuff. */
export { HotStuffNode } from './hotstuff.js';
export type { HotStuffHooks, HotStuffOptions, NodeObserver, ProtocolFlags, ValidatorSigning } from './hotstuff.js';
export {
  blockHash,
  GENESIS,
  GENESIS_HASH,
  GENESIS_QC,
  labelOf,
  newViewSignBytes,
  proposalSignBytes as hotStuffProposalSignBytes,
  voteSignBytes as hotStuffVoteSignBytes,
  NONCE_BYTES,
  STEP_NEW_VIEW,
  STEP_PROPOSAL,
  STEP_VOTE,
} from './hotstuff-messages.js';
export type { Block, HotStuffMessage, QC, QcVote } from './hotstuff-messages.js';
export { ValidatorSet } from './validators.js';
