/**
 * CometBFT FilePV's timestamp-only re-sign through the privval handler over a real file guard: a node
 * that asks again at its last position for the same vote or proposal with a later timestamp (it does so
 * after a restart mid-round) gets the stored signature back with the stored timestamp, and that signature
 * verifies over the old sign bytes; anything else that differs (the block id) is still a double sign. A
 * state file from before timestamps were kept still opens and keeps today's rule (identical bytes only).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cometbftProposalDecoder,
  cometbftVoteDecoder,
  encodeTimestamp,
  proposalSignBytes,
  SigningGuard,
  voteExtensionSignBytes,
  voteSignBytes,
  type Timestamp,
} from '../../../consensus/index.js';
import { generateKey } from '../../../crypto/keys/generate.js';
import { SoftwareSigner } from '../../../crypto/keys/software-signer.js';
import { emptyProposal, emptyVote, PrivvalService, type PrivvalMessage, type Vote } from '../../../signer/index.js';
import { guardStateJson } from '../../helpers/guard-state-file.js';
import { streamRandom } from '../keys/helpers.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const T1: Timestamp = { seconds: 1_700_000_000n, nanos: 5 };
const T2: Timestamp = { seconds: 1_700_000_007n, nanos: 900 };
const block = (tag: string) => ({ hash: sha256(enc(tag)), partSetHeader: { total: 1, hash: sha256(enc(`p${tag}`)) } });
const vote = (type: number, tag: string, timestamp: Timestamp, extension = ''): Vote => ({
  ...emptyVote(),
  type,
  height: 40n,
  round: 1,
  blockId: block(tag),
  timestamp,
  extension: enc(extension),
});
const signVote = (v: Vote): PrivvalMessage => ({ kind: 'signVoteRequest', vote: v, chainId: 'c1', skipExtensionSigning: false });
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hrng-restamp-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function service() {
  const key = SoftwareSigner.fromRecord(generateKey('ed25519', { rng: streamRandom(3) }));
  const guard = await SigningGuard.open({ dir, init: true, chainId: 'c1', decoders: [cometbftVoteDecoder, cometbftProposalDecoder] });
  return { svc: new PrivvalService({ chainId: 'c1', guard, keys: { current: key } }), key, guard };
}

async function votedOk(svc: PrivvalService, v: Vote): Promise<Vote> {
  const r = await svc.handle(signVote(v));
  if (r.kind !== 'signedVoteResponse' || r.error !== undefined) throw new Error(JSON.stringify(r, (_k, x) => String(x)));
  return r.vote;
}

describe('timestamp-only re-sign (FilePV checkVotesOnlyDifferByTimestamp)', () => {
  it('the same prevote with a later timestamp gets the old signature and the old timestamp back; another block id is refused', async () => {
    const { svc, key } = await service();
    const first = await votedOk(svc, vote(1, 'A', T1));
    const oldBytes = voteSignBytes('c1', { type: 1, height: 40n, round: 1, blockId: block('A'), timestamp: T1 });
    expect(key.verify(oldBytes, first.signature)).toBe(true);
    const again = await votedOk(svc, vote(1, 'A', T2));
    expect(again.timestamp).toEqual(T1);
    expect(hex(again.signature)).toBe(hex(first.signature));
    expect(key.verify(oldBytes, again.signature)).toBe(true);
    // The state keeps the first bytes' hash and time: nothing was signed at T2.
    const state = guardStateJson(dir, key.keyId);
    expect(state.lastSigned).toMatchObject({ payloadHash: hex(sha256(oldBytes)), timestamp: hex(encodeTimestamp(T1)) });
    // Another block id at the same position, at either time: a double sign.
    for (const t of [T1, T2]) {
      const bad = await svc.handle(signVote(vote(1, 'B', t)));
      expect(bad.kind === 'signedVoteResponse' && bad.error).toMatchObject({
        code: 2,
        description: expect.stringMatching(/^GUARD_DOUBLE_SIGN/),
      });
    }
    // A nil prevote (block id removed) differs beyond the timestamp too.
    const nil = await svc.handle(
      signVote({ ...vote(1, 'A', T2), blockId: { hash: new Uint8Array(0), partSetHeader: { total: 0, hash: new Uint8Array(0) } } }),
    );
    expect(nil.kind === 'signedVoteResponse' && nil.error?.code).toBe(2);
  });

  it('a precommit re-requested later: the old vote signature and timestamp, the extension signed again (as FilePV)', async () => {
    const { svc, key } = await service();
    const first = await votedOk(svc, vote(2, 'A', T1, 'x1'));
    const again = await votedOk(svc, vote(2, 'A', T2, 'x2'));
    expect([again.timestamp, hex(again.signature)]).toEqual([T1, hex(first.signature)]);
    expect(key.verify(voteExtensionSignBytes('c1', { height: 40n, round: 1, extension: enc('x2') }), again.extensionSignature)).toBe(true);
  });

  it('a proposal re-requested later gets its old signature and timestamp; another pol_round is refused', async () => {
    const { svc, key } = await service();
    const p = (timestamp: Timestamp, polRound = -1) => ({
      ...emptyProposal(),
      type: 32,
      height: 41n,
      round: 0,
      polRound,
      blockId: block('P'),
      timestamp,
    });
    const ask = (x: ReturnType<typeof p>): PrivvalMessage => ({ kind: 'signProposalRequest', proposal: x, chainId: 'c1' });
    const first = await svc.handle(ask(p(T1)));
    const again = await svc.handle(ask(p(T2)));
    if (first.kind !== 'signedProposalResponse' || again.kind !== 'signedProposalResponse') throw new Error('not proposal responses');
    expect([first.error, again.error, again.proposal.timestamp]).toEqual([undefined, undefined, T1]);
    expect(hex(again.proposal.signature)).toBe(hex(first.proposal.signature));
    const oldBytes = proposalSignBytes('c1', { height: 41n, round: 0, polRound: -1, blockId: block('P'), timestamp: T1 });
    expect(key.verify(oldBytes, again.proposal.signature)).toBe(true);
    const other = await svc.handle(ask(p(T2, 0)));
    expect(other.kind === 'signedProposalResponse' && other.error?.code).toBe(2);
  });

  it('a state file from before timestamps were kept opens, re-signs identical bytes, and refuses a later timestamp', async () => {
    const { svc, key, guard } = await service();
    const first = await votedOk(svc, vote(1, 'A', T1));
    // Such a state is a `<keyId>.json` of the previous format: it is migrated on the next signing.
    const old = guardStateJson(dir, key.keyId);
    delete old.lastSigned.timestamp;
    rmSync(join(dir, `${key.keyId}.state`));
    writeFileSync(join(dir, `${key.keyId}.json`), `${JSON.stringify(old)}\n`);
    expect((await guard.lastSigned(key.keyId))?.timestamp).toBeUndefined();
    expect(hex((await votedOk(svc, vote(1, 'A', T1))).signature)).toBe(hex(first.signature));
    expect([existsSync(join(dir, `${key.keyId}.json`)), existsSync(join(dir, `${key.keyId}.json.migrated`))]).toEqual([false, true]);
    expect(guardStateJson(dir, key.keyId).lastSigned.timestamp).toBeUndefined();
    const later = await svc.handle(signVote(vote(1, 'A', T2)));
    expect(later.kind === 'signedVoteResponse' && later.error?.description).toMatch(/^GUARD_DOUBLE_SIGN/);
  });

  it('a conflicting import at the last position makes the payload unknown: the state still opens and every vote there is refused', async () => {
    const { svc, key, guard } = await service();
    await votedOk(svc, vote(1, 'A', T1));
    const other = voteSignBytes('c1', { type: 1, height: 40n, round: 1, blockId: block('B'), timestamp: T1 });
    const report = await guard.importWatermarks([
      { keyId: key.keyId, height: 40, round: 1, step: 2, payloadHash: sha256(other), signature: null },
    ]);
    expect(report.raised).toEqual([key.keyId]);
    const state = await guard.lastSigned(key.keyId);
    expect([state?.payloadHash, state?.timestamp]).toEqual([null, undefined]);
    for (const t of [T1, T2]) {
      const r = await svc.handle(signVote(vote(1, 'A', t)));
      expect(r.kind === 'signedVoteResponse' && r.error?.description).toMatch(/^GUARD_DOUBLE_SIGN/);
    }
  });

  it("an interrupted signing (intent durable, no signature) re-requested later signs the intent's bytes at the old time", async () => {
    const { key } = await service();
    const guard = await SigningGuard.open({
      dir,
      init: true,
      chainId: 'c1',
      decoders: [cometbftVoteDecoder],
      hooks: {
        at: (p) => {
          if (p === 'signed') throw Object.assign(new Error('crash after signing, before the record'), { code: 'TEST_CRASH' });
        },
      },
    });
    const oldBytes = voteSignBytes('c1', { type: 1, height: 40n, round: 1, blockId: block('A'), timestamp: T1 });
    await expect(guard.sign(key, oldBytes)).rejects.toThrow('crash after signing');
    expect((await guard.lastSigned(key.keyId))?.signature).toBeNull();
    const fresh = await SigningGuard.open({ dir, chainId: 'c1', decoders: [cometbftVoteDecoder] });
    const newBytes = voteSignBytes('c1', { type: 1, height: 40n, round: 1, blockId: block('A'), timestamp: T2 });
    const r = await fresh.signDetailed(key, newBytes);
    expect([r.restamped, hex(r.signedBytes)]).toEqual([true, hex(oldBytes)]);
    expect(key.verify(oldBytes, r.signature)).toBe(true);
    expect(hex((await fresh.lastSigned(key.keyId))?.signature ?? new Uint8Array(0))).toBe(hex(r.signature));
  });
});
