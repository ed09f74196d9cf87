/**
 * One aggregator and 7 agents as separate processes on loopback, mutual TLS between them: enrolment,
 * entropy collection, key derivation, sharding 4-of-7, two rotations, an aggregator killed and restarted,
 * reconstruction while agents are killed (SIGKILL). Budget: under 2 minutes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from './cluster.js';

const REGIONS = ['eu', 'eu', 'us', 'us', 'ap', 'ap', 'sa'];

describe('quorum: 1 aggregator + 7 agents, separate processes', () => {
  let c: Cluster;
  let keyId = '';
  let checkValue = '';
  beforeAll(async () => {
    c = await Cluster.start({ regions: REGIONS });
  }, 90_000);
  afterAll(() => {
    c?.stop();
  });

  it('enrols 7 agents that contribute, derives a key and shards it 4-of-7 across regions', async () => {
    const ready = await c.control({ op: 'wait', agents: 7, timeoutMs: 60_000 }, 70_000);
    expect(ready, c.aggregatorStderr()).toMatchObject({ ok: true, agents: 7 });
    const created = await c.control({ op: 'create', threshold: 4, shares: 7, minAgents: 7 });
    expect(created, c.aggregatorStderr()).toMatchObject({ ok: true, threshold: 4, shares: 7, epoch: 1 });
    keyId = created['keyId'] as string;
    checkValue = created['checkValue'] as string;
    expect(new Set(created['holders'] as string[]).size).toBe(7);
    expect((created['provenance'] as { agents: number }).agents).toBe(7);
    const r = await c.control({ op: 'reconstruct', keyId });
    expect(r).toMatchObject({ ok: true, checkValue });
  });

  it('rotates twice; old and new set ids differ; the key is the same', async () => {
    const r1 = await c.control({ op: 'rotate', keyId });
    expect(r1, c.aggregatorStderr()).toMatchObject({ ok: true, epoch: 2 });
    const r2 = await c.control({ op: 'rotate', keyId });
    expect(r2).toMatchObject({ ok: true, epoch: 3 });
    expect(r2['setId']).not.toBe(r1['setId']);
    expect(await c.control({ op: 'reconstruct', keyId })).toMatchObject({ ok: true, checkValue });
  });

  it('survives an aggregator killed with SIGKILL: state reloads, agents reconnect', async () => {
    await c.killAggregator();
    await c.startAggregator();
    expect(await c.control({ op: 'wait', agents: 7, timeoutMs: 30_000 }, 40_000)).toMatchObject({ ok: true });
    expect(await c.control({ op: 'keys' })).toMatchObject({ ok: true, keys: [{ keyId, epoch: 3, checkValue }] });
    expect(await c.control({ op: 'reconstruct', keyId })).toMatchObject({ ok: true, checkValue });
  });

  it('reconstructs while agents are killed, down to k; below k it is a typed error, and back again', async () => {
    c.killAgent('agent-1');
    c.killAgent('agent-3');
    c.killAgent('agent-5');
    expect(await c.control({ op: 'reconstruct', keyId })).toMatchObject({ ok: true, checkValue });
    c.killAgent('agent-7');
    expect(await c.control({ op: 'reconstruct', keyId })).toMatchObject({ ok: false, code: 'QUORUM_SHARE_UNAVAILABLE' });
    c.startAgent('agent-7');
    expect(await c.control({ op: 'wait', agents: 4, timeoutMs: 30_000 }, 40_000)).toMatchObject({ ok: true });
    expect(await c.control({ op: 'reconstruct', keyId })).toMatchObject({ ok: true, checkValue });
  });
});
