import { describe, expect, it } from 'vitest';
import { scenarioFor } from '../../../consensus/faults/campaign.js';
import { scenarioNamed } from '../../../consensus/faults/catalog.js';
import { runScenario } from '../../../consensus/faults/runner.js';
import { parseScenario } from '../../../consensus/faults/scenario.js';

describe('replay', () => {
  it('a run is a pure function of (scenario, seed, mutations): equal trace hashes', async () => {
    for (const name of ['lossy-network', 'torn-writes', 'twins-split-state']) {
      const s = scenarioNamed(name);
      if (s === undefined) throw new Error(name);
      const a = await runScenario(s, { seed: 11 });
      const b = await runScenario(JSON.parse(JSON.stringify(s)) as typeof s, { seed: 11 });
      expect(b.traceHash).toBe(a.traceHash);
      expect(b.events).toBe(a.events);
      const c = await runScenario(s, { seed: 12 });
      expect(c.traceHash).not.toBe(a.traceHash);
    }
  });
  it('a failing run replays from its printed scenario document and seed, bit for bit', async () => {
    const doc = JSON.parse(JSON.stringify(scenarioFor('fork-attack-lock', 3)));
    const first = await runScenario(parseScenario(doc), { seed: 3, mutations: ['skip-lock'] });
    expect(first.pass).toBe(false);
    const again = await runScenario(parseScenario(doc), { seed: 3, mutations: ['skip-lock'] });
    expect(again.traceHash).toBe(first.traceHash);
    expect(again.violations).toEqual(first.violations);
  });
  it('refuses a malformed scenario document, naming the field', () => {
    expect(() => parseScenario({ name: 'x', n: 5 })).toThrow(/n must be/);
    expect(() => parseScenario({ name: 'x', n: 4, keys: 'rsa' })).toThrow(/keys/);
  });
});
