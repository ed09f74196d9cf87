/**
 * `hrng signer run` end to end: a real child process dials a node-side listener over real loopback TCP,
 * the SecretConnection is run by a client built from CometBFT's documented protocol with other
 * primitives (node-side.ts), and votes, proposals and vote extensions are signed and refused across
 * restarts — on the file guard and on the PostgreSQL guard (scripts/postgres/with-postgres.sh).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { proposalSignBytes, voteExtensionSignBytes, voteSignBytes } from '../../../consensus/index.js';
import { generateKey } from '../../../crypto/keys/generate.js';
import { keyIdOf } from '../../../crypto/keys/key-id.js';
import { writeKeystore } from '../../../crypto/keys/keystore.js';
import { emptyProposal, emptyVote, type PrivvalMessage, type Proposal, type Vote } from '../../../signer/index.js';
import { nodeRandom } from '../../unit/keys/helpers.js';
import { NodeListener, type NodeLink } from './node-side.js';
import { signerDialing, type SignerProcess } from './signer-process.js';

const CHAIN = 'test-chain-1';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const T = { seconds: 1_767_225_600n, nanos: 5 };
const block = (tag: string) => ({ hash: sha256(enc(`block ${tag}`)), partSetHeader: { total: 1, hash: sha256(enc(`parts ${tag}`)) } });
const vote = (type: 1 | 2, height: number, round: number, tag: string, extension = ''): Vote => ({
  ...emptyVote(),
  type,
  height: BigInt(height),
  round,
  blockId: block(tag),
  timestamp: T,
  validatorAddress: new Uint8Array(20).fill(1),
  validatorIndex: 3,
  extension: enc(extension),
});
const canon = (v: Vote) => ({ ...v, type: v.type as 1 | 2 });
const proposal = (height: number, round: number, tag: string): Proposal => ({
  ...emptyProposal(),
  type: 32,
  height: BigInt(height),
  round,
  polRound: -1,
  blockId: block(tag),
  timestamp: T,
});
const signVote = (v: Vote, chainId = CHAIN): PrivvalMessage => ({ kind: 'signVoteRequest', vote: v, chainId, skipExtensionSigning: false });

let dir: string;
let keyFile: string;
let passFile: string;
let publicKey: Uint8Array;
const running: SignerProcess[] = [];
const listeners: NodeListener[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hrng-signer-it-'));
  passFile = join(dir, 'pass');
  writeFileSync(passFile, 'signer test passphrase\n', { mode: 0o600 });
  const key = generateKey('ed25519', { rng: nodeRandom });
  publicKey = key.publicKey;
  keyFile = await writeKeystore(dir, key, enc('signer test passphrase'), {
    rng: nodeRandom,
    kdf: { function: 'scrypt', n: 2 ** 15, r: 8, p: 1 },
  });
});
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop('SIGKILL');
  for (const l of listeners.splice(0)) l.close();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const pgUrl = process.env.HRNG_TEST_PG_URL;
if (process.env.CI === 'true' && pgUrl === undefined)
  throw new Error(`PostgreSQL is required on CI: ${process.env.HRNG_TEST_PG_SKIP ?? 'run under scripts/postgres/with-postgres.sh'}`);

const stores: [string, (name: string) => { args: string[]; env: Record<string, string> }][] = [
  ['file guard', (name) => ({ args: ['--guard', join(dir, `guard-${name}`)], env: {} })],
];
if (pgUrl !== undefined) stores.push(['PostgreSQL guard', () => ({ args: ['--guard-pg'], env: { HRNG_GUARD_PG_URL: pgUrl } })]);

describe.each(stores)('hrng signer over TCP SecretConnection (%s)', (name, store) => {
  beforeAll(async () => {
    if (pgUrl !== undefined && name.startsWith('PostgreSQL')) {
      const c = new pg.Client(pgUrl);
      await c.connect();
      await c.query('DROP TABLE IF EXISTS hrng_guard_state');
      await c.end();
    }
  });

  async function start(node: NodeListener, extra: string[]): Promise<{ proc: SignerProcess; link: NodeLink }> {
    const s = store(name.replace(/\W/g, ''));
    const proc = signerDialing(node, CHAIN, ['--key', keyFile, '--passphrase-file', passFile, ...s.args, ...extra], s.env);
    running.push(proc);
    const link = await node.next();
    return { proc, link };
  }

  it('signs votes, proposals and extensions; refuses conflicts and other chains; keeps history across restarts', async () => {
    const node = await NodeListener.listen();
    listeners.push(node);
    let { proc, link } = await start(node, ['--init-guard']);
    expect(await link.request({ kind: 'pingRequest' })).toEqual({ kind: 'pingResponse' });
    const pk = await link.request({ kind: 'pubKeyRequest', chainId: CHAIN });
    expect(pk.kind === 'pubKeyResponse' && Buffer.from(pk.pubKey).equals(Buffer.from(publicKey))).toBe(true);

    const prop = await link.request({ kind: 'signProposalRequest', proposal: proposal(10, 0, 'A'), chainId: CHAIN });
    if (prop.kind !== 'signedProposalResponse' || prop.error) throw new Error(`proposal: ${JSON.stringify(prop)}`);
    expect(ed25519.verify(prop.proposal.signature, proposalSignBytes(CHAIN, { ...proposal(10, 0, 'A') }), publicKey)).toBe(true);

    const prevote = await link.request(signVote(vote(1, 10, 0, 'A')));
    if (prevote.kind !== 'signedVoteResponse' || prevote.error) throw new Error(`prevote: ${JSON.stringify(prevote)}`);
    expect(ed25519.verify(prevote.vote.signature, voteSignBytes(CHAIN, canon(vote(1, 10, 0, 'A'))), publicKey)).toBe(true);
    expect(prevote.vote.extensionSignature).toHaveLength(0);

    const precommit = await link.request(signVote(vote(2, 10, 0, 'A', 'my extension')));
    if (precommit.kind !== 'signedVoteResponse' || precommit.error) throw new Error(`precommit: ${JSON.stringify(precommit)}`);
    expect(ed25519.verify(precommit.vote.signature, voteSignBytes(CHAIN, canon(vote(2, 10, 0, 'A'))), publicKey)).toBe(true);
    expect(
      ed25519.verify(
        precommit.vote.extensionSignature,
        voteExtensionSignBytes(CHAIN, { height: 10n, round: 0, extension: enc('my extension') }),
        publicKey,
      ),
    ).toBe(true);

    const conflict = await link.request(signVote(vote(2, 10, 0, 'B')));
    expect(conflict.kind === 'signedVoteResponse' && conflict.error).toMatchObject({
      code: 2,
      description: expect.stringMatching(/^GUARD_DOUBLE_SIGN: /),
    });
    const otherChain = await link.request(signVote(vote(1, 11, 0, 'A'), 'other-chain'));
    expect(otherChain.kind === 'signedVoteResponse' && otherChain.error).toMatchObject({ code: 3 });

    const port = await proc.metricsPort();
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/hrng_signer_requests_total\{type="vote",result="ok"\} 2/);
    expect(metrics).toMatch(/hrng_signer_requests_total\{type="vote",result="refused"\} 1/);
    expect(metrics).toMatch(/hrng_signer_requests_total\{type="vote",result="wrong-chain"\} 1/);
    expect(metrics).toMatch(/hrng_guard_height 10/);
    expect(metrics).toMatch(/hrng_rng_state\{state="healthy"\} 1/);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

    // Restart without --init-guard: the history is there; the identical precommit gets the same signature,
    // the earlier prevote is now a regression, a conflicting precommit a double sign.
    link.close();
    expect(await proc.stop('SIGTERM')).toBe(0);
    ({ proc, link } = await start(node, []));
    const again = await link.request(signVote(vote(2, 10, 0, 'A', 'my extension')));
    expect(again.kind === 'signedVoteResponse' && Buffer.from(again.vote.signature).equals(Buffer.from(precommit.vote.signature))).toBe(
      true,
    );
    const oldPrevote = await link.request(signVote(vote(1, 10, 0, 'A')));
    expect(oldPrevote.kind === 'signedVoteResponse' && oldPrevote.error?.description).toMatch(/^GUARD_REGRESSION/);
    const conflictAfter = await link.request(signVote(vote(2, 10, 0, 'B')));
    expect(conflictAfter.kind === 'signedVoteResponse' && conflictAfter.error?.code).toBe(2);
    const next = await link.request(signVote(vote(1, 11, 0, 'C')));
    expect(next.kind === 'signedVoteResponse' && next.error === undefined).toBe(true);

    // kill -9 and restart with a floor: heights below it are refused, even fresh ones.
    link.close();
    await proc.stop('SIGKILL');
    ({ proc, link } = await start(node, ['--min-height', '20']));
    const below = await link.request(signVote(vote(1, 15, 0, 'D')));
    expect(below.kind === 'signedVoteResponse' && below.error?.description).toMatch(/^GUARD_BELOW_FLOOR/);
    const at = await link.request(signVote(vote(1, 20, 0, 'D')));
    expect(at.kind === 'signedVoteResponse' && at.error === undefined).toBe(true);
    link.close();
    await proc.stop();
    // The audit log (stderr) names every signature and refusal, and no secret.
    expect(proc.stderr).toMatch(/"event":"refuse".*"code":"GUARD_BELOW_FLOOR"/);
    expect(proc.stderr).not.toContain('signer test passphrase');
    expect(readFileSync(keyFile, 'utf8')).not.toContain(Buffer.from(publicKey).toString('base64'));
  });

  it('a guard that cannot find its history refuses without --init-guard', async () => {
    const node = await NodeListener.listen();
    listeners.push(node);
    const s = store(`fresh-${name.replace(/\W/g, '')}`);
    const proc = signerDialing(
      node,
      'fresh-chain',
      [
        '--key',
        keyFile,
        '--passphrase-file',
        passFile,
        ...(name.startsWith('file') ? ['--guard', join(dir, 'guard-never-initialised')] : s.args),
      ],
      s.env,
    );
    running.push(proc);
    const link = await node.next();
    const r = await link.request(signVote(vote(1, 5, 0, 'A'), 'fresh-chain'));
    // PostgreSQL keeps this key's history from the first test (same key): only the file guard is fresh.
    if (name.startsWith('file')) expect(r.kind === 'signedVoteResponse' && r.error?.description).toMatch(/^GUARD_STATE_MISSING/);
    else expect(r.kind === 'signedVoteResponse' && r.error?.description).toMatch(/^GUARD_REGRESSION/);
    link.close();
  });
});

describe.skipIf(pgUrl === undefined)('hrng signer with the PostgreSQL guard: the lock wait', () => {
  it('refuses with GUARD_LOCKED once --guard-pg-lock-timeout has passed, not at the default, and signs once the lock is free', async () => {
    const url = pgUrl as string;
    const admin = new pg.Client(url);
    await admin.connect();
    const node = await NodeListener.listen();
    listeners.push(node);
    const proc = signerDialing(
      node,
      CHAIN,
      ['--key', keyFile, '--passphrase-file', passFile, '--guard-pg', '--guard-pg-lock-timeout', '3000', '--init-guard'],
      { HRNG_GUARD_PG_URL: url },
    );
    running.push(proc);
    try {
      const link = await node.next();
      // Far above the heights the other tests signed with this key.
      const first = await link.request(signVote(vote(1, 900_000, 0, 'A')));
      expect(first.kind === 'signedVoteResponse' && first.error).toBeUndefined();
      // Another replica's session holding the key's lock (the store's lock key, pg-guard-sql.ts).
      const keyId = keyIdOf('ed25519', publicKey);
      await admin.query("SELECT pg_advisory_lock(hashtextextended('hrng_guard:' || $1, 0))", [keyId]);
      const t0 = performance.now();
      const locked = await link.request(signVote(vote(1, 900_001, 0, 'A')));
      const waited = performance.now() - t0;
      expect(locked.kind === 'signedVoteResponse' && locked.error?.description).toBe('signer failed (GUARD_LOCKED); nothing signed');
      // Waited for the configured 3 s: not hrng signer's default 2 s (the flag parsed, then dropped) nor the
      // store's own 5 s (the flag never passed on). The upper bound leaves 1.9 s for the refusal's way back.
      expect([waited >= 2600, waited < 4900]).toEqual([true, true]);
      await admin.query("SELECT pg_advisory_unlock(hashtextextended('hrng_guard:' || $1, 0))", [keyId]);
      const after = await link.request(signVote(vote(1, 900_001, 0, 'A')));
      expect(after.kind === 'signedVoteResponse' && after.error).toBeUndefined();
      expect(proc.stderr).toMatch(/"code":"GUARD_LOCKED"/);
      link.close();
    } finally {
      await admin.end();
    }
  });
});
