/**
 * privval messages against CometBFT's privval/msgs_test.go TestPrivvalVectors: every vector encodes
 * from the test's own inputs, decodes, and re-encodes to the same bytes; malformed input is refused.
 */
import { readFileSync } from 'node:fs';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  decodePrivvalMessage,
  emptyProposal,
  emptyVote,
  encodePrivvalMessage,
  type PrivvalMessage,
  type Proposal,
  type Vote,
} from '../../../signer/privval-messages.js';
import { thrown } from '../../helpers/thrown.js';

const V = JSON.parse(readFileSync(new URL('../../vectors/cometbft/vectors.json', import.meta.url), 'utf8')) as {
  privvalMessages: { vectors: { name: string; hex: string }[] };
};
const want = (name: string): string => V.privvalMessages.vectors.find((v) => v.name === name)?.hex ?? 'missing';
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

// The inputs of msgs_test.go: stamp 2019-10-13T16:14:44Z, tmhash = SHA-256, AddressHash = SHA-256[:20].
const stamp = { seconds: BigInt(Date.UTC(2019, 9, 13, 16, 14, 44) / 1000), nanos: 0 };
const blockId = { hash: sha256(enc('blockID_hash')), partSetHeader: { total: 1000000, hash: sha256(enc('blockID_part_set_header_hash')) } };
const vote: Vote = {
  ...emptyVote(),
  type: 2,
  height: 3n,
  round: 2,
  blockId,
  timestamp: stamp,
  validatorAddress: sha256(enc('validator_address')).slice(0, 20),
  validatorIndex: 56789,
  extension: enc('extension'),
};
const proposal: Proposal = { type: 1, height: 3n, round: 2, polRound: 2, blockId, timestamp: stamp, signature: enc("it's a signature") };
const remoteError = { code: 1, description: "it's a error" };
// ed25519.GenPrivKeyFromSecret("it's a secret").PubKey(), as the vector carries it.
const pubKey = Uint8Array.from(Buffer.from(want('pubKey response').slice(-64), 'hex'));

const cases: [string, PrivvalMessage][] = [
  ['ping request', { kind: 'pingRequest' }],
  ['ping response', { kind: 'pingResponse' }],
  ['pubKey request', { kind: 'pubKeyRequest', chainId: '' }],
  ['pubKey response', { kind: 'pubKeyResponse', pubKey }],
  ['pubKey response with error', { kind: 'pubKeyResponse', pubKey: new Uint8Array(0), error: remoteError }],
  ['Vote Request', { kind: 'signVoteRequest', vote, chainId: '', skipExtensionSigning: false }],
  ['Vote Response', { kind: 'signedVoteResponse', vote }],
  ['Vote Response with error', { kind: 'signedVoteResponse', vote: emptyVote(), error: remoteError }],
  ['Proposal Request', { kind: 'signProposalRequest', proposal, chainId: '' }],
  ['Proposal Response', { kind: 'signedProposalResponse', proposal }],
  ['Proposal Response with error', { kind: 'signedProposalResponse', proposal: emptyProposal(), error: remoteError }],
];

describe('privval messages (TestPrivvalVectors)', () => {
  it.each(cases)('%s', (name, msg) => {
    expect(hex(encodePrivvalMessage(msg))).toBe(want(name));
    const back = decodePrivvalMessage(Uint8Array.from(Buffer.from(want(name), 'hex')));
    expect(hex(encodePrivvalMessage(back))).toBe(want(name));
    expect(back.kind).toBe(msg.kind);
  });

  it('carries a chain id, skip_extension_signing and a negative round', () => {
    const m: PrivvalMessage = { kind: 'signVoteRequest', vote: { ...vote, round: -1 }, chainId: 'chain-X', skipExtensionSigning: true };
    expect(decodePrivvalMessage(encodePrivvalMessage(m))).toEqual(m);
  });

  it('refuses malformed messages and reports unknown ones', () => {
    for (const bad of ['', '0a', '0a00 1200', '1a020801', '1a00', '0a020801', 'ff']) {
      const e = thrown(() => decodePrivvalMessage(Uint8Array.from(Buffer.from(bad.replace(/ /g, ''), 'hex'))));
      expect([bad, e.code]).toEqual([bad, 'SIGNER_MESSAGE_MALFORMED']);
    }
    expect(decodePrivvalMessage(Uint8Array.from([0x4a, 0x00]))).toEqual({ kind: 'unsupported', field: 9 });
  });
});
