/**
 * `--store postgres://…` against a real PostgreSQL (scripts/postgres/with-postgres.sh brings one up on
 * 127.0.0.1 and exports HRNG_TEST_PG_URL; `npm run test:integration` runs under it): the state round-trips,
 * and a replacement aggregator process on the same store reconstructs a key the first one made.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { PgStateStore } from '../../../quorum/store/pg-store.js';
import { EMPTY_STATE, type AggregatorState } from '../../../quorum/state.js';
import { Cluster } from './cluster.js';

const url = process.env['HRNG_TEST_PG_URL'];
const why = process.env['HRNG_TEST_PG_SKIP'] ?? 'HRNG_TEST_PG_URL is not set (run under scripts/postgres/with-postgres.sh)';

if (url === undefined && process.env['CI'] === 'true') {
  it('PostgreSQL is up for the quorum store tests (required on CI)', () => {
    expect.fail(`PostgreSQL not available: ${why}`);
  });
}

describe.skipIf(url === undefined)(url === undefined ? `quorum PostgreSQL store — skipped: ${why}` : 'quorum PostgreSQL store', () => {
  const stores: PgStateStore[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
  });

  it('round-trips the state; a second connection sees what the first saved; names are separate', async () => {
    const name = `test-${randomBytes(4).toString('hex')}`;
    const a = await PgStateStore.connect(url as string, name);
    const b = await PgStateStore.connect(url as string, name);
    const other = await PgStateStore.connect(url as string, `${name}-other`);
    stores.push(a, b, other);
    expect(await a.load()).toBe(undefined);
    const state: AggregatorState = {
      ...EMPTY_STATE,
      counter: 3,
      agents: [{ agentId: 'x', publicKey: 'ab'.repeat(32), region: 'eu', enrolledAt: 1, revoked: false }],
    };
    await a.save(state);
    expect(await b.load()).toEqual(state);
    await b.save({ ...state, counter: 4 });
    expect((await a.load())?.counter).toBe(4);
    expect(await other.load()).toBe(undefined);
  });

  it('a replacement aggregator process on the same store reconstructs the key', async () => {
    const c = await Cluster.start({ regions: ['eu', 'us', 'ap', 'sa'], store: url as string });
    try {
      expect(await c.control({ op: 'wait', agents: 4, timeoutMs: 60_000 }, 70_000)).toMatchObject({ ok: true });
      const created = await c.control({ op: 'create', threshold: 2, shares: 4, minAgents: 4 });
      expect(created, c.aggregatorStderr()).toMatchObject({ ok: true, epoch: 1 });
      await c.killAggregator();
      await c.startAggregator();
      expect(await c.control({ op: 'wait', agents: 4, timeoutMs: 30_000 }, 40_000)).toMatchObject({ ok: true });
      expect(await c.control({ op: 'reconstruct', keyId: created['keyId'] })).toMatchObject({
        ok: true,
        checkValue: created['checkValue'],
      });
    } finally {
      c.stop();
    }
  });
});
