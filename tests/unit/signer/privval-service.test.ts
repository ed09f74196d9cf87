/**
 * The privval request handler over a real file guard: what each request gets back, vote extensions,
 * refusals as RemoteSignerError, the chain check, health, and key rotation at a height (both keys'
 * histories kept). Plus the key schedule table, node addresses and priv_validator_key.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cometbftProposalDecoder,
  cometbftVoteDecoder,
  SigningGuard,
  voteExtensionSignBytes,
  voteSignBytes,
} from '../../../consensus/index.js';
import { generateKey } from '../../../crypto/keys/generate.js';
import { SoftwareSigner } from '../../../crypto/keys/software-signer.js';
import {
  emptyVote,
  formatPrivValidatorKey,
  keyForHeight,
  parseNodeAddress,
  parsePrivValidatorKey,
  PrivvalService,
  validatorAddress,
  type PrivvalMessage,
  type Vote,
} from '../../../signer/index.js';
import { thrown } from '../../helpers/thrown.js';
import { streamRandom } from '../keys/helpers.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const T = { seconds: 1_700_000_000n, nanos: 0 };
const block = (tag: string) => ({ hash: sha256(enc(tag)), partSetHeader: { total: 1, hash: sha256(enc(`p${tag}`)) } });
const vote = (type: number, height: number, tag: string, extension = ''): Vote => ({
  ...emptyVote(),
  type,
  height: BigInt(height),
  round: 0,
  blockId: block(tag),
  timestamp: T,
  extension: enc(extension),
});
const req = (v: Vote, chainId = 'c1', skip = false): PrivvalMessage => ({
  kind: 'signVoteRequest',
  vote: v,
  chainId,
  skipExtensionSigning: skip,
});
const ed = (n: number): SoftwareSigner => SoftwareSigner.fromRecord(generateKey('ed25519', { rng: streamRandom(n) }));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hrng-privval-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function service(opts: { next?: { signer: SoftwareSigner; fromHeight: number }; sick?: () => string | undefined } = {}) {
  const current = ed(1);
  const guard = await SigningGuard.open({ dir, init: true, chainId: 'c1', decoders: [cometbftVoteDecoder, cometbftProposalDecoder] });
  const seen: string[] = [];
  const svc = new PrivvalService({
    chainId: 'c1',
    guard,
    keys: opts.next ? { current, next: opts.next } : { current },
    observer: { request: (t, r) => seen.push(`${t}:${r}`), signedHeight: () => undefined },
    ...(opts.sick ? { unhealthy: opts.sick } : {}),
  });
  return { svc, current, seen };
}

describe('PrivvalService', () => {
  it('signs a precommit and its extension, re-signs the same, refuses a conflict, other chains and unknown vote types', async () => {
    const { svc, current, seen } = await service();
    const r = await svc.handle(req(vote(2, 5, 'A', 'ext')));
    if (r.kind !== 'signedVoteResponse' || r.error) throw new Error(JSON.stringify(r));
    expect(
      current.verify(voteSignBytes('c1', { type: 2, height: 5n, round: 0, blockId: block('A'), timestamp: T }), r.vote.signature),
    ).toBe(true);
    expect(current.verify(voteExtensionSignBytes('c1', { height: 5n, round: 0, extension: enc('ext') }), r.vote.extensionSignature)).toBe(
      true,
    );
    const skip = await svc.handle(req(vote(2, 5, 'A', 'ext'), 'c1', true));
    expect(
      skip.kind === 'signedVoteResponse' && [
        Buffer.from(skip.vote.signature).equals(Buffer.from(r.vote.signature)),
        skip.vote.extensionSignature.length,
      ],
    ).toEqual([true, 0]);
    const bad = await svc.handle(req(vote(2, 5, 'B')));
    expect(bad.kind === 'signedVoteResponse' && bad.error).toMatchObject({
      code: 2,
      description: expect.stringMatching(/^GUARD_DOUBLE_SIGN/),
    });
    expect(bad.kind === 'signedVoteResponse' && bad.vote.signature.length).toBe(0);
    const chain = await svc.handle(req(vote(1, 6, 'A'), 'c2'));
    expect(chain.kind === 'signedVoteResponse' && chain.error?.code).toBe(3);
    const pkOther = await svc.handle({ kind: 'pubKeyRequest', chainId: 'c2' });
    expect(pkOther.kind === 'pubKeyResponse' && [pkOther.pubKey.length, pkOther.error?.code]).toEqual([0, 3]);
    const weird = await svc.handle(req(vote(7, 6, 'A')));
    expect(weird.kind === 'signedVoteResponse' && weird.error?.code).toBe(5);
    // A nil precommit carries no extension signature.
    const nil = await svc.handle(
      req({ ...vote(2, 6, 'A'), blockId: { hash: new Uint8Array(0), partSetHeader: { total: 0, hash: new Uint8Array(0) } } }),
    );
    expect(nil.kind === 'signedVoteResponse' && [nil.error, nil.vote.extensionSignature.length]).toEqual([undefined, 0]);
    expect(await svc.handle({ kind: 'unsupported', field: 9 })).toMatchObject({ kind: 'pubKeyResponse', error: { code: 5 } });
    expect(seen).toEqual([
      'vote:ok',
      'vote:ok',
      'vote:refused',
      'vote:wrong-chain',
      'pubkey:wrong-chain',
      'vote:unsupported',
      'vote:ok',
      'unsupported:unsupported',
    ]);
  });

  it('refuses to sign while unhealthy, and signs once healthy again', async () => {
    let sick: string | undefined = 'the random generator failed';
    const { svc } = await service({ sick: () => sick });
    const r = await svc.handle(req(vote(1, 5, 'A')));
    expect(r.kind === 'signedVoteResponse' && r.error).toMatchObject({
      code: 4,
      description: 'signer unhealthy: the random generator failed',
    });
    sick = undefined;
    expect((await svc.handle(req(vote(1, 5, 'A')))).kind === 'signedVoteResponse').toBe(true);
  });

  it('rotates to the next key at the configured height; each key keeps its own history', async () => {
    const next = ed(2);
    const { svc, current } = await service({ next: { signer: next, fromHeight: 100 } });
    const before = await svc.handle(req(vote(1, 99, 'A')));
    expect(
      before.kind === 'signedVoteResponse' &&
        current.verify(voteSignBytes('c1', { type: 1, height: 99n, round: 0, blockId: block('A'), timestamp: T }), before.vote.signature),
    ).toBe(true);
    const pk = await svc.handle({ kind: 'pubKeyRequest', chainId: 'c1' });
    expect(pk.kind === 'pubKeyResponse' && Buffer.from(pk.pubKey).equals(Buffer.from(next.publicKey))).toBe(true);
    const after = await svc.handle(req(vote(1, 100, 'A')));
    expect(
      after.kind === 'signedVoteResponse' &&
        next.verify(voteSignBytes('c1', { type: 1, height: 100n, round: 0, blockId: block('A'), timestamp: T }), after.vote.signature),
    ).toBe(true);
    const conflict = await svc.handle(req(vote(1, 99, 'B')));
    expect(conflict.kind === 'signedVoteResponse' && conflict.error?.code).toBe(2);
  });

  it('refuses key schedules CometBFT cannot use', async () => {
    const guard = await SigningGuard.open({ dir, init: true });
    const ml = SoftwareSigner.fromRecord(generateKey('ml-dsa-65', { rng: streamRandom(3) }), { rng: streamRandom(4) });
    expect(thrown(() => new PrivvalService({ chainId: 'c', guard, keys: { current: ml } })).code).toBe('SIGNER_CONFIG_INVALID');
    const k = ed(5);
    expect(thrown(() => new PrivvalService({ chainId: 'c', guard, keys: { current: k, next: { signer: k, fromHeight: 5 } } })).code).toBe(
      'SIGNER_CONFIG_INVALID',
    );
    expect(
      thrown(() => new PrivvalService({ chainId: 'c', guard, keys: { current: k, next: { signer: ed(6), fromHeight: 0 } } })).code,
    ).toBe('SIGNER_CONFIG_INVALID');
  });
});

describe('key schedule, addresses, key files', () => {
  it('keyForHeight: the current key below the rotation height, the next from it on', () => {
    const a = ed(7);
    const b = ed(8);
    const rows: [number, SoftwareSigner][] = [
      [0, a],
      [99, a],
      [100, b],
      [101, b],
    ];
    for (const [h, want] of rows)
      expect([h, keyForHeight({ current: a, next: { signer: b, fromHeight: 100 } }, h).keyId]).toEqual([h, want.keyId]);
    expect(keyForHeight({ current: a }, 10 ** 9).keyId).toBe(a.keyId);
  });

  it('parses node addresses', () => {
    expect(parseNodeAddress('tcp://127.0.0.1:26659')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 26659 });
    expect(parseNodeAddress('tcp://[::1]:1')).toEqual({ kind: 'tcp', host: '::1', port: 1 });
    expect(parseNodeAddress('unix:///run/hrng/pv.sock')).toEqual({ kind: 'unix', path: '/run/hrng/pv.sock' });
    for (const bad of ['127.0.0.1:26659', 'tcp://host:0', 'tcp://host:70000', 'http://x:1', 'unix://relative']) {
      expect([bad, thrown(() => parseNodeAddress(bad)).code]).toEqual([bad, 'SIGNER_CONFIG_INVALID']);
    }
  });

  it('priv_validator_key.json round-trips, and a file whose key does not match its public key or address is refused', () => {
    const record = generateKey('ed25519', { rng: streamRandom(11) });
    const text = formatPrivValidatorKey(record);
    const doc = JSON.parse(text) as { address: string; pub_key: { value: string }; priv_key: { value: string } };
    expect(doc.address).toBe(validatorAddress(record.publicKey));
    expect(doc.address).toMatch(/^[0-9A-F]{40}$/);
    const back = parsePrivValidatorKey(text, 0);
    expect([back.keyId, back.seed.use((s) => Buffer.from(s).toString('hex'))]).toEqual([
      record.keyId,
      record.seed.use((s) => Buffer.from(s).toString('hex')),
    ]);
    const other = JSON.parse(formatPrivValidatorKey(generateKey('ed25519', { rng: streamRandom(12) }))) as typeof doc;
    const cases: [string, unknown][] = [
      ['not JSON', '{'],
      ['does not yield pub_key', { ...doc, pub_key: other.pub_key }],
      ['address', { ...doc, address: other.address }],
      ['priv_key.type', { ...doc, priv_key: { type: 'tendermint/PrivKeySecp256k1', value: doc.priv_key.value } }],
      ['64 bytes', { ...doc, priv_key: { type: 'tendermint/PrivKeyEd25519', value: Buffer.alloc(32).toString('base64') } }],
    ];
    for (const [what, d] of cases) {
      const e = thrown(() => parsePrivValidatorKey(typeof d === 'string' ? d : JSON.stringify(d), 0));
      expect([what, e.code, e.message.includes(what)]).toEqual([what, 'SIGNER_KEY_FILE_MALFORMED', true]);
    }
    // What it says in its message never includes key material.
    expect(thrown(() => parsePrivValidatorKey(JSON.stringify({ ...doc, pub_key: other.pub_key }), 0)).message).not.toContain(
      doc.priv_key.value.slice(0, 12),
    );
  });
});
