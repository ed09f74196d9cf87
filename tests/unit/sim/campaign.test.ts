import { describe, expect, it } from 'vitest';
import { campaignJobs, mergeCampaigns, runCampaign } from '../../../consensus/faults/campaign.js';
import { scenarioNamed } from '../../../consensus/faults/catalog.js';
import { runScenario } from '../../../consensus/faults/runner.js';
import { shrinkFailure } from '../../../consensus/faults/shrink.js';
import { swarmScenario, twinsScenario } from '../../../consensus/faults/swarm.js';

describe('shards', () => {
  it('split the seed space disjointly and completely', () => {
    const all = campaignJobs({ scenarios: ['baseline', 'partition'], seeds: 10 });
    const shards = [0, 1, 2].map((index) => campaignJobs({ scenarios: ['baseline', 'partition'], seeds: 10, shard: { index, count: 3 } }));
    const key = (j: { scenario: string; seed: number }): string => `${j.scenario}/${j.seed}`;
    const union = shards.flat().map(key);
    expect(new Set(union).size).toBe(union.length);
    expect(union.sort()).toEqual(all.map(key).sort());
  });
  it('merge joins shard results and refuses overlaps and foreign documents', async () => {
    const a = await runCampaign({ scenarios: ['fork-attack-two-chain'], seeds: 2, shard: { index: 0, count: 2 } });
    const b = await runCampaign({ scenarios: ['fork-attack-two-chain'], seeds: 2, shard: { index: 1, count: 2 } });
    const m = mergeCampaigns([JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b))]);
    expect(m.runs).toBe(2);
    expect(m.passed).toBe(2);
    expect(m.shard).toEqual({ index: 0, count: 1 });
    expect(m.perScenario['fork-attack-two-chain']).toEqual({ runs: 2, failures: 0 });
    expect(() => mergeCampaigns([a, a])).toThrow(/appears twice/);
    expect(() => mergeCampaigns([{ format: 'other' }])).toThrow(/not an hrng-sim-campaign/);
  });
  it('records each failure with its seed and scenario document', async () => {
    const r = await runCampaign({ scenarios: ['censorship'], seeds: 1, mutations: ['honest-censor'] });
    expect(r.failures.map((f) => [f.scenario, f.seed, f.violations[0]?.check])).toEqual([['censorship', 1, 'censorship']]);
    expect(r.failures[0]?.document.name).toBe('censorship');
  });
});

describe('swarm', () => {
  it('draws a different fault profile per seed, reproducibly', () => {
    expect(swarmScenario(5)).toEqual(swarmScenario(5));
    const profiles = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((s) => JSON.stringify({ ...swarmScenario(s), name: '' })));
    expect(profiles.size).toBe(8);
  });
  it('safety and liveness hold across swarm seeds', async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const r = await runScenario(swarmScenario(seed), { seed });
      expect(r.violations, `swarm seed ${seed}`).toEqual([]);
    }
  });
  // Regression: seeds 20, 190 and 275 failed liveness when a node that caught up on old QCs after a
  // partition reset its backoff to the base timeout while the others waited 8×: it ran views ahead alone,
  // never voted in theirs, and with one validator silenced (rng failed, guard state torn) no quorum formed.
  // 112, 188 and 251 failed under a first fix that let a proposal without a quorum pin the timer at 60 ms,
  // under the 2δ = 80 ms a view needs. 101 is the seed named in the issue (it passes before and after).
  // Those numbers named the stalls under the HMAC_DRBG streams; since SimRandom is ChaCha20 they draw other
  // worlds and are kept as ordinary seeds (swarm seeds 1–2299 were re-run after the switch and pass).
  it('seeds that once stalled commit within the stated bound after stabilisation', async () => {
    for (const seed of [20, 190, 275, 112, 188, 251, 101]) {
      const r = await runScenario(swarmScenario(seed), { seed });
      expect(r.violations, `swarm seed ${seed}`).toEqual([]);
      expect(r.pass, `swarm seed ${seed}`).toBe(true);
      expect(r.height, `swarm seed ${seed}`).toBeGreaterThan(0);
    }
  });
  it('Twins scenarios keep safety', async () => {
    for (let seed = 1; seed <= 4; seed++) {
      const r = await runScenario(twinsScenario(seed), { seed });
      expect(
        r.violations.filter((v) => v.check === 'safety'),
        `twins seed ${seed}`,
      ).toEqual([]);
    }
  });
});

describe('shrinking', () => {
  it('reduces a failing scenario to fewer faults that still fail', async () => {
    const base = scenarioNamed('crash-restart');
    if (base === undefined) throw new Error('crash-restart');
    const noisy = { ...base, pauses: [{ slot: 0, atMs: 200, ms: 100 }], skews: [{ slot: 3, offsetMs: 10, drift: 0.01 }] };
    const out = await shrinkFailure(noisy, 1, { mutations: ['guard-no-fsync'], maxRuns: 30 });
    expect(out.result.pass).toBe(false);
    expect(out.scenario.pauses).toBeUndefined();
    expect(out.scenario.skews).toBeUndefined();
    expect(out.scenario.crashes?.length).toBe(1);
    expect(out.steps.length).toBeGreaterThanOrEqual(2);
    expect(out.runs).toBeLessThanOrEqual(30);
  });
});
