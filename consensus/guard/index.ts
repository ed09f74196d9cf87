export { SigningGuard } from './signing-guard.js';
export type { SigningGuardOptions, GuardHooks, GuardPoint, GuardedSignature } from './signing-guard.js';
export { decideSign } from './decide-sign.js';
export type { SignDecision, SignRequest, DecideOptions, RefusalReason } from './decide-sign.js';
export type { GuardStateStore, StoreWriteHooks, StoreWritePoint } from './guard-state-store.js';
export { FileGuardStore } from './file-guard-store.js';
export type { FileGuardStoreOptions, MigrationPoint } from './file-guard-store.js';
export type { SignBytesDecoder, DecodedSignBytes } from './sign-bytes-decoder.js';
export { hrngSignBytesDecoder } from './sign-bytes-decoder.js';
export { encodeHrngSignBytes, decodeHrngSignBytes, HRNG_SIGN_BYTES_FORMAT } from './hrng-sign-bytes.js';
export type { HrngSignBytes } from './hrng-sign-bytes.js';
export type { Hrs } from './hrs.js';
export { compareHrs, formatHrs } from './hrs.js';
export type { SignedState } from './guard-state.js';
export { sameState, assertKeyId } from './guard-state.js';
export type { GuardInterchange, GuardInterchangeRecord, ImportReport } from './interchange.js';
export { INTERCHANGE_FORMAT, INTERCHANGE_VERSION } from './interchange.js';
export {
  voteSignBytes,
  proposalSignBytes,
  voteExtensionSignBytes,
  decodeCanonicalVote,
  decodeCanonicalProposal,
  cometbftVoteDecoder,
  cometbftProposalDecoder,
  isNilBlockId,
  encodeTimestamp,
  decodeTimestamp,
  decodeBlockId,
  SIGNED_MSG_TYPE,
  COMETBFT_STEP,
} from './cometbft-sign-bytes.js';
export type { BlockId, PartSetHeader, Timestamp, CanonicalVoteFields, CanonicalProposalFields } from './cometbft-sign-bytes.js';
export { ProtoWriter, readFields, readUvarint, encodeUvarint, delimit, undelimit } from './protobuf-wire.js';
export type { ProtoField } from './protobuf-wire.js';
export { parsePrivValidatorState } from './priv-validator-state.js';
export { PgGuardStore } from './pg-guard-store.js';
export type { PgGuardStoreOptions } from './pg-guard-store.js';
