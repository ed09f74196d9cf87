/**
 * CometBFT's remote-signer messages (proto/cometbft/privval/v1/types.proto, tendermint.privval.Message):
 * a oneof of PubKeyRequest (1), PubKeyResponse (2), SignVoteRequest (3), SignedVoteResponse (4),
 * SignProposalRequest (5), SignedProposalResponse (6), PingRequest (7), PingResponse (8), with
 * RemoteSignerError {code, description} in responses. On the wire each is length-delimited (protoio).
 *
 * Encoding follows gogoproto's rules as CometBFT generates them (checked against privval/msgs_test.go's
 * vectors): non-nullable embedded messages (a Vote's block_id and timestamp, a response's vote or
 * pub_key) are always written, scalars only when not zero.
 *
 * Not supported: SignBytesRequest (CometBFT ≥ 1.0's raw-bytes signing, 9/10): it would let the node ask
 * for a signature over bytes the guard cannot place, so it is answered with RemoteSignerError.
 */
import {
  decodeBlockId,
  decodeTimestamp,
  encodeTimestamp,
  ProtoWriter,
  readFields,
  type BlockId,
  type ProtoField,
  type Timestamp,
} from '../consensus/index.js';
import { SignerError } from './errors.js';

export interface Vote {
  readonly type: number;
  readonly height: bigint;
  readonly round: number;
  readonly blockId: BlockId;
  readonly timestamp: Timestamp;
  readonly validatorAddress: Uint8Array;
  readonly validatorIndex: number;
  readonly signature: Uint8Array;
  readonly extension: Uint8Array;
  readonly extensionSignature: Uint8Array;
}

export interface Proposal {
  readonly type: number;
  readonly height: bigint;
  readonly round: number;
  readonly polRound: number;
  readonly blockId: BlockId;
  readonly timestamp: Timestamp;
  readonly signature: Uint8Array;
}

export interface RemoteSignerError {
  readonly code: number;
  readonly description: string;
}

export type PrivvalMessage =
  | { readonly kind: 'pubKeyRequest'; readonly chainId: string }
  | { readonly kind: 'pubKeyResponse'; readonly pubKey: Uint8Array; readonly error?: RemoteSignerError }
  | { readonly kind: 'signVoteRequest'; readonly vote: Vote; readonly chainId: string; readonly skipExtensionSigning: boolean }
  | { readonly kind: 'signedVoteResponse'; readonly vote: Vote; readonly error?: RemoteSignerError }
  | { readonly kind: 'signProposalRequest'; readonly proposal: Proposal; readonly chainId: string }
  | { readonly kind: 'signedProposalResponse'; readonly proposal: Proposal; readonly error?: RemoteSignerError }
  | { readonly kind: 'pingRequest' }
  | { readonly kind: 'pingResponse' }
  | { readonly kind: 'unsupported'; readonly field: number };

/** Go's zero time.Time (0001-01-01T00:00:00Z), what an empty Vote carries. */
export const ZERO_TIMESTAMP: Timestamp = Object.freeze({ seconds: -62135596800n, nanos: 0 });
const EMPTY = new Uint8Array(0);
const EMPTY_BLOCK_ID: BlockId = { hash: EMPTY, partSetHeader: { total: 0, hash: EMPTY } };

export const emptyVote = (): Vote => ({
  type: 0,
  height: 0n,
  round: 0,
  blockId: EMPTY_BLOCK_ID,
  timestamp: ZERO_TIMESTAMP,
  validatorAddress: EMPTY,
  validatorIndex: 0,
  signature: EMPTY,
  extension: EMPTY,
  extensionSignature: EMPTY,
});
export const emptyProposal = (): Proposal => ({
  type: 0,
  height: 0n,
  round: 0,
  polRound: 0,
  blockId: EMPTY_BLOCK_ID,
  timestamp: ZERO_TIMESTAMP,
  signature: EMPTY,
});

// --- encoding

function blockIdBytes(b: BlockId): Uint8Array {
  const psh = new ProtoWriter().varint(1, b.partSetHeader.total).bytes(2, b.partSetHeader.hash).bytesOut();
  return new ProtoWriter().bytes(1, b.hash).bytes(2, psh, true).bytesOut();
}

export function encodeVote(v: Vote): Uint8Array {
  return new ProtoWriter()
    .varint(1, v.type)
    .varint(2, v.height)
    .varint(3, v.round)
    .bytes(4, blockIdBytes(v.blockId), true)
    .bytes(5, encodeTimestamp(v.timestamp), true)
    .bytes(6, v.validatorAddress)
    .varint(7, v.validatorIndex)
    .bytes(8, v.signature)
    .bytes(9, v.extension)
    .bytes(10, v.extensionSignature)
    .bytesOut();
}

export function encodeProposal(p: Proposal): Uint8Array {
  return new ProtoWriter()
    .varint(1, p.type)
    .varint(2, p.height)
    .varint(3, p.round)
    .varint(4, p.polRound)
    .bytes(5, blockIdBytes(p.blockId), true)
    .bytes(6, encodeTimestamp(p.timestamp), true)
    .bytes(7, p.signature)
    .bytesOut();
}

function errorBytes(w: ProtoWriter, field: number, e: RemoteSignerError | undefined): ProtoWriter {
  return e === undefined ? w : w.bytes(field, new ProtoWriter().varint(1, e.code).bytes(2, e.description).bytesOut(), true);
}

/** A privval Message (without the length prefix). */
export function encodePrivvalMessage(m: PrivvalMessage): Uint8Array {
  const inner = ((): [number, Uint8Array] => {
    switch (m.kind) {
      case 'pubKeyRequest':
        return [1, new ProtoWriter().bytes(1, m.chainId).bytesOut()];
      case 'pubKeyResponse':
        return [2, errorBytes(new ProtoWriter().bytes(1, new ProtoWriter().bytes(1, m.pubKey).bytesOut(), true), 2, m.error).bytesOut()];
      case 'signVoteRequest':
        return [
          3,
          new ProtoWriter()
            .bytes(1, encodeVote(m.vote), true)
            .bytes(2, m.chainId)
            .varint(3, m.skipExtensionSigning ? 1 : 0)
            .bytesOut(),
        ];
      case 'signedVoteResponse':
        return [4, errorBytes(new ProtoWriter().bytes(1, encodeVote(m.vote), true), 2, m.error).bytesOut()];
      case 'signProposalRequest':
        return [5, new ProtoWriter().bytes(1, encodeProposal(m.proposal), true).bytes(2, m.chainId).bytesOut()];
      case 'signedProposalResponse':
        return [6, errorBytes(new ProtoWriter().bytes(1, encodeProposal(m.proposal), true), 2, m.error).bytesOut()];
      case 'pingRequest':
        return [7, EMPTY];
      case 'pingResponse':
        return [8, EMPTY];
      case 'unsupported':
        throw new SignerError('SIGNER_INVALID_ARGUMENT', 'an unsupported message cannot be encoded');
    }
  })();
  return new ProtoWriter().bytes(inner[0], inner[1], true).bytesOut();
}

// --- decoding

const malformed = (what: string): SignerError => new SignerError('SIGNER_MESSAGE_MALFORMED', `privval message: ${what}`);

function fieldsOf(b: Uint8Array, what: string): ProtoField[] {
  const fs = readFields(b);
  if (fs === undefined) throw malformed(`${what} is not protobuf`);
  return fs;
}

function get(fs: readonly ProtoField[], field: number, wire: 0 | 2, what: string): ProtoField | undefined {
  let out: ProtoField | undefined;
  for (const f of fs) {
    if (f.field !== field) continue;
    if (f.wire !== wire) throw malformed(`${what} field ${field} has the wrong wire type`);
    out = f;
  }
  return out;
}
const i64 = (f: ProtoField | undefined): bigint => (f === undefined ? 0n : BigInt.asIntN(64, f.int));
const i32 = (f: ProtoField | undefined): number => (f === undefined ? 0 : Number(BigInt.asIntN(32, f.int)));
const bytes = (f: ProtoField | undefined): Uint8Array => (f === undefined ? EMPTY : f.bytes.slice());
const utf8 = new TextDecoder('utf-8', { fatal: true });
function str(f: ProtoField | undefined, what: string): string {
  try {
    return utf8.decode(bytes(f));
  } catch {
    throw malformed(`${what} is not UTF-8`);
  }
}
function blockIdOf(f: ProtoField | undefined): BlockId {
  const b = decodeBlockId(f?.bytes);
  if (b === undefined) throw malformed('block_id is not protobuf');
  return b;
}
function timestampOf(f: ProtoField | undefined): Timestamp {
  if (f === undefined) return { seconds: 0n, nanos: 0 };
  const t = decodeTimestamp(f.bytes);
  if (t === undefined) throw malformed('timestamp is not protobuf');
  return t;
}

export function decodeVote(b: Uint8Array): Vote {
  const fs = fieldsOf(b, 'vote');
  return {
    type: i32(get(fs, 1, 0, 'vote')),
    height: i64(get(fs, 2, 0, 'vote')),
    round: i32(get(fs, 3, 0, 'vote')),
    blockId: blockIdOf(get(fs, 4, 2, 'vote')),
    timestamp: timestampOf(get(fs, 5, 2, 'vote')),
    validatorAddress: bytes(get(fs, 6, 2, 'vote')),
    validatorIndex: i32(get(fs, 7, 0, 'vote')),
    signature: bytes(get(fs, 8, 2, 'vote')),
    extension: bytes(get(fs, 9, 2, 'vote')),
    extensionSignature: bytes(get(fs, 10, 2, 'vote')),
  };
}

export function decodeProposal(b: Uint8Array): Proposal {
  const fs = fieldsOf(b, 'proposal');
  return {
    type: i32(get(fs, 1, 0, 'proposal')),
    height: i64(get(fs, 2, 0, 'proposal')),
    round: i32(get(fs, 3, 0, 'proposal')),
    polRound: i32(get(fs, 4, 0, 'proposal')),
    blockId: blockIdOf(get(fs, 5, 2, 'proposal')),
    timestamp: timestampOf(get(fs, 6, 2, 'proposal')),
    signature: bytes(get(fs, 7, 2, 'proposal')),
  };
}

function errorOf(f: ProtoField | undefined): RemoteSignerError | undefined {
  if (f === undefined) return undefined;
  const fs = fieldsOf(f.bytes, 'error');
  return { code: i32(get(fs, 1, 0, 'error')), description: str(get(fs, 2, 2, 'error'), 'error description') };
}

/** Decodes a privval Message; SIGNER_MESSAGE_MALFORMED for anything not well-formed. */
export function decodePrivvalMessage(b: Uint8Array): PrivvalMessage {
  const top = fieldsOf(b, 'message');
  if (top.length !== 1 || top[0]?.wire !== 2) throw malformed('a Message must hold exactly one of its fields');
  const { field, bytes: body } = top[0];
  const fs = fieldsOf(body, 'message body');
  switch (field) {
    case 1:
      return { kind: 'pubKeyRequest', chainId: str(get(fs, 1, 2, 'PubKeyRequest'), 'chain_id') };
    case 2: {
      const pk = fieldsOf(bytes(get(fs, 1, 2, 'PubKeyResponse')), 'pub_key');
      const error = errorOf(get(fs, 2, 2, 'PubKeyResponse'));
      return { kind: 'pubKeyResponse', pubKey: bytes(get(pk, 1, 2, 'PublicKey')), ...(error ? { error } : {}) };
    }
    case 3: {
      const v = get(fs, 1, 2, 'SignVoteRequest');
      if (v === undefined) throw malformed('SignVoteRequest without a vote');
      return {
        kind: 'signVoteRequest',
        vote: decodeVote(v.bytes),
        chainId: str(get(fs, 2, 2, 'SignVoteRequest'), 'chain_id'),
        skipExtensionSigning: (get(fs, 3, 0, 'SignVoteRequest')?.int ?? 0n) !== 0n,
      };
    }
    case 4: {
      const error = errorOf(get(fs, 2, 2, 'SignedVoteResponse'));
      return { kind: 'signedVoteResponse', vote: decodeVote(bytes(get(fs, 1, 2, 'SignedVoteResponse'))), ...(error ? { error } : {}) };
    }
    case 5: {
      const p = get(fs, 1, 2, 'SignProposalRequest');
      if (p === undefined) throw malformed('SignProposalRequest without a proposal');
      return {
        kind: 'signProposalRequest',
        proposal: decodeProposal(p.bytes),
        chainId: str(get(fs, 2, 2, 'SignProposalRequest'), 'chain_id'),
      };
    }
    case 6: {
      const error = errorOf(get(fs, 2, 2, 'SignedProposalResponse'));
      return {
        kind: 'signedProposalResponse',
        proposal: decodeProposal(bytes(get(fs, 1, 2, 'SignedProposalResponse'))),
        ...(error ? { error } : {}),
      };
    }
    case 7:
      return { kind: 'pingRequest' };
    case 8:
      return { kind: 'pingResponse' };
    default:
      return { kind: 'unsupported', field };
  }
}
