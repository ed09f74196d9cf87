/**
 * The PostgreSQL guard store against a real server (scripts/postgres/with-postgres.sh): its
 * compare-and-swap, signer replicas as separate processes racing with conflicting payloads (exactly one
 * payload per position ever signed, counting every signature computed), a replica SIGKILLed while it
 * holds the key's session advisory lock mid-signing, a backend that stops answering (SIGSTOP), and the server restarted in the middle of a signing campaign.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHrngSignBytes, PgGuardStore, SigningGuard, type SignedState } from '../../../consensus/index.js';
import { SoftwareSigner } from '../../../crypto/keys/index.js';
import { Secret } from '../../../crypto/secret/index.js';
import { rejectionCode } from '../../helpers/thrown.js';
import { conflicts, SEED, signedPayloads, startChild } from '../../adversarial/byzantine/race-helpers.js';

const url = process.env.HRNG_TEST_PG_URL;
if (process.env.CI === 'true' && url === undefined)
  throw new Error(`PostgreSQL is required on CI: ${process.env.HRNG_TEST_PG_SKIP ?? 'run under scripts/postgres/with-postgres.sh'}`);
const PG_CTL = fileURLToPath(new URL('../../../scripts/postgres/pg-ctl.sh', import.meta.url));
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const at = (height: number, body: string): Uint8Array =>
  encodeHrngSignBytes({ chainId: 'race', hrs: { height, round: 0, step: 1 }, body: enc(body) });

let work: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'hrng-pg-guard-'));
  if (url === undefined) return;
  const c = new pg.Client(url);
  await c.connect();
  await c.query('DROP TABLE IF EXISTS hrng_guard_state');
  await c.end();
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(url === undefined)('PostgreSQL guard store', () => {
  const pgUrl = url ?? '';

  it('compare-and-swap writes only over the state it was given, and only inside withKey', async () => {
    const store = await PgGuardStore.open({ connectionString: pgUrl });
    try {
      const s = (height: number, sig: Uint8Array | null = null): SignedState => ({
        keyId: 'cas-key',
        height,
        round: 0,
        step: 1,
        payloadHash: new Uint8Array(32).fill(height),
        signature: sig,
      });
      expect(await store.withKey('cas-key', () => store.compareAndSwap('cas-key', undefined, s(1)))).toBe(true);
      expect(await store.withKey('cas-key', () => store.compareAndSwap('cas-key', undefined, s(2)))).toBe(false);
      expect(await store.withKey('cas-key', () => store.compareAndSwap('cas-key', s(2), s(3)))).toBe(false);
      expect(await store.withKey('cas-key', () => store.compareAndSwap('cas-key', s(1), s(1, new Uint8Array(64).fill(9))))).toBe(true);
      expect(await store.read('cas-key')).toEqual(s(1, new Uint8Array(64).fill(9)));
      expect(await rejectionCode(store.compareAndSwap('cas-key', s(1), s(2)))).toBe('CONSENSUS_INVALID_ARGUMENT');
      expect(await store.keyIds()).toContain('cas-key');
    } finally {
      await store.close();
    }
  });

  it('six replica processes, two payloads, three positions: one payload per position', async () => {
    const log = join(work, 'race.log');
    writeFileSync(log, '');
    for (let height = 1; height <= 3; height++) {
      const runs = await Promise.all(
        [0, 1, 2, 3, 4, 5].map(
          (i) => startChild({ PG_URL: pgUrl, SIGNATURE_LOG: log, HEIGHT: String(height), PAYLOAD: i % 2 === 0 ? 'A' : 'B' }).done,
        ),
      );
      expect(signedPayloads(log, height)).toHaveLength(1);
      // Losers were refused (a conflict), found the key locked, or — between committing their intent and
      // taking the lock again — saw another replica with the same payload record it (GUARD_STATE_CONFLICT):
      // all fail closed, and the log above shows nothing else was signed.
      const allowed = ['GUARD_DOUBLE_SIGN', 'GUARD_LOCKED', 'GUARD_STATE_CONFLICT'];
      expect(runs.filter((r) => r.ok !== true && !allowed.includes(r.code ?? ''))).toEqual([]);
      expect(runs.filter((r) => r.ok === true).length).toBeGreaterThanOrEqual(1);
    }
    expect(conflicts(log)).toEqual([]);
  });

  it('a replica killed with SIGKILL mid-signing releases its session lock; its durable intent still refuses the conflict', async () => {
    const log = join(work, 'kill.log');
    writeFileSync(log, '');
    const holder = startChild({ PG_URL: pgUrl, SIGNATURE_LOG: log, HEIGHT: '10', PAYLOAD: 'A', HOLD_AT: 'signed', HOLD_MS: '20000' });
    await new Promise((r) => setTimeout(r, 2500));
    // While it holds the lock, another replica waits, then gives up: fail closed, nothing signed.
    expect(await startChild({ PG_URL: pgUrl, SIGNATURE_LOG: log, HEIGHT: '10', PAYLOAD: 'B', LOCK_TIMEOUT_MS: '300' }).done).toEqual({
      ok: false,
      code: 'GUARD_LOCKED',
    });
    process.kill(holder.pid ?? 0, 'SIGKILL');
    expect(await holder.done).toEqual({ killed: true });
    expect(await startChild({ PG_URL: pgUrl, SIGNATURE_LOG: log, HEIGHT: '10', PAYLOAD: 'B' }).done).toEqual({
      ok: false,
      code: 'GUARD_DOUBLE_SIGN',
    });
    expect(await startChild({ PG_URL: pgUrl, SIGNATURE_LOG: log, HEIGHT: '10', PAYLOAD: 'A' }).done).toEqual({ ok: true });
    expect(signedPayloads(log, 10)).toEqual(['A']);
  });

  it('a server that stops answering fails the signing within queryTimeoutMs (no hang), and the next signing reconnects', async () => {
    const store = await PgGuardStore.open({ connectionString: pgUrl, lockTimeoutMs: 300, queryTimeoutMs: 1500 });
    const guard = await SigningGuard.open({ store, init: true, chainId: 'race' });
    using signer = SoftwareSigner.fromSeed('ed25519', Secret.from(new Uint8Array(32).fill(0x5a)));
    const admin = new pg.Client(pgUrl);
    await admin.connect();
    let stopped: number | undefined;
    try {
      expect(signer.verify(at(200, 'v'), await guard.sign(signer, at(200, 'v')))).toBe(true);
      // The backend of the key's kept connection, frozen: it neither answers nor closes (a hung host).
      const r = await admin.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'hrng-guard' AND pid <> pg_backend_pid()",
      );
      expect(r.rows).toHaveLength(1);
      stopped = r.rows[0]?.pid ?? 0;
      process.kill(stopped, 'SIGSTOP');
      const t0 = performance.now();
      const outcome = await rejectionCode(guard.sign(signer, at(201, 'v')));
      const waited = performance.now() - t0;
      expect(outcome).toBe('GUARD_STORE_FAILED');
      // Bounded by the limit, not by the kernel's minutes (a generous bound: this is not a speed test).
      expect(waited).toBeLessThan(30_000);
      process.kill(stopped, 'SIGCONT');
      // The frozen session ends once it reads our side's close; its lock goes with it.
      for (let i = 0; i < 100; i++) {
        const left = await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [stopped]);
        if (left.rowCount === 0) break;
        await new Promise((res) => setTimeout(res, 50));
      }
      stopped = undefined;
      // Nothing was written at 201 (the request failed at the lock): it signs now, on a new connection.
      expect(signer.verify(at(201, 'v'), await guard.sign(signer, at(201, 'v')))).toBe(true);
      expect(await rejectionCode(guard.sign(signer, at(201, 'other')))).toBe('GUARD_DOUBLE_SIGN');
    } finally {
      if (stopped !== undefined) process.kill(stopped, 'SIGCONT');
      await admin.end();
      await guard.close();
    }
  });

  it('queryTimeoutMs must exceed lockTimeoutMs (a lock wait would be cut short as a failure)', async () => {
    expect(await rejectionCode(PgGuardStore.open({ connectionString: pgUrl, lockTimeoutMs: 2000, queryTimeoutMs: 2000 }))).toBe(
      'CONSENSUS_INVALID_ARGUMENT',
    );
  });

  it('the server restarted mid-campaign: requests fail closed while it is down, history intact after', async () => {
    const store = await PgGuardStore.open({ connectionString: pgUrl });
    const guard = await SigningGuard.open({ store, init: true, chainId: 'race' });
    using signer = SoftwareSigner.fromSeed('ed25519', Secret.from(Uint8Array.from(Buffer.from(SEED.replace(/^9d/, '1d'), 'hex'))));
    try {
      for (let h = 100; h < 105; h++) expect(signer.verify(at(h, 'v'), await guard.sign(signer, at(h, 'v')))).toBe(true);
      execFileSync('bash', [PG_CTL, 'stop'], { env: process.env });
      expect(await rejectionCode(guard.sign(signer, at(105, 'v')))).toBe('GUARD_STORE_FAILED');
      execFileSync('bash', [PG_CTL, 'start'], { env: process.env });
      // The failed request recorded nothing: 105 is still open; the campaign goes on; old conflicts stay refused.
      expect(signer.verify(at(105, 'v'), await guard.sign(signer, at(105, 'v')))).toBe(true);
      expect(await rejectionCode(guard.sign(signer, at(104, 'other')))).toBe('GUARD_REGRESSION');
      expect(await rejectionCode(guard.sign(signer, at(105, 'other')))).toBe('GUARD_DOUBLE_SIGN');
    } finally {
      execFileSync('bash', [PG_CTL, 'start'], { env: process.env });
      await guard.close();
    }
  });
});
