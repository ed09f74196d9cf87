/**
 * The PostgreSQL guard store (Web3Signer keeps its slashing protection in PostgreSQL the same way), so
 * that two signer replicas for one key, on different hosts, can run for availability and never both
 * sign: one row per key in `hrng_guard_state` (pg-guard-sql.ts), and every intent a transaction of its own.
 *
 * Each key has a connection of its own, kept between signings, in pg's pipeline mode. `withKey` takes
 * the key's session advisory lock (waiting up to lockTimeoutMs; GUARD_LOCKED after) and reads the row
 * in the same round trip: the read is on the wire behind the lock and runs once it is granted, in a
 * snapshot taken after it, so it sees everything the last holder committed. `compareAndSwap` is then a
 * single conditional statement — `UPDATE … WHERE` every column equals the state read, or
 * `INSERT … ON CONFLICT DO NOTHING` for none — outside any transaction block, so it is one implicit
 * transaction, committed (WAL flushed) before it resolves true. The lock stays held across both writes and
 * the signature between them, and is released after the record without waiting for the reply (queries on
 * one connection run in order, so the key's next lock comes after the release). A signing is three round
 * trips and two WAL flushes; no transaction is open while the signer works.
 *
 * The lock keeps replicas in turn; the conditional statement alone keeps them safe: a writer that skipped
 * or lost the lock (a stale replica, a session dropped by the server) cannot overwrite a state it did not
 * read. A replica killed mid-signing holds nothing: its session ends and takes the lock with it; a server
 * restart fails the request in flight (nothing signed), and the next one connects again. A server that
 * stops answering without closing (a hung host, a dropped path) fails the request after queryTimeoutMs
 * (GUARD_STORE_FAILED, the connection destroyed), and TCP keepalive notices a vanished peer while idle.
 *
 * Durability is PostgreSQL's (fsync, synchronous_commit on — do not turn them off for this database).
 * Not supported: running inside a caller's transaction, or through a pooler that multiplexes sessions
 * (PgBouncer's transaction mode would lose the session lock); key ids are the guard's ([0-9A-Za-z_-]{1,128}).
 */
import pg from 'pg';
import { ConsensusError } from '../errors.js';
import { check } from './guard-check.js';
import { assertKeyId, type SignedState } from './guard-state.js';
import type { GuardStateStore } from './guard-state-store.js';
import {
  GUARD_COLUMNS_SQL,
  GUARD_MIGRATIONS,
  GUARD_SCHEMA,
  GUARD_SQL,
  GUARD_TABLE,
  type GuardRow,
  insertValues,
  type NamedStatement,
  rowToState,
  updateValues,
} from './pg-guard-sql.js';

export interface PgGuardStoreOptions {
  /** postgres://user:password@host:port/db — from the environment or a file, never argv. */
  readonly connectionString: string;
  /** Key connections kept open between signings (one per key; the least recently used idle one is closed beyond this); default 4. */
  readonly maxConnections?: number;
  /** Lock wait limit in ms (a replica blocked on another's lock gives up: GUARD_LOCKED); default 5000. */
  readonly lockTimeoutMs?: number;
  /**
   * Limit in ms on every query's reply, greater than lockTimeoutMs; default lockTimeoutMs + 5000. A server
   * that stops answering (a hung host, a path dropped without a reset) fails the signing with
   * GUARD_STORE_FAILED instead of holding it until the kernel gives up on the connection (minutes): by
   * then the node asking has long timed out. The connection is closed and the next signing opens another.
   */
  readonly queryTimeoutMs?: number;
}

/** TCP keepalive on every connection: a peer that vanished is noticed while the connection is idle too. */
const KEEPALIVE_DELAY_MS = 10_000;

const failed = (what: string, err: unknown): ConsensusError => {
  const code = (err as { code?: unknown }).code;
  // 55P03 lock_not_available: another replica holds this key's lock.
  if (code === '55P03')
    return new ConsensusError('GUARD_LOCKED', `guard store: another signer holds the lock for this key (${what})`, { cause: err });
  return new ConsensusError('GUARD_STORE_FAILED', `guard store (PostgreSQL) failed to ${what}: ${String(code ?? (err as Error).message)}`, {
    cause: err,
  });
};

const run = (s: NamedStatement, values: unknown[]): pg.QueryConfig => ({ name: s.name, text: s.text, values });
const noop = (): void => undefined;

/** A key's own connection. */
interface KeyLink {
  readonly client: pg.Client;
  /** The connection failed (or is being closed): it is not used again. */
  broken: boolean;
  busy: boolean;
  ended?: Promise<void>;
}

/** A key inside withKey: its connection, and the row read with the lock until the first read or write. */
interface Held {
  readonly link: KeyLink;
  first: { readonly state: SignedState | undefined } | undefined;
}

export class PgGuardStore implements GuardStateStore {
  /** For reads outside withKey, listing keys, and creating the table. */
  readonly #pool: pg.Pool;
  readonly #links = new Map<string, KeyLink>();
  readonly #held = new Map<string, Held>();
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly #opts: Required<PgGuardStoreOptions>;

  private constructor(pool: pg.Pool, opts: Required<PgGuardStoreOptions>) {
    this.#pool = pool;
    this.#opts = opts;
  }

  /** Connects and creates the table if it is missing (and each missing column). */
  static async open(opts: PgGuardStoreOptions): Promise<PgGuardStore> {
    const lockTimeoutMs = Math.max(1, Math.floor(opts.lockTimeoutMs ?? 5000));
    const queryTimeoutMs =
      opts.queryTimeoutMs === undefined
        ? lockTimeoutMs + 5000
        : check.integer(opts.queryTimeoutMs, 'queryTimeoutMs', { min: lockTimeoutMs + 1, max: 600_000 });
    const pool = new pg.Pool({
      connectionString: opts.connectionString,
      max: 2,
      connectionTimeoutMillis: 5000,
      query_timeout: queryTimeoutMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    });
    // An idle client that loses its server (a restart) emits 'error'; the next query reconnects.
    pool.on('error', noop);
    try {
      await pool.query(GUARD_SCHEMA);
      const have = await pool.query<{ column_name: string }>(GUARD_COLUMNS_SQL, [GUARD_TABLE]);
      const columns = new Set(have.rows.map((r) => r.column_name));
      for (const m of GUARD_MIGRATIONS) if (!columns.has(m.column)) await pool.query(m.sql);
    } catch (err) {
      await pool.end().catch(noop);
      throw failed('create its table', err);
    }
    return new PgGuardStore(pool, {
      connectionString: opts.connectionString,
      maxConnections: Math.max(1, Math.floor(opts.maxConnections ?? 4)),
      lockTimeoutMs,
      queryTimeoutMs,
    });
  }

  async withKey<T>(keyId: string, fn: () => Promise<T>): Promise<T> {
    const id = assertKeyId(keyId);
    const previous = this.#queues.get(id) ?? Promise.resolve();
    const turn = previous.catch(noop).then(() => this.#underLock(id, fn));
    this.#queues.set(id, turn);
    try {
      return await turn;
    } finally {
      if (this.#queues.get(id) === turn) this.#queues.delete(id);
    }
  }

  async #underLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const link = await this.#link(id);
    link.busy = true;
    let locked = false;
    try {
      const lock = link.client.query(run(GUARD_SQL.lock, [id]));
      const read = link.client.query<GuardRow>(run(GUARD_SQL.read, [id]));
      read.catch(noop); // awaited below only once the lock is held
      try {
        await lock;
      } catch (err) {
        throw failed('lock the key', err);
      }
      locked = true;
      let row: GuardRow | undefined;
      try {
        row = (await read).rows[0];
      } catch (err) {
        throw failed('read', err);
      }
      this.#held.set(id, { link, first: { state: row === undefined ? undefined : rowToState(row) } });
      return await fn();
    } catch (err) {
      if ((err as { code?: unknown }).code === 'GUARD_STORE_FAILED') link.broken = true;
      throw err;
    } finally {
      this.#held.delete(id);
      link.busy = false;
      if (link.broken) this.#drop(id, link);
      else if (locked) this.#unlock(id, link);
    }
  }

  /** Releases the key's lock without waiting; a connection whose release fails is closed (which releases it). */
  #unlock(id: string, link: KeyLink): void {
    link.client.query<{ unlocked: boolean }>(run(GUARD_SQL.unlock, [id])).then(
      (r) => {
        if (r.rows[0]?.unlocked !== true) this.#drop(id, link);
      },
      () => this.#drop(id, link),
    );
  }

  /** The key's connection, opened if it has none or its last one failed. */
  async #link(id: string): Promise<KeyLink> {
    const have = this.#links.get(id);
    if (have !== undefined) {
      this.#links.delete(id);
      if (!have.broken) {
        this.#links.set(id, have); // most recently used last
        return have;
      }
      this.#drop(id, have);
    }
    for (const [other, l] of this.#links) {
      if (this.#links.size < this.#opts.maxConnections) break;
      if (!l.busy) this.#drop(other, l);
    }
    const client = new pg.Client({
      connectionString: this.#opts.connectionString,
      pipeline: true,
      lock_timeout: this.#opts.lockTimeoutMs,
      // In pipeline mode a query past its limit destroys the socket (the pipeline behind it cannot
      // proceed); its error is GUARD_STORE_FAILED, which marks the link broken.
      query_timeout: this.#opts.queryTimeoutMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
      connectionTimeoutMillis: 5000,
      application_name: 'hrng-guard',
    });
    const link: KeyLink = { client, broken: false, busy: false };
    // A server restart or a dropped connection: the query in flight rejects (failing the signing, nothing
    // signed); the event itself must not crash the process, and the next signing connects again.
    client.on('error', () => {
      link.broken = true;
    });
    client.on('end', () => {
      link.broken = true;
    });
    try {
      await client.connect();
    } catch (err) {
      link.broken = true;
      await client.end().catch(noop);
      throw failed('connect', err);
    }
    this.#links.set(id, link);
    return link;
  }

  #drop(id: string, link: KeyLink): Promise<void> {
    link.broken = true;
    if (this.#links.get(id) === link) this.#links.delete(id);
    link.ended ??= link.client.end().catch(noop);
    return link.ended;
  }

  async read(keyId: string): Promise<SignedState | undefined> {
    const id = assertKeyId(keyId);
    const held = this.#held.get(id);
    if (held?.first !== undefined) {
      // The row read with the lock, in the same round trip; nothing of this key was written since.
      const { state } = held.first;
      held.first = undefined;
      return state;
    }
    try {
      const q = run(GUARD_SQL.read, [id]);
      const r = held ? await held.link.client.query<GuardRow>(q) : await this.#pool.query<GuardRow>(q);
      const row = r.rows[0];
      return row === undefined ? undefined : rowToState(row);
    } catch (err) {
      throw failed('read', err);
    }
  }

  async compareAndSwap(keyId: string, expected: SignedState | undefined, next: SignedState): Promise<boolean> {
    const id = assertKeyId(keyId);
    const held = this.#held.get(id);
    if (held === undefined) throw new ConsensusError('CONSENSUS_INVALID_ARGUMENT', `compareAndSwap of key ${keyId} outside withKey`);
    if (next.keyId !== id) throw new ConsensusError('CONSENSUS_INVALID_ARGUMENT', 'next.keyId must be the key being written');
    held.first = undefined;
    try {
      // Outside a transaction block the statement is its own transaction, committed at its Sync: the
      // reply comes after the commit's WAL flush, so true means durable.
      const r = await held.link.client.query(
        expected === undefined ? run(GUARD_SQL.insert, insertValues(next)) : run(GUARD_SQL.update, updateValues(expected, next)),
      );
      return r.rowCount === 1;
    } catch (err) {
      throw failed('write', err);
    }
  }

  async keyIds(): Promise<string[]> {
    try {
      const r = await this.#pool.query<{ key_id: string }>(run(GUARD_SQL.keyIds, []));
      return r.rows.map((x) => x.key_id);
    } catch (err) {
      throw failed('list keys', err);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#links].map(([id, l]) => this.#drop(id, l)));
    await this.#pool.end();
  }
}
