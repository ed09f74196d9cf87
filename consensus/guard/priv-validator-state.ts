/**
 * CometBFT's `priv_validator_state.json` (privval/file.go FilePVLastSignState) as a starting watermark
 * for the guard: `{"height": "<decimal>", "round": <int>, "step": <0..3>, "signature": "<base64>",
 * "signbytes": "<HEX>"}`. The guard takes the position as the key's history; the payload signed there is
 * the SHA-256 of `signbytes` when present, else unknown (null: every request at that position is
 * refused). When `signbytes` decode (CometBFT canonical vote or proposal), they must state the same
 * position, or the file is refused.
 *
 * Not supported: FilePV's re-signing of a vote that differs only in its timestamp (the guard signs only
 * identical bytes again at one position; a node then waits for the next round).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { ConsensusError } from '../errors.js';
import { cometbftProposalDecoder, cometbftVoteDecoder } from './cometbft-sign-bytes.js';
import { assertKeyId, type SignedState } from './guard-state.js';
import { compareHrs } from './hrs.js';
import { decodeWithAny } from './sign-bytes-decoder.js';

const bad = (why: string): ConsensusError =>
  new ConsensusError('GUARD_INTERCHANGE_MALFORMED', `priv_validator_state.json: ${why}; nothing imported`);

/** The watermark `text` (the file's content) states for `keyId`. */
export function parsePrivValidatorState(text: string, keyId: string): SignedState {
  assertKeyId(keyId);
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    throw bad('not JSON');
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) throw bad('not an object');
  const r = root as Record<string, unknown>;
  const height = typeof r.height === 'string' && /^(?:0|[1-9][0-9]{0,15})$/.test(r.height) ? Number(r.height) : Number.NaN;
  if (!Number.isSafeInteger(height)) throw bad('height must be a decimal string of a safe integer');
  const round = r.round ?? 0;
  if (typeof round !== 'number' || !Number.isSafeInteger(round) || round < 0 || round > 0x7fffffff)
    throw bad('round must be a non-negative int32');
  const step = r.step ?? 0;
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step > 3) throw bad('step must be 0..3');
  let signBytes: Uint8Array | undefined;
  if (r.signbytes !== undefined && r.signbytes !== null && r.signbytes !== '') {
    if (typeof r.signbytes !== 'string' || !/^(?:[0-9a-fA-F]{2})+$/.test(r.signbytes)) throw bad('signbytes must be hex');
    signBytes = Uint8Array.from(Buffer.from(r.signbytes, 'hex'));
  }
  let signature: Uint8Array | null = null;
  if (r.signature !== undefined && r.signature !== null && r.signature !== '') {
    if (typeof r.signature !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(r.signature)) throw bad('signature must be base64');
    signature = Uint8Array.from(Buffer.from(r.signature, 'base64'));
  }
  const hrs = { height, round, step };
  let timestamp: Uint8Array | undefined;
  if (signBytes !== undefined) {
    const d = decodeWithAny([cometbftVoteDecoder, cometbftProposalDecoder], signBytes);
    if (d !== undefined && compareHrs(d.hrs, hrs) !== 0)
      throw bad(`signbytes are at height ${d.hrs.height} round ${d.hrs.round} step ${d.hrs.step}, not at the stated position`);
    // FilePV's own re-sign rule then holds across the move: the node asking again with a later time.
    timestamp = d?.timestamp;
  }
  const payloadHash = signBytes === undefined ? null : sha256(signBytes);
  return {
    keyId,
    ...hrs,
    payloadHash,
    signature: payloadHash === null ? null : signature,
    ...(payloadHash !== null && timestamp !== undefined ? { timestamp } : {}),
  };
}
