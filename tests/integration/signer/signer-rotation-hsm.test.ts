/**
 * `hrng signer run` end to end, the parts signer-tcp.test.ts does not drive: key rotation at a configured
 * height (the first key signs below it, the next from it, the guard keeps both histories across a
 * restart, and a vote asked again with a later timestamp gets its stored signature and timestamp; the
 * SecretConnection identity kept in --connection-key is the same after the restart), a key held by a SoftHSM2 token (`--hsm-key`), and /readyz going 503 — and signing refused as
 * unhealthy — when the token goes away (its token directory removed under the running signer, so every
 * C_GetTokenInfo fails as it would for a pulled device). Real child processes over a real TCP
 * SecretConnection with the node-side client built from CometBFT's protocol (node-side.ts).
 *
 * And /readyz going 503 when the generator fails: the signer runs with `--source os --source pkcs11`, the
 * token's RNG a software TPM's (swtpm through tpm2-pkcs11) as the second credited vote; swtpm is killed
 * under it, the node drops the link, and the next handshake's draw (prediction resistance: every draw
 * reseeds) finds one credited group where the policy needs two, so the generator fails closed.
 *
 * The tokens are private ones brought up by the project's own scripts (scripts/tokens/softhsm.sh, tpm.sh),
 * so that removing or killing them does not disturb the shared test tokens.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { voteSignBytes } from '../../../consensus/index.js';
import { generateKey } from '../../../crypto/keys/generate.js';
import { writeKeystore } from '../../../crypto/keys/keystore.js';
import { emptyVote, type PrivvalMessage, type Vote } from '../../../signer/index.js';
import { requireTokenOnCi, softhsm, suiteTitle, tpm } from '../helpers/tokens.js';
import { nodeRandom } from '../../unit/keys/helpers.js';
import { NodeListener, type NodeLink } from './node-side.js';
import { HRNG, signerDialing, type SignerProcess } from './signer-process.js';

const CHAIN = 'rotation-chain';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const T = { seconds: 1_767_225_600n, nanos: 0 };
const block = (tag: string) => ({ hash: sha256(enc(`block ${tag}`)), partSetHeader: { total: 1, hash: sha256(enc(`parts ${tag}`)) } });
const vote = (height: number, tag: string): Vote => ({
  ...emptyVote(),
  type: 1,
  height: BigInt(height),
  round: 0,
  blockId: block(tag),
  timestamp: T,
});
const bytesOf = (height: number, tag: string): Uint8Array =>
  voteSignBytes(CHAIN, { type: 1, height: BigInt(height), round: 0, blockId: block(tag), timestamp: T });
const signVote = (v: Vote): PrivvalMessage => ({ kind: 'signVoteRequest', vote: v, chainId: CHAIN, skipExtensionSigning: false });

let dir: string;
const running: SignerProcess[] = [];
const listeners: NodeListener[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hrng-signer-rot-'));
});
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop('SIGKILL');
  for (const l of listeners.splice(0)) l.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function signerFor(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ proc: SignerProcess; link: NodeLink; node: NodeListener }> {
  const node = await NodeListener.listen();
  listeners.push(node);
  const proc = signerDialing(node, CHAIN, args, env);
  running.push(proc);
  return { proc, link: await node.next(), node };
}

async function voted(link: NodeLink, v: Vote): Promise<Vote> {
  const r = await link.request(signVote(v));
  if (r.kind !== 'signedVoteResponse' || r.error !== undefined)
    throw new Error(`vote at ${v.height}: ${JSON.stringify(r, (_k, x) => (typeof x === 'bigint' ? String(x) : x))}`);
  return r.vote;
}

describe('hrng signer: key rotation at a height', () => {
  it('the first key signs below --rotate-at, the next from it; the guard keeps both histories across a restart', async () => {
    const pass = join(dir, 'pass');
    writeFileSync(pass, 'rotation passphrase\n', { mode: 0o600 });
    const kdf = { function: 'scrypt', n: 2 ** 15, r: 8, p: 1 } as const;
    const first = generateKey('ed25519', { rng: nodeRandom });
    const next = generateKey('ed25519', { rng: nodeRandom });
    mkdirSync(join(dir, 'k1'), { mode: 0o700 });
    mkdirSync(join(dir, 'k2'), { mode: 0o700 });
    const firstFile = await writeKeystore(join(dir, 'k1'), first, enc('rotation passphrase'), { rng: nodeRandom, kdf });
    const nextFile = await writeKeystore(join(dir, 'k2'), next, enc('rotation passphrase'), { rng: nodeRandom, kdf });
    const guard = join(dir, 'guard');
    const connKey = join(dir, 'conn.key');
    const args = [
      '--connection-key',
      connKey,
      '--key',
      firstFile,
      '--passphrase-file',
      pass,
      '--next-key',
      nextFile,
      '--next-passphrase-file',
      pass,
      '--rotate-at',
      '20',
      '--guard',
      guard,
    ];
    let { proc, link } = await signerFor([...args, '--init-guard']);
    // --connection-key: created 0600 on first start, the identity the node saw.
    expect(statSync(connKey).mode & 0o777).toBe(0o600);
    const firstIdentity = Buffer.from(link.signerKey).toString('hex');
    expect(proc.stderr).toContain(`connection key ${firstIdentity} (${connKey}, created)`);
    const below = await voted(link, vote(19, 'A'));
    expect(ed25519.verify(below.signature, bytesOf(19, 'A'), first.publicKey)).toBe(true);
    expect(ed25519.verify(below.signature, bytesOf(19, 'A'), next.publicKey)).toBe(false);
    const at = await voted(link, vote(20, 'A'));
    expect(ed25519.verify(at.signature, bytesOf(20, 'A'), next.publicKey)).toBe(true);
    expect(ed25519.verify(at.signature, bytesOf(20, 'A'), first.publicKey)).toBe(false);
    // After the switch the node is given the next key.
    const pk = await link.request({ kind: 'pubKeyRequest', chainId: CHAIN });
    expect(pk.kind === 'pubKeyResponse' && Buffer.from(pk.pubKey).toString('hex')).toBe(Buffer.from(next.publicKey).toString('hex'));
    expect(
      readdirSync(guard)
        .filter((n) => n.endsWith('.state') || n.endsWith('.json'))
        .sort(),
    ).toEqual([`${first.keyId}.state`, `${next.keyId}.state`].sort());

    // Restart (no --init-guard): each key's history is its own and holds.
    link.close();
    expect(await proc.stop('SIGTERM')).toBe(0);
    ({ proc, link } = await signerFor(args));
    // The same SecretConnection identity after the restart, so a node or firewall pinning it keeps working.
    expect(Buffer.from(link.signerKey).toString('hex')).toBe(firstIdentity);
    const again = await voted(link, vote(19, 'A'));
    expect(Buffer.from(again.signature).equals(Buffer.from(below.signature))).toBe(true);
    const conflictOld = await link.request(signVote(vote(19, 'B')));
    expect(conflictOld.kind === 'signedVoteResponse' && conflictOld.error?.description).toMatch(/^GUARD_DOUBLE_SIGN/);
    const conflictNew = await link.request(signVote(vote(20, 'B')));
    expect(conflictNew.kind === 'signedVoteResponse' && conflictNew.error?.description).toMatch(/^GUARD_DOUBLE_SIGN/);
    const regression = await link.request(signVote(vote(18, 'A')));
    expect(regression.kind === 'signedVoteResponse' && regression.error?.description).toMatch(/^GUARD_REGRESSION/);
    const later = await voted(link, vote(21, 'A'));
    expect(ed25519.verify(later.signature, bytesOf(21, 'A'), next.publicKey)).toBe(true);
    // The node asks again for its vote with a later timestamp (as after its own restart): FilePV's answer,
    // the stored signature and the stored timestamp.
    const restamped = await voted(link, { ...vote(21, 'A'), timestamp: { seconds: T.seconds + 3n, nanos: 7 } });
    expect([restamped.timestamp, Buffer.from(restamped.signature).equals(Buffer.from(later.signature))]).toEqual([T, true]);
    link.close();
  });
});

requireTokenOnCi(softhsm, 'SoftHSM2');

const TOKEN_SCRIPTS = {
  softhsm: { script: fileURLToPath(new URL('../../../scripts/tokens/softhsm.sh', import.meta.url)), up: 'softhsm_up' },
  tpm: { script: fileURLToPath(new URL('../../../scripts/tokens/tpm.sh', import.meta.url)), up: 'tpm_up' },
} as const;
const LIB_SH = fileURLToPath(new URL('../../../scripts/tokens/lib.sh', import.meta.url));

/**
 * A private token from the project's script: its environment (SOFTHSM2_CONF, TPM2_PKCS11_*, HRNG_TEST_*),
 * or the reason it did not come up.
 */
function privateToken(kind: keyof typeof TOKEN_SCRIPTS, at: string): Record<string, string> {
  const { script, up } = TOKEN_SCRIPTS[kind];
  const out = execFileSync('bash', ['-c', `. "$1"; . "$2"; ${up} "$3" >&2; env`, 'bash', LIB_SH, script, at], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  const env: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^(SOFTHSM2_CONF|TPM2_PKCS11_[A-Z_]+|HRNG_TEST_(?:SOFTHSM|TPM)_[A-Z_]+)=(.*)$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) env[m[1]] = m[2];
  }
  return env;
}

describe.skipIf(!softhsm.up)(suiteTitle(softhsm, 'hrng signer --hsm-key against SoftHSM2, and /readyz when the token goes away'), () => {
  it('signs with the token-held key; when the token disappears /readyz is 503 and votes are refused as unhealthy', async () => {
    const t = privateToken('softhsm', join(dir, 'token'));
    expect(t.HRNG_TEST_SOFTHSM_SKIP).toBeUndefined();
    const env = {
      SOFTHSM2_CONF: t.SOFTHSM2_CONF,
      HRNG_PKCS11_LIBRARY: t.HRNG_TEST_SOFTHSM_MODULE,
      HRNG_PKCS11_TOKEN: t.HRNG_TEST_SOFTHSM_LABEL,
      HRNG_PKCS11_PIN_FILE: t.HRNG_TEST_SOFTHSM_PIN_FILE,
    };
    const gen = spawnSync(process.execPath, [HRNG, 'hsm', 'keygen', '--label', 'validator', '--json'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, ...env },
      timeout: 60_000,
    });
    expect([gen.status, gen.stderr]).toEqual([0, '']);
    const key = JSON.parse(gen.stdout) as { publicKey: string; keyId: string };
    const publicKey = Uint8Array.from(Buffer.from(key.publicKey, 'hex'));

    const { proc, link } = await signerFor(['--hsm-key', 'validator', '--guard', join(dir, 'hsm-guard'), '--init-guard'], env);
    const v = await voted(link, vote(30, 'H'));
    expect(ed25519.verify(v.signature, bytesOf(30, 'H'), publicKey)).toBe(true);
    const pk = await link.request({ kind: 'pubKeyRequest', chainId: CHAIN });
    expect(pk.kind === 'pubKeyResponse' && Buffer.from(pk.pubKey).toString('hex')).toBe(key.publicKey);
    const port = await proc.metricsPort();
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect([ready.status, await ready.text()]).toEqual([200, 'ready\n']);

    // The token goes away under the running signer.
    const tokens = join(dir, 'token', 'softhsm', 'tokens');
    expect(existsSync(tokens)).toBe(true);
    for (const d of readdirSync(tokens)) rmSync(join(tokens, d), { recursive: true, force: true });
    const gone = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect([gone.status, await gone.text()]).toEqual([503, 'not ready: the token is unreachable\n']);
    const refused = await link.request(signVote(vote(31, 'H')));
    expect(refused.kind === 'signedVoteResponse' && refused.error).toEqual({
      code: 4,
      description: 'signer unhealthy: the token is unreachable',
    });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/hrng_signer_requests_total\{type="vote",result="unhealthy"\} 1/);
    link.close();
  });
});

requireTokenOnCi(tpm, 'TPM');

describe.skipIf(!tpm.up)(suiteTitle(tpm, 'hrng signer --source pkcs11 (a TPM), and /readyz when the generator fails'), () => {
  const started: number[] = [];
  afterAll(() => {
    for (const pid of started) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone: the test killed it
      }
    }
  });

  it("signs with the TPM's RNG as a credited source; with swtpm killed the next draw fails the generator: /readyz 503", async () => {
    const t = privateToken('tpm', join(dir, 'tpm'));
    expect(t.HRNG_TEST_TPM_SKIP).toBeUndefined();
    // The pid swtpm wrote for itself (scripts/tokens/tpm.sh starts it with --pid file=DIR/tpm/swtpm.pid).
    const swtpm = Number(readFileSync(join(dir, 'tpm', 'tpm', 'swtpm.pid'), 'utf8').trim());
    expect(Number.isInteger(swtpm) && swtpm > 1).toBe(true);
    started.push(swtpm);
    const env = {
      TPM2_PKCS11_TCTI: t.TPM2_PKCS11_TCTI,
      TPM2_PKCS11_STORE: t.TPM2_PKCS11_STORE,
      TPM2_PKCS11_LOG_LEVEL: '0',
      HRNG_PKCS11_LIBRARY: t.HRNG_TEST_TPM_MODULE,
      HRNG_PKCS11_TOKEN: t.HRNG_TEST_TPM_LABEL,
      HRNG_PKCS11_PIN_FILE: t.HRNG_TEST_TPM_PIN_FILE,
    };
    const pass = join(dir, 'tpm-pass');
    writeFileSync(pass, 'tpm passphrase\n', { mode: 0o600 });
    const key = generateKey('ed25519', { rng: nodeRandom });
    mkdirSync(join(dir, 'tpm-key'), { mode: 0o700 });
    const file = await writeKeystore(join(dir, 'tpm-key'), key, enc('tpm passphrase'), {
      rng: nodeRandom,
      kdf: { function: 'scrypt', n: 2 ** 15, r: 8, p: 1 },
    });
    const { proc, link } = await signerFor(
      ['--key', file, '--passphrase-file', pass, '--guard', join(dir, 'tpm-guard'), '--init-guard', '--source', 'os', '--source', 'pkcs11'],
      env,
    );
    const v = await voted(link, vote(40, 'T'));
    expect(ed25519.verify(v.signature, bytesOf(40, 'T'), key.publicKey)).toBe(true);
    const port = await proc.metricsPort();
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect([ready.status, await ready.text()]).toEqual([200, 'ready\n']);

    // The TPM dies under the running signer; the node drops the link, and the signer dials again.
    process.kill(swtpm, 'SIGKILL');
    link.close();
    // First "not connected to the node" (the link is down); then the redial's handshake draws its ephemeral
    // key, and the generator fails.
    const failed = 'not ready: the random generator failed\n';
    let last = { status: 0, text: '' };
    for (let i = 0; i < 200 && last.text !== failed; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      last = { status: r.status, text: await r.text() };
    }
    // Not "not connected to the node": the generator is why, and readiness says so.
    expect(last).toEqual({ status: 503, text: failed });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/hrng_rng_state\{state="failed"\} 1/);
    expect(metrics).toMatch(/hrng_rng_state\{state="healthy"\} 0/);
  });
});
