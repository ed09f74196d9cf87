/**
 * The PostgreSQL guard store's lock and compare-and-swap (consensus/guard/pg-guard-store.ts,
 * pg-guard-sql.ts) against a real server (scripts/postgres/with-postgres.sh), each replica a store of its
 * own (its own sessions, as a replica on another host has):
 * - the conditional statement alone, with no lock taken, lets exactly one of many concurrent writers that
 *   expect one state through — and the same harness lets every writer through a mutant without the state
 *   condition, so it can tell;
 * - a stale writer that skipped the lock, between the guard's read and its intent or between its intent and
 *   its record, makes the guard refuse (GUARD_STATE_CONFLICT) and no signature leaves;
 * - a replica whose session the server drops mid-signing (its lock with it) returns nothing, the other
 *   replica takes the key at once and refuses the conflict from the durable intent, and the first reconnects;
 * - a replica that found the key locked keeps a working connection and holds no lock after; every lock is
 *   released after each signing; with maxConnections 1 two keys share one kept connection in turn.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodeHrngSignBytes,
  type GuardHooks,
  type GuardStateStore,
  PgGuardStore,
  type SignedState,
  SigningGuard,
} from '../../../consensus/index.js';
import { GUARD_SQL, insertValues, updateValues } from '../../../consensus/guard/pg-guard-sql.js';
import { generateKey } from '../../../crypto/keys/generate.js';
import type { Signer } from '../../../crypto/keys/index.js';
import { SoftwareSigner } from '../../../crypto/keys/software-signer.js';
import { rejectionCode } from '../../helpers/thrown.js';
import { streamRandom } from '../../unit/keys/helpers.js';

const url = process.env.HRNG_TEST_PG_URL;
if (process.env.CI === 'true' && url === undefined)
  throw new Error(`PostgreSQL is required on CI: ${process.env.HRNG_TEST_PG_SKIP ?? 'run under scripts/postgres/with-postgres.sh'}`);
const pgUrl = url ?? '';
const CHAIN = 'pg-lock';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const at = (height: number, body: string): Uint8Array =>
  encodeHrngSignBytes({ chainId: CHAIN, hrs: { height, round: 0, step: 1 }, body: enc(body) });
const intent = (keyId: string, height: number, body: string): SignedState => ({
  keyId,
  height,
  round: 0,
  step: 1,
  payloadHash: sha256(at(height, body)),
  signature: null,
});

/** A signer that keeps every message it signed: every signature that exists, returned or not. */
function counting(seed: number): { signer: Signer; signed: string[] } {
  const inner = SoftwareSigner.fromRecord(generateKey('ed25519', { rng: streamRandom(seed) }));
  const signed: string[] = [];
  const signer: Signer = {
    scheme: inner.scheme,
    publicKey: inner.publicKey,
    keyId: inner.keyId,
    verify: (m, s) => inner.verify(m, s),
    sign: async (m) => {
      const s = await inner.sign(m);
      signed.push(Buffer.from(m).toString('hex'));
      return s;
    },
  };
  return { signer, signed };
}

/** Guard hooks that pause the signing whose turn `pauseNow()` says, at 'signed' (after its intent is durable). */
function pauseOnce(pauseNow: () => boolean): { hooks: GuardHooks; held: Promise<void>; release: () => void } {
  let release: () => void = () => undefined;
  let holding: () => void = () => undefined;
  let done = false;
  const held = new Promise<void>((r) => {
    holding = r;
  });
  const hooks: GuardHooks = {
    at: (p) => {
      if (p !== 'signed' || done || !pauseNow()) return undefined;
      done = true;
      holding();
      return new Promise<void>((r) => {
        release = r;
      });
    },
  };
  return { hooks, held, release: () => release() };
}

async function connect(): Promise<pg.Client> {
  const c = new pg.Client(pgUrl);
  await c.connect();
  return c;
}

async function until(what: string, probe: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const grantedAdvisoryLocks = async (c: pg.Client): Promise<number> =>
  Number((await c.query<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted")).rows[0]?.n);

let admin: pg.Client;
const keys: string[] = [];
beforeAll(async () => {
  if (url === undefined) return;
  await (await PgGuardStore.open({ connectionString: pgUrl })).close(); // creates the table
  admin = await connect();
});
afterAll(async () => {
  if (url === undefined) return;
  await admin.query('DELETE FROM hrng_guard_state WHERE key_id = ANY($1)', [keys]).catch(() => undefined);
  await admin.end();
});

describe.skipIf(url === undefined)('PostgreSQL guard store: the conditional write and the lock', () => {
  it('with no lock taken, of 12 concurrent writers expecting one state exactly one writes; a mutant without the condition lets all 12 through', async () => {
    const keyId = 'cas-race';
    keys.push(keyId);
    const start = intent(keyId, 1, 'start');
    await admin.query('DELETE FROM hrng_guard_state WHERE key_id = $1', [keyId]);
    await admin.query(GUARD_SQL.insert.text, insertValues(start));
    const mutant = GUARD_SQL.update.text.replace(/\s+AND height = \$8[\s\S]*$/, '');
    expect(mutant).toMatch(/WHERE key_id = \$1$/);
    const writers = await Promise.all(Array.from({ length: 12 }, () => connect()));
    try {
      const race = async (text: string, values: (i: number) => unknown[]): Promise<number[]> => {
        // A blocker holds the row so every writer is queued on it before any runs: each then re-checks its
        // WHERE against the row the writer before it committed (READ COMMITTED), which only one can match.
        const blocker = await connect();
        try {
          await blocker.query('BEGIN');
          await blocker.query('SELECT key_id FROM hrng_guard_state WHERE key_id = $1 FOR UPDATE', [keyId]);
          const results = writers.map((w, i) => w.query(text, values(i)));
          await until('12 writers queued on the row lock', async () => {
            const r = await admin.query<{ n: string }>(
              "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE hrng_guard_state%'",
            );
            return Number(r.rows[0]?.n) === 12;
          });
          await blocker.query('COMMIT');
          return (await Promise.all(results)).map((r) => r.rowCount ?? 0);
        } finally {
          await blocker.end();
        }
      };
      const casCounts = await race(GUARD_SQL.update.text, (i) => updateValues(start, intent(keyId, 2, `w${i}`)));
      expect(casCounts.reduce((a, b) => a + b, 0)).toBe(1);
      const winner = casCounts.indexOf(1);
      const row = await admin.query<{ payload_hash: Buffer }>('SELECT payload_hash FROM hrng_guard_state WHERE key_id = $1', [keyId]);
      expect(Buffer.from(row.rows[0]?.payload_hash ?? []).toString('hex')).toBe(Buffer.from(sha256(at(2, `w${winner}`))).toString('hex'));

      const mutantCounts = await race(mutant, (i) => insertValues(intent(keyId, 3, `m${i}`)));
      expect(mutantCounts).toEqual(Array.from({ length: 12 }, () => 1));
    } finally {
      await Promise.all(writers.map((w) => w.end()));
    }
  });

  it('with no state yet, of 12 concurrent inserts exactly one writes', async () => {
    const keyId = 'cas-first';
    keys.push(keyId);
    await admin.query('DELETE FROM hrng_guard_state WHERE key_id = $1', [keyId]);
    const writers = await Promise.all(Array.from({ length: 12 }, () => connect()));
    try {
      const counts = (
        await Promise.all(writers.map((w, i) => w.query(GUARD_SQL.insert.text, insertValues(intent(keyId, 5, `i${i}`)))))
      ).map((r) => r.rowCount ?? 0);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    } finally {
      await Promise.all(writers.map((w) => w.end()));
    }
  });

  it('a stale writer that skipped the lock, before the intent or before the record: refused, no signature leaves', async () => {
    const { signer, signed } = counting(31);
    keys.push(signer.keyId);
    const stale = await connect();
    const store = await PgGuardStore.open({ connectionString: pgUrl });
    let afterRead: ((s: SignedState | undefined) => Promise<void>) | undefined;
    // The real store, with a stale writer let in right after the guard's read under the lock.
    const bypassed: GuardStateStore = {
      withKey: (k, fn) => store.withKey(k, fn),
      read: async (k) => {
        const s = await store.read(k);
        const f = afterRead;
        afterRead = undefined;
        await f?.(s);
        return s;
      },
      compareAndSwap: (k, e, n) => store.compareAndSwap(k, e, n),
      close: () => store.close(),
    };
    let beforeRecord: (() => Promise<void>) | undefined;
    const guard = await SigningGuard.open({
      store: bypassed,
      init: true,
      chainId: CHAIN,
      hooks: { at: async (p) => (p === 'signed' ? beforeRecord?.() : undefined) },
    });
    try {
      expect(signer.verify(at(1, 'A'), await guard.sign(signer, at(1, 'A')))).toBe(true);
      // Before the intent: the stale writer records B at height 2 over the state it (too) read.
      let staleWrote = -1;
      afterRead = async (s) => {
        staleWrote = (await stale.query(GUARD_SQL.update.text, updateValues(s as SignedState, intent(signer.keyId, 2, 'B')))).rowCount ?? 0;
      };
      expect(await rejectionCode(guard.sign(signer, at(2, 'A')))).toBe('GUARD_STATE_CONFLICT');
      expect(staleWrote).toBe(1);
      expect(signed).toHaveLength(1); // only height 1's: the guard never called the signer for height 2
      expect(Buffer.from((await store.read(signer.keyId))?.payloadHash ?? []).toString('hex')).toBe(
        Buffer.from(sha256(at(2, 'B'))).toString('hex'),
      );

      // Before the record: the intent for A at 3 is durable, the signature computed; the stale writer
      // replaces the intent; the record's compare-and-swap fails and the signature is not returned.
      beforeRecord = async () => {
        beforeRecord = undefined;
        const now = await admin.query<{ height: string }>('SELECT height::text FROM hrng_guard_state WHERE key_id = $1', [signer.keyId]);
        expect(now.rows[0]?.height).toBe('3');
        const r = await stale.query(GUARD_SQL.update.text, updateValues(intent(signer.keyId, 3, 'A'), intent(signer.keyId, 4, 'B')));
        expect(r.rowCount).toBe(1);
      };
      expect(await rejectionCode(guard.sign(signer, at(3, 'A')))).toBe('GUARD_STATE_CONFLICT');
      expect(signed).toHaveLength(2);
      const last = await store.read(signer.keyId);
      expect([last?.height, last?.signature]).toEqual([4, null]);
    } finally {
      await guard.close();
      await stale.end();
    }
  });

  it('a replica whose session is dropped mid-signing returns nothing; the other takes the key at once and refuses the conflict', async () => {
    const { signer, signed } = counting(32);
    keys.push(signer.keyId);
    const { hooks, held, release } = pauseOnce(() => signed.length === 2);
    const a = await SigningGuard.open({ store: await PgGuardStore.open({ connectionString: pgUrl }), init: true, chainId: CHAIN, hooks });
    const b = await SigningGuard.open({
      store: await PgGuardStore.open({ connectionString: pgUrl, lockTimeoutMs: 300 }),
      init: true,
      chainId: CHAIN,
    });
    try {
      expect(signer.verify(at(10, 'A'), await a.sign(signer, at(10, 'A')))).toBe(true);
      const pending = a.sign(signer, at(11, 'A'));
      await held;
      // While A holds the key, B gives up on the lock.
      expect(await rejectionCode(b.sign(signer, at(11, 'B')))).toBe('GUARD_LOCKED');
      const holder = await admin.query<{ pid: number }>("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted");
      expect(holder.rows).toHaveLength(1);
      // Waits until the session is gone (PostgreSQL 14+), so the lock is released when it returns.
      expect((await admin.query('SELECT pg_terminate_backend($1, 5000) AS t', [holder.rows[0]?.pid])).rows[0]?.t).toBe(true);
      // The lock went with A's session: B gets it at once and finds A's durable intent.
      expect(await rejectionCode(b.sign(signer, at(11, 'B')))).toBe('GUARD_DOUBLE_SIGN');
      release();
      expect(await rejectionCode(pending)).toBe('GUARD_STORE_FAILED');
      expect(signed).toEqual([Buffer.from(at(10, 'A')).toString('hex'), Buffer.from(at(11, 'A')).toString('hex')]);
      // A connects again; its intent allows it to sign the same bytes again, and the campaign goes on.
      expect(signer.verify(at(11, 'A'), await a.sign(signer, at(11, 'A')))).toBe(true);
      expect(signer.verify(at(12, 'A'), await b.sign(signer, at(12, 'A')))).toBe(true);
    } finally {
      release();
      await a.close();
      await b.close();
    }
  });

  it('a replica that found the key locked holds no lock after; locks are released after every signing; one kept connection serves two keys', async () => {
    const one = counting(33);
    const two = counting(34);
    keys.push(one.signer.keyId, two.signer.keyId);
    const { hooks, held, release } = pauseOnce(() => true);
    const a = await SigningGuard.open({
      store: await PgGuardStore.open({ connectionString: pgUrl, lockTimeoutMs: 1000, maxConnections: 1 }),
      init: true,
      chainId: CHAIN,
      hooks,
    });
    const b = await SigningGuard.open({
      store: await PgGuardStore.open({ connectionString: pgUrl, lockTimeoutMs: 200 }),
      init: true,
      chainId: CHAIN,
    });
    try {
      const pending = a.sign(one.signer, at(20, 'A'));
      await held;
      expect(await rejectionCode(b.sign(one.signer, at(21, 'A')))).toBe('GUARD_LOCKED');
      release();
      expect(await rejectionCode(pending)).toBe('ok');
      // B's connection is fine after its lock timed out, and it kept no lock: A (1 s limit) signs after it.
      for (let h = 21; h < 27; h += 2) {
        expect(await rejectionCode(b.sign(one.signer, at(h, 'A')))).toBe('ok');
        expect(await rejectionCode(a.sign(one.signer, at(h + 1, 'A')))).toBe('ok');
        expect(await rejectionCode(a.sign(two.signer, at(h + 1, 'A')))).toBe('ok');
      }
      await until('every advisory lock released', async () => (await grantedAdvisoryLocks(admin)) === 0);
      // maxConnections 1: A's two keys took turns on one kept connection (B keeps its own).
      await until('one guard connection per replica', async () => {
        const r = await admin.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'hrng-guard'");
        return Number(r.rows[0]?.n) === 2;
      });
      expect([one.signed.length, two.signed.length]).toEqual([7, 3]);
    } finally {
      release();
      await a.close();
      await b.close();
    }
  });
});
