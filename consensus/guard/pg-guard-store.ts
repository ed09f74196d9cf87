/**
 * The PostgreSQL guard store (Web3Signer keeps its slashing protection in PostgreSQL the same way), so
 * that two signer replicas for one key, on different hosts, can run for availability and never both
 * sign: one row per key in `hrng_guard_state`, and every intent a transaction of its own.
 *
 * `withKey` opens a transaction on a dedicated connection and takes the key's row lock
 * (`SELECT … FOR UPDATE`; for a key with no row yet, a transaction-scoped advisory lock on the key id
 * first, so two first signings cannot both insert). `compareAndSwap` inside it is a conditional write:
 * `UPDATE … WHERE` every column equals the state read (or `INSERT … ON CONFLICT DO NOTHING` for none),
 * and COMMITs before it resolves true — each durable write is its own committed transaction, then the
 * lock is taken again for the next one. A replica killed mid-transaction holds nothing: PostgreSQL
 * rolls the transaction back and releases the lock when the connection drops; a server restart
 * fails the request (nothing signed) and the next one reconnects.
 *
 * Durability is PostgreSQL's (fsync, synchronous_commit on — do not turn them off for this database).
 * Not supported: running inside a caller's transaction; key ids are the guard's ([0-9A-Za-z_-]{1,128}).
 */
import pg from 'pg';
import { ConsensusError } from '../errors.js';
import { assertKeyId, sameState, type SignedState } from './guard-state.js';
import type { GuardStateStore } from './guard-state-store.js';

const TABLE = 'hrng_guard_state';
const SCHEMA = `CREATE TABLE IF NOT EXISTS ${TABLE} (
  key_id text PRIMARY KEY,
  height bigint NOT NULL CHECK (height >= 0),
  round bigint NOT NULL CHECK (round >= 0),
  step integer NOT NULL CHECK (step >= 0),
  payload_hash bytea,
  signature bytea,
  sign_timestamp bytea,
  updated_at timestamptz NOT NULL DEFAULT now()
)`;
// Tables created before the signed bytes' timestamp was kept (NULL: unknown, only identical bytes re-sign).
// Each is run only when its column is missing: ALTER TABLE takes an ACCESS EXCLUSIVE lock even with IF NOT
// EXISTS, which would queue behind a replica signing (holding its row lock) and then stall every other.
const MIGRATIONS: readonly { readonly column: string; readonly sql: string }[] = [
  { column: 'sign_timestamp', sql: `ALTER TABLE ${TABLE} ADD COLUMN IF NOT EXISTS sign_timestamp bytea` },
];
const COLUMNS = 'key_id, height::text, round::text, step, payload_hash, signature, sign_timestamp';

export interface PgGuardStoreOptions {
  /** postgres://user:password@host:port/db — from the environment or a file, never argv. */
  readonly connectionString: string;
  /** Connections kept (one per key being signed at once); default 4. */
  readonly maxConnections?: number;
  /** Statement and lock wait limit in ms (a replica blocked on another's lock gives up); default 5000. */
  readonly lockTimeoutMs?: number;
}

type Row = {
  key_id: string;
  height: string;
  round: string;
  step: number;
  payload_hash: Buffer | null;
  signature: Buffer | null;
  sign_timestamp: Buffer | null;
};

const failed = (what: string, err: unknown): ConsensusError => {
  const code = (err as { code?: unknown }).code;
  // 55P03 lock_not_available: another replica holds this key's lock.
  if (code === '55P03')
    return new ConsensusError('GUARD_LOCKED', `guard store: another signer holds the lock for this key (${what})`, { cause: err });
  return new ConsensusError('GUARD_STORE_FAILED', `guard store (PostgreSQL) failed to ${what}: ${String(code ?? (err as Error).message)}`, {
    cause: err,
  });
};

function toState(r: Row): SignedState {
  return {
    keyId: r.key_id,
    height: Number(r.height),
    round: Number(r.round),
    step: r.step,
    payloadHash: r.payload_hash === null ? null : Uint8Array.from(r.payload_hash),
    signature: r.signature === null ? null : Uint8Array.from(r.signature),
    ...(r.sign_timestamp !== null ? { timestamp: Uint8Array.from(r.sign_timestamp) } : {}),
  };
}

const buf = (b: Uint8Array | null | undefined): Buffer | null => (b === null || b === undefined ? null : Buffer.from(b));

export class PgGuardStore implements GuardStateStore {
  readonly #pool: pg.Pool;
  readonly #held = new Map<string, pg.PoolClient>();
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly #lockTimeout: number;

  private constructor(pool: pg.Pool, lockTimeout: number) {
    this.#pool = pool;
    this.#lockTimeout = lockTimeout;
  }

  /** Connects and creates the table if it is missing. */
  static async open(opts: PgGuardStoreOptions): Promise<PgGuardStore> {
    const pool = new pg.Pool({ connectionString: opts.connectionString, max: opts.maxConnections ?? 4, connectionTimeoutMillis: 5000 });
    // An idle client that loses its server (a restart) emits 'error'; the next query reconnects.
    pool.on('error', () => undefined);
    try {
      await pool.query(SCHEMA);
      const have = await pool.query<{ column_name: string }>(
        'SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
        [TABLE],
      );
      const columns = new Set(have.rows.map((r) => r.column_name));
      for (const m of MIGRATIONS) if (!columns.has(m.column)) await pool.query(m.sql);
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw failed('create its table', err);
    }
    return new PgGuardStore(pool, opts.lockTimeoutMs ?? 5000);
  }

  async withKey<T>(keyId: string, fn: () => Promise<T>): Promise<T> {
    const id = assertKeyId(keyId);
    const previous = this.#queues.get(id) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(async () => {
        let client: pg.PoolClient;
        try {
          client = await this.#pool.connect();
        } catch (err) {
          throw failed('connect', err);
        }
        let broken = false;
        // A server restart or a dropped connection while the client is checked out: the query in flight
        // rejects (failing the signing, nothing signed); the event itself must not crash the process.
        const onError = (): void => {
          broken = true;
        };
        client.on('error', onError);
        try {
          await this.#lock(client, id);
          this.#held.set(id, client);
          return await fn();
        } catch (err) {
          broken = (err as { code?: unknown }).code === 'GUARD_STORE_FAILED';
          throw err;
        } finally {
          this.#held.delete(id);
          await client.query('ROLLBACK').catch(() => {
            broken = true;
          });
          client.off('error', onError);
          client.release(broken);
        }
      });
    this.#queues.set(id, run);
    try {
      return await run;
    } finally {
      if (this.#queues.get(id) === run) this.#queues.delete(id);
    }
  }

  async #lock(client: pg.PoolClient, id: string): Promise<void> {
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(this.#lockTimeout))}`);
      // Serializes first signings of a key (no row to lock yet) across replicas.
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended('hrng_guard:' || $1, 0))", [id]);
      await client.query(`SELECT key_id FROM ${TABLE} WHERE key_id = $1 FOR UPDATE`, [id]);
    } catch (err) {
      throw failed('lock the key', err);
    }
  }

  async read(keyId: string): Promise<SignedState | undefined> {
    const id = assertKeyId(keyId);
    const client = this.#held.get(id);
    try {
      const sql = `SELECT ${COLUMNS} FROM ${TABLE} WHERE key_id = $1`;
      const r = client ? await client.query<Row>(sql, [id]) : await this.#pool.query<Row>(sql, [id]);
      const row = r.rows[0];
      return row === undefined ? undefined : toState(row);
    } catch (err) {
      throw failed('read', err);
    }
  }

  async compareAndSwap(keyId: string, expected: SignedState | undefined, next: SignedState): Promise<boolean> {
    const id = assertKeyId(keyId);
    const client = this.#held.get(id);
    if (client === undefined) throw new ConsensusError('CONSENSUS_INVALID_ARGUMENT', `compareAndSwap of key ${keyId} outside withKey`);
    if (next.keyId !== id) throw new ConsensusError('CONSENSUS_INVALID_ARGUMENT', 'next.keyId must be the key being written');
    const values = [id, next.height, next.round, next.step, buf(next.payloadHash), buf(next.signature), buf(next.timestamp)];
    try {
      let changed: number;
      if (expected === undefined) {
        const r = await client.query(
          `INSERT INTO ${TABLE} (key_id, height, round, step, payload_hash, signature, sign_timestamp) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key_id) DO NOTHING`,
          values,
        );
        changed = r.rowCount ?? 0;
      } else {
        const e = [
          expected.height,
          expected.round,
          expected.step,
          buf(expected.payloadHash),
          buf(expected.signature),
          buf(expected.timestamp),
        ];
        const r = await client.query(
          `UPDATE ${TABLE} SET height = $2, round = $3, step = $4, payload_hash = $5, signature = $6, sign_timestamp = $7, updated_at = now()
           WHERE key_id = $1 AND height = $8 AND round = $9 AND step = $10
             AND payload_hash IS NOT DISTINCT FROM $11 AND signature IS NOT DISTINCT FROM $12
             AND sign_timestamp IS NOT DISTINCT FROM $13`,
          [...values, ...e],
        );
        changed = r.rowCount ?? 0;
      }
      if (changed !== 1) return false;
      await client.query('COMMIT');
      // The next write of this signing happens under the lock again, in a new transaction; the state
      // cannot have moved in between unless another writer ignored the lock, which its CAS would show.
      await this.#lock(client, id);
      const now = await this.read(id);
      if (!sameState(now, next))
        throw new ConsensusError('GUARD_STATE_CONFLICT', `guard state of key ${id} changed right after it was written`);
      return true;
    } catch (err) {
      if (err instanceof ConsensusError) throw err;
      throw failed('write', err);
    }
  }

  async keyIds(): Promise<string[]> {
    try {
      const r = await this.#pool.query<{ key_id: string }>(`SELECT key_id FROM ${TABLE} ORDER BY key_id`);
      return r.rows.map((x) => x.key_id);
    } catch (err) {
      throw failed('list keys', err);
    }
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
