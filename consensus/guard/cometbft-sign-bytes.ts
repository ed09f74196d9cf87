/**
 * CometBFT's canonical sign bytes (proto/cometbft/types/v1/canonical.proto; types.VoteSignBytes,
 * types.ProposalSignBytes, types.VoteExtensionSignBytes): what a validator's key actually signs, as a
 * length-delimited protobuf message.
 *
 *   CanonicalVote      { type=1 enum, height=2 sfixed64, round=3 sfixed64, block_id=4 CanonicalBlockID
 *                        (omitted when the block id is nil), timestamp=5 (always), chain_id=6 }
 *   CanonicalProposal  { type=1 enum (32), height=2 sfixed64, round=3 sfixed64, pol_round=4 int64,
 *                        block_id=5, timestamp=6, chain_id=7 }
 *   CanonicalVoteExtension { extension=1 bytes, height=2 sfixed64, round=3 sfixed64, chain_id=4 }
 *   CanonicalBlockID   { hash=1, part_set_header=2 { total=1 uint32, hash=2 } (always) }
 *
 * The decoders give the guard the position stated by the bytes, on CometBFT's steps (FilePV: propose 1,
 * prevote 2, precommit 3 — the numbers of priv_validator_state.json). They are strict: they re-encode
 * what they read and accept the bytes only when that reproduces them exactly, so no second reading of
 * the same bytes (a duplicated field, a non-minimal varint) can put them at another position than the
 * one a verifier recomputes.
 *
 * Not supported: heights of 2^53 and above; negative heights or rounds; vote types other than prevote
 * and precommit (CometBFT has no others that are signed).
 */
import { ct } from '../../crypto/index.js';
import equal = ct.equal;
import { delimit, ProtoWriter, readFields, undelimit, type ProtoField } from './protobuf-wire.js';
import type { DecodedSignBytes, SignBytesDecoder } from './sign-bytes-decoder.js';

export const SIGNED_MSG_TYPE = { prevote: 1, precommit: 2, proposal: 32 } as const;
/** CometBFT FilePV's step numbers. */
export const COMETBFT_STEP = { propose: 1, prevote: 2, precommit: 3 } as const;

export interface PartSetHeader {
  readonly total: number;
  readonly hash: Uint8Array;
}
export interface BlockId {
  readonly hash: Uint8Array;
  readonly partSetHeader: PartSetHeader;
}
/** google.protobuf.Timestamp. */
export interface Timestamp {
  readonly seconds: bigint;
  readonly nanos: number;
}
export interface CanonicalVoteFields {
  readonly type: 1 | 2;
  readonly height: bigint;
  readonly round: number;
  readonly blockId: BlockId;
  readonly timestamp: Timestamp;
}
export interface CanonicalProposalFields {
  readonly height: bigint;
  readonly round: number;
  readonly polRound: number;
  readonly blockId: BlockId;
  readonly timestamp: Timestamp;
}

export const isNilBlockId = (b: BlockId): boolean =>
  b.hash.length === 0 && b.partSetHeader.total === 0 && b.partSetHeader.hash.length === 0;

export function encodeTimestamp(t: Timestamp): Uint8Array {
  return new ProtoWriter().varint(1, t.seconds).varint(2, t.nanos).bytesOut();
}

function canonicalBlockId(b: BlockId): Uint8Array {
  const psh = new ProtoWriter().varint(1, b.partSetHeader.total).bytes(2, b.partSetHeader.hash).bytesOut();
  return new ProtoWriter().bytes(1, b.hash).bytes(2, psh, true).bytesOut();
}

export function voteSignBytes(chainId: string, v: CanonicalVoteFields): Uint8Array {
  const w = new ProtoWriter().varint(1, v.type).sfixed64(2, v.height).sfixed64(3, v.round);
  if (!isNilBlockId(v.blockId)) w.bytes(4, canonicalBlockId(v.blockId), true);
  return delimit(w.bytes(5, encodeTimestamp(v.timestamp), true).bytes(6, chainId).bytesOut());
}

export function proposalSignBytes(chainId: string, p: CanonicalProposalFields): Uint8Array {
  const w = new ProtoWriter().varint(1, SIGNED_MSG_TYPE.proposal).sfixed64(2, p.height).sfixed64(3, p.round).varint(4, p.polRound);
  if (!isNilBlockId(p.blockId)) w.bytes(5, canonicalBlockId(p.blockId), true);
  return delimit(w.bytes(6, encodeTimestamp(p.timestamp), true).bytes(7, chainId).bytesOut());
}

export function voteExtensionSignBytes(
  chainId: string,
  e: { readonly height: bigint; readonly round: number; readonly extension: Uint8Array },
): Uint8Array {
  return delimit(new ProtoWriter().bytes(1, e.extension).sfixed64(2, e.height).sfixed64(3, e.round).bytes(4, chainId).bytesOut());
}

// --- reading

const last = (fs: readonly ProtoField[], field: number): ProtoField | undefined => {
  let f: ProtoField | undefined;
  for (const x of fs) if (x.field === field) f = x;
  return f;
};
const int64 = (f: ProtoField | undefined): bigint => (f === undefined ? 0n : BigInt.asIntN(64, f.int));
const bytesOf = (f: ProtoField | undefined): Uint8Array => (f === undefined ? new Uint8Array(0) : f.bytes);

export function decodeTimestamp(b: Uint8Array): Timestamp | undefined {
  const fs = readFields(b);
  if (fs === undefined) return undefined;
  return { seconds: int64(last(fs, 1)), nanos: Number(BigInt.asIntN(32, last(fs, 2)?.int ?? 0n)) };
}

export function decodeBlockId(b: Uint8Array | undefined): BlockId | undefined {
  const empty = { hash: new Uint8Array(0), partSetHeader: { total: 0, hash: new Uint8Array(0) } };
  if (b === undefined) return empty;
  const fs = readFields(b);
  if (fs === undefined) return undefined;
  const psh = readFields(bytesOf(last(fs, 2)));
  if (psh === undefined) return undefined;
  return {
    hash: bytesOf(last(fs, 1)),
    partSetHeader: { total: Number(BigInt.asUintN(32, last(psh, 1)?.int ?? 0n)), hash: bytesOf(last(psh, 2)) },
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
function text(b: Uint8Array): string | undefined {
  try {
    return utf8.decode(b);
  } catch {
    return undefined;
  }
}

function position(height: bigint, round: bigint): { height: number; round: number } | undefined {
  if (height < 0n || height > BigInt(Number.MAX_SAFE_INTEGER) || round < 0n || round > 0x7fffffffn) return undefined;
  return { height: Number(height), round: Number(round) };
}

/** A CometBFT canonical vote: chain id, position and the fields, or undefined. */
export function decodeCanonicalVote(bytes: Uint8Array): (DecodedSignBytes & { readonly vote: CanonicalVoteFields }) | undefined {
  if (!(bytes instanceof Uint8Array)) return undefined;
  const body = undelimit(bytes);
  const fs = body === undefined ? undefined : readFields(body);
  if (fs === undefined || fs.some((f) => f.field > 6)) return undefined;
  const type = last(fs, 1)?.int;
  if (type !== 1n && type !== 2n) return undefined;
  const blockId = decodeBlockId(last(fs, 4)?.bytes);
  const ts = last(fs, 5);
  const timestamp = ts === undefined ? undefined : decodeTimestamp(ts.bytes);
  const chainId = text(bytesOf(last(fs, 6)));
  const at = position(int64(last(fs, 2)), int64(last(fs, 3)));
  if (blockId === undefined || timestamp === undefined || chainId === undefined || at === undefined) return undefined;
  const vote: CanonicalVoteFields = { type: type === 1n ? 1 : 2, height: BigInt(at.height), round: at.round, blockId, timestamp };
  if (!equal(voteSignBytes(chainId, vote), bytes)) return undefined;
  const step = type === 1n ? COMETBFT_STEP.prevote : COMETBFT_STEP.precommit;
  return { chainId, hrs: { height: at.height, round: at.round, step }, vote };
}

/** A CometBFT canonical proposal, or undefined. */
export function decodeCanonicalProposal(
  bytes: Uint8Array,
): (DecodedSignBytes & { readonly proposal: CanonicalProposalFields }) | undefined {
  if (!(bytes instanceof Uint8Array)) return undefined;
  const body = undelimit(bytes);
  const fs = body === undefined ? undefined : readFields(body);
  if (fs === undefined || fs.some((f) => f.field > 7) || last(fs, 1)?.int !== 32n) return undefined;
  const blockId = decodeBlockId(last(fs, 5)?.bytes);
  const ts = last(fs, 6);
  const timestamp = ts === undefined ? undefined : decodeTimestamp(ts.bytes);
  const chainId = text(bytesOf(last(fs, 7)));
  const at = position(int64(last(fs, 2)), int64(last(fs, 3)));
  const polRound = Number(BigInt.asIntN(32, last(fs, 4)?.int ?? 0n));
  if (blockId === undefined || timestamp === undefined || chainId === undefined || at === undefined) return undefined;
  const proposal: CanonicalProposalFields = { height: BigInt(at.height), round: at.round, polRound, blockId, timestamp };
  if (!equal(proposalSignBytes(chainId, proposal), bytes)) return undefined;
  return { chainId, hrs: { height: at.height, round: at.round, step: COMETBFT_STEP.propose }, proposal };
}

/** An encoded google.protobuf.Timestamp as these sign bytes carry it, or undefined when it is not one (strictly). */
function strictTimestamp(stamp: Uint8Array): Timestamp | undefined {
  if (!(stamp instanceof Uint8Array)) return undefined;
  const t = decodeTimestamp(stamp);
  return t !== undefined && equal(encodeTimestamp(t), stamp) ? t : undefined;
}

/**
 * The guard's timestamp handling (FilePV's checkVotesOnlyDifferByTimestamp, by construction): the
 * decoders report the encoded timestamp, and `restamp` rebuilds the same vote or proposal with another
 * one; the guard then compares the rebuilt bytes' hash with the hash it recorded, so "only the timestamp
 * differs" means every other byte is identical, not that some fields compare equal.
 */
export const cometbftVoteDecoder: SignBytesDecoder = Object.freeze({
  format: 'cometbft-canonical-vote',
  decode: (b: Uint8Array): DecodedSignBytes | undefined => {
    const d = decodeCanonicalVote(b);
    return d === undefined ? undefined : { chainId: d.chainId, hrs: d.hrs, timestamp: encodeTimestamp(d.vote.timestamp) };
  },
  restamp: (b: Uint8Array, stamp: Uint8Array): Uint8Array | undefined => {
    const d = decodeCanonicalVote(b);
    const t = strictTimestamp(stamp);
    return d === undefined || t === undefined ? undefined : voteSignBytes(d.chainId, { ...d.vote, timestamp: t });
  },
});

export const cometbftProposalDecoder: SignBytesDecoder = Object.freeze({
  format: 'cometbft-canonical-proposal',
  decode: (b: Uint8Array): DecodedSignBytes | undefined => {
    const d = decodeCanonicalProposal(b);
    return d === undefined ? undefined : { chainId: d.chainId, hrs: d.hrs, timestamp: encodeTimestamp(d.proposal.timestamp) };
  },
  restamp: (b: Uint8Array, stamp: Uint8Array): Uint8Array | undefined => {
    const d = decodeCanonicalProposal(b);
    const t = strictTimestamp(stamp);
    return d === undefined || t === undefined ? undefined : proposalSignBytes(d.chainId, { ...d.proposal, timestamp: t });
  },
});
