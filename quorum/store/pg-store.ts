/**
 * The aggregator's state in PostgreSQL (`--store postgres://…`), so that a replacement aggregator can take
 * over: one row per state name in `hrng_quorum_state` (jsonb), replaced in one statement per save (a
 * single-row UPSERT is atomic). Not supported: two aggregators writing the same row concurrently (the last
 * writer wins; run one aggregator per state name).
 */
import pg from 'pg';
import { QuorumError } from '../errors.js';
import { parseState, type AggregatorState, type StateStore } from '../state.js';

export class PgStateStore implements StateStore {
  readonly description: string;
  private constructor(
    private readonly pool: pg.Pool,
    private readonly name: string,
    where: string,
  ) {
    this.description = `postgres ${where} (${name})`;
  }

  static async connect(url: string, name = 'default'): Promise<PgStateStore> {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => undefined);
    let where = 'server';
    try {
      const u = new URL(url);
      where = `${u.hostname}:${u.port || '5432'}${u.pathname}`;
    } catch {
      /* description only */
    }
    const store = new PgStateStore(pool, name, where);
    await store.query(
      'CREATE TABLE IF NOT EXISTS hrng_quorum_state (name text PRIMARY KEY, state jsonb NOT NULL, saved_at timestamptz NOT NULL DEFAULT now())',
      [],
    );
    return store;
  }

  private async query(text: string, values: unknown[]): Promise<pg.QueryResult> {
    try {
      return await this.pool.query(text, values);
    } catch (err) {
      throw new QuorumError('QUORUM_STORE_FAILED', `PostgreSQL: ${(err as { code?: string }).code ?? (err as Error).message}`, {
        cause: err,
      });
    }
  }

  async load(): Promise<AggregatorState | undefined> {
    const r = await this.query('SELECT state FROM hrng_quorum_state WHERE name = $1', [this.name]);
    const row = r.rows[0] as { state: unknown } | undefined;
    return row === undefined ? undefined : parseState(row.state);
  }

  async save(state: AggregatorState): Promise<void> {
    await this.query(
      'INSERT INTO hrng_quorum_state (name, state) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET state = EXCLUDED.state, saved_at = now()',
      [this.name, JSON.stringify(state)],
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
