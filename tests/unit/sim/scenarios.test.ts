/**
 * Every named fault scenario on a fixed set of seeds: each must pass its checks and show the outcome
 * it is about (asserted on the values the run reports, not only on "pass").
 */
import { describe, expect, it } from 'vitest';
import { SCENARIOS, scenarioNamed } from '../../../consensus/faults/catalog.js';
import { runScenario, type RunResult } from '../../../consensus/faults/runner.js';
import type { Scenario } from '../../../consensus/faults/scenario.js';

const SEEDS = [1, 2];

function named(name: string): Scenario {
  const s = scenarioNamed(name);
  if (s === undefined) throw new Error(`no scenario ${name}`);
  return s;
}

const results = new Map<string, RunResult[]>();
async function runs(name: string): Promise<RunResult[]> {
  const cached = results.get(name);
  if (cached !== undefined) return cached;
  const s = named(name);
  const out: RunResult[] = [];
  for (const seed of s.keys === 'ed25519' ? [1] : SEEDS) out.push(await runScenario(s, { seed }));
  results.set(name, out);
  return out;
}

describe('named scenarios pass on their fixed seeds', () => {
  it.each(SCENARIOS.map((s) => s.name))('%s', async (name) => {
    for (const r of await runs(name)) {
      expect(r.violations, `${name} seed ${r.seed}`).toEqual([]);
      expect(r.pass).toBe(true);
      expect(r.events).toBeGreaterThan(50);
    }
  });
});

describe('scenario outcomes', () => {
  it('commits blocks in the fault-free runs, with real Ed25519 keys too', async () => {
    for (const name of ['baseline', 'baseline-ed25519']) for (const r of await runs(name)) expect(r.height).toBeGreaterThan(10);
  });
  it('double-sign and equivocation yield evidence against exactly the culprit', async () => {
    for (const r of await runs('double-sign')) expect(r.culprits).toEqual([3]);
    for (const r of await runs('equivocation')) expect(r.culprits).toEqual([2]);
  });
  it('Twins: one guard state refuses the clone, split state is caught by evidence', async () => {
    for (const r of await runs('twins-shared-guard')) {
      expect(r.culprits).toEqual([]);
      expect(r.refusals).toBeGreaterThan(0);
    }
    for (const r of await runs('twins-split-state')) {
      expect(r.culprits).toEqual([3]);
      expect(r.refusals).toBe(0);
    }
  });
  it('f ≥ n/3 Twins break safety on purpose and the evidence names f + 1 culprits', async () => {
    for (const r of await runs('twins-forensics')) expect(r.culprits).toEqual([2, 3]);
  });
  it('crash with amnesia: the guard refuses and the node stays silent', async () => {
    for (const r of await runs('crash-amnesia')) expect(r.refusals).toBeGreaterThan(0);
  });
  it('each fault shows up in the run', async () => {
    const faults = async (name: string): Promise<readonly string[]> => ((await runs(name))[0] as RunResult).faults;
    expect(await faults('long-range')).toContain('long-range');
    expect(await faults('vm-snapshot-clone')).toContain('vm-clone');
    expect(await faults('hsm-repeated-random')).toContain('entropy:hsm:repeated-blocks');
    expect(await faults('crash-stale-backup')).toContain('crash:stale-backup');
    expect(await faults('lossy-network')).toEqual(expect.arrayContaining(['loss', 'duplication', 'reorder']));
  });
});
