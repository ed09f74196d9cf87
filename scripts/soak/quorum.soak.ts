/**
 * Quorum soak: one aggregator and 7 agents as real processes for SOAK_SECONDS (default 180), with random
 * SIGKILLs of agents (and now and then of the aggregator), restarts, rotations and reconstructions. The
 * invariants checked on every step:
 * - a reconstruction that succeeds gives the key's check value (never a wrong key);
 * - one that fails says QUORUM_SHARE_UNAVAILABLE, and only when fewer than k current holders have been up
 *   for a while (a holder that just restarted may not have reconnected yet);
 * - a rotation either commits (epoch + 1) or fails with a typed error and leaves the epoch as it was;
 * - at the end, with every agent back, the key reconstructs.
 * The random choices come from SOAK_SEED (printed), so a failing run can be replayed.
 */
import { expect, it } from 'vitest';
import { Cluster, type Reply } from '../../tests/integration/quorum/cluster.js';
import { seeded } from '../../tests/unit/entropy/assessment/seeded.js';

const SECONDS = Number(process.env['SOAK_SECONDS'] ?? '180');
const SEED = Number(process.env['SOAK_SEED'] ?? String(Date.now() % 1_000_000));
const SETTLED_MS = 8000;

it(`quorum soak: ${SECONDS} s, seed ${SEED}`, async () => {
  console.log(`quorum soak: ${SECONDS} s, seed ${SEED} (replay with --seed ${SEED})`);
  const random = seeded(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const c = await Cluster.start({ regions: ['eu', 'eu', 'us', 'us', 'ap', 'ap', 'sa'], intervalMs: 500 });
  const upSince = new Map<string, number>(c.agentIds.map((id) => [id, Date.now()]));
  const counts: Record<string, number> = {};
  const count = (k: string): void => void (counts[k] = (counts[k] ?? 0) + 1);
  let aggregatorUpSince = Date.now();
  try {
    expect(await c.control({ op: 'wait', agents: 7, timeoutMs: 90_000 }, 100_000)).toMatchObject({ ok: true });
    const created = await c.control({ op: 'create', threshold: 4, shares: 7, minAgents: 5 });
    expect(created, c.aggregatorStderr()).toMatchObject({ ok: true });
    const keyId = created['keyId'] as string;
    const checkValue = created['checkValue'] as string;
    const current = async (): Promise<{ epoch: number; holders: string[]; threshold: number }> => {
      const r = (await c.control({ op: 'keys' })) as Reply & { keys: { epoch: number; holders: string[]; threshold: number }[] };
      return r.keys[0] as { epoch: number; holders: string[]; threshold: number };
    };
    const deadline = Date.now() + SECONDS * 1000;
    while (Date.now() < deadline) {
      const live = c.liveAgents();
      const dead = c.agentIds.filter((id) => !live.includes(id));
      const action = pick([
        'kill',
        'kill',
        'revive',
        'revive',
        'rotate',
        'reconstruct',
        'reconstruct',
        'reconstruct',
        ...(random() < 0.1 ? ['restart-aggregator'] : []),
      ]);
      if (action === 'kill' && live.length > 2) {
        const victim = pick(live);
        c.killAgent(victim);
        upSince.delete(victim);
        count('kill');
      } else if (action === 'revive' && dead.length > 0) {
        const back = pick(dead);
        c.startAgent(back);
        upSince.set(back, Date.now());
        count('revive');
      } else if (action === 'rotate' && live.length >= 5) {
        const before = await current();
        const r = await c.control({ op: 'rotate', keyId, threshold: 4, shares: Math.min(7, live.length) });
        const after = await current();
        if (r.ok) {
          expect(after.epoch).toBe(before.epoch + 1);
          count('rotate-ok');
        } else {
          expect(['QUORUM_ROTATION_FAILED', 'QUORUM_NO_QUORUM', 'QUORUM_SHARE_UNAVAILABLE']).toContain(r.code);
          expect(after.epoch).toBe(before.epoch);
          count(`rotate-${r.code}`);
        }
      } else if (action === 'restart-aggregator') {
        await c.killAggregator();
        await c.startAggregator();
        aggregatorUpSince = Date.now();
        count('restart-aggregator');
      } else if (action === 'reconstruct') {
        const set = await current();
        const settled = set.holders.filter((h) => Date.now() - (upSince.get(h) ?? Infinity) > SETTLED_MS).length;
        const r = await c.control({ op: 'reconstruct', keyId });
        if (r.ok) {
          expect(r['checkValue']).toBe(checkValue);
          count('reconstruct-ok');
        } else {
          expect(r.code).toBe('QUORUM_SHARE_UNAVAILABLE');
          if (Date.now() - aggregatorUpSince > SETTLED_MS)
            expect(settled, `${settled} settled holders of ${set.holders.join(',')}`).toBeLessThan(set.threshold);
          count('reconstruct-unavailable');
        }
      }
      await new Promise((r) => setTimeout(r, 200 + random() * 800));
    }
    for (const id of c.agentIds.filter((x) => !c.liveAgents().includes(x))) c.startAgent(id);
    expect(await c.control({ op: 'wait', agents: 7, timeoutMs: 60_000 }, 70_000)).toMatchObject({ ok: true });
    expect(await c.control({ op: 'reconstruct', keyId })).toMatchObject({ ok: true, checkValue });
    console.log(`quorum soak done: ${JSON.stringify({ seed: SEED, seconds: SECONDS, epoch: (await current()).epoch, ...counts })}`);
  } finally {
    c.stop();
  }
});
