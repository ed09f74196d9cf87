/**
 * The PostgreSQL guard's table and the statements that touch it (pg-guard-store.ts runs them): one row
 * per key in `hrng_guard_state`, the key's advisory lock, and the compare-and-swap — a single conditional
 * statement that writes only if the row still holds every column of the state the writer read, so that it
 * is safe on its own even for a writer that skipped the lock (a stale replica, a restored database): under
 * READ COMMITTED an UPDATE that waited for a concurrent writer re-checks its WHERE against the row that
 * writer committed, so of N writers expecting one state exactly one matches.
 *
 * Every value is a bind parameter (the key id too, although it is [0-9A-Za-z_-]{1,128}); the statements
 * are named so that each connection parses and plans them once. Not supported: schemas other than the
 * connection's current one.
 */
import type { SignedState } from './guard-state.js';

export const GUARD_TABLE = 'hrng_guard_state';

export const GUARD_SCHEMA = `CREATE TABLE IF NOT EXISTS ${GUARD_TABLE} (
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
// EXISTS, which would queue behind any replica's statement on the table and then stall every one after it.
export const GUARD_MIGRATIONS: readonly { readonly column: string; readonly sql: string }[] = [
  { column: 'sign_timestamp', sql: `ALTER TABLE ${GUARD_TABLE} ADD COLUMN IF NOT EXISTS sign_timestamp bytea` },
];

export const GUARD_COLUMNS_SQL =
  'SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1';

/** A named statement as pg's query config takes it. */
export interface NamedStatement {
  readonly name: string;
  readonly text: string;
}

const COLUMNS = 'key_id, height::text, round::text, step, payload_hash, signature, sign_timestamp';
// The advisory lock's key: one 64-bit number per key id, in a namespace of its own. Replicas of the
// earlier store took the same key as a transaction lock, so old and new replicas exclude each other.
const LOCK_KEY = "hashtextextended('hrng_guard:' || $1, 0)";

export const GUARD_SQL = {
  /** Waits (up to lock_timeout) for the key's session lock; $1 key id. */
  lock: { name: 'hrng_guard_lock', text: `SELECT pg_advisory_lock(${LOCK_KEY})` },
  /** Releases it: `unlocked` is false when this session did not hold it. */
  unlock: { name: 'hrng_guard_unlock', text: `SELECT pg_advisory_unlock(${LOCK_KEY}) AS unlocked` },
  /** The key's row; $1 key id. */
  read: { name: 'hrng_guard_read', text: `SELECT ${COLUMNS} FROM ${GUARD_TABLE} WHERE key_id = $1` },
  /** Compare-and-swap from no state: inserts only if the key has no row; $1..$7 as insertValues. */
  insert: {
    name: 'hrng_guard_insert',
    text: `INSERT INTO ${GUARD_TABLE} (key_id, height, round, step, payload_hash, signature, sign_timestamp)
      VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key_id) DO NOTHING`,
  },
  /** Compare-and-swap: writes $2..$7 only where every column still equals $8..$13; as updateValues. */
  update: {
    name: 'hrng_guard_update',
    text: `UPDATE ${GUARD_TABLE} SET height = $2, round = $3, step = $4, payload_hash = $5, signature = $6, sign_timestamp = $7,
        updated_at = now()
      WHERE key_id = $1 AND height = $8 AND round = $9 AND step = $10
        AND payload_hash IS NOT DISTINCT FROM $11 AND signature IS NOT DISTINCT FROM $12
        AND sign_timestamp IS NOT DISTINCT FROM $13`,
  },
  keyIds: { name: 'hrng_guard_key_ids', text: `SELECT key_id FROM ${GUARD_TABLE} ORDER BY key_id` },
} as const satisfies Record<string, NamedStatement>;

/** A row as GUARD_SQL.read returns it (bigints as text: heights beyond 2^53 are refused by the guard). */
export type GuardRow = {
  key_id: string;
  height: string;
  round: string;
  step: number;
  payload_hash: Buffer | null;
  signature: Buffer | null;
  sign_timestamp: Buffer | null;
};

export function rowToState(r: GuardRow): SignedState {
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

/** The bind values of GUARD_SQL.insert. */
export function insertValues(next: SignedState): unknown[] {
  return [next.keyId, next.height, next.round, next.step, buf(next.payloadHash), buf(next.signature), buf(next.timestamp)];
}

/** The bind values of GUARD_SQL.update: the new state, then the state it must replace. */
export function updateValues(expected: SignedState, next: SignedState): unknown[] {
  return [
    ...insertValues(next),
    expected.height,
    expected.round,
    expected.step,
    buf(expected.payloadHash),
    buf(expected.signature),
    buf(expected.timestamp),
  ];
}
