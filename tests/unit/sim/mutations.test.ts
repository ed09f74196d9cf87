/**
 * The mutation suite: every deliberately broken variant must be killed — some check fails — within
 * MAX_SEEDS seeds of one of its killer scenarios, and the same scenarios pass unmutated
 * (scenarios.test.ts). The kill rate must be 100 %: a survivor is a check that cannot fail.
 */
import { describe, expect, it } from 'vitest';
import { scenarioNamed } from '../../../consensus/faults/catalog.js';
import { MUTATION_NAMES, type MutationName } from '../../../consensus/faults/mutations.js';
import { runScenario } from '../../../consensus/faults/runner.js';

const MAX_SEEDS = 3;

/** Where each mutant is expected to die, and by which check. */
const KILLERS: Record<MutationName, { readonly scenarios: readonly string[]; readonly check: string }> = {
  'skip-lock': { scenarios: ['fork-attack-lock'], check: 'safety' },
  'quorum-2f': { scenarios: ['twins-split-state', 'partition-no-quorum'], check: 'safety' },
  'commit-two-chain': { scenarios: ['fork-attack-two-chain'], check: 'safety' },
  'skip-signature-check': { scenarios: ['fork-attack-forged'], check: 'safety' },
  'accept-retired-keys': { scenarios: ['long-range'], check: 'safety' },
  'no-view-change': { scenarios: ['partition'], check: 'liveness' },
  // Views do change and blocks are committed, but after the stated bound: the liveness check's bound bites.
  'uncapped-backoff': { scenarios: ['long-partition-no-quorum'], check: 'liveness' },
  'sign-on-rng-failure': { scenarios: ['entropy-stuck'], check: 'entropy' },
  'reuse-nonce': { scenarios: ['baseline'], check: 'entropy' },
  'restore-no-reseed': { scenarios: ['vm-snapshot-clone'], check: 'entropy' },
  'skip-health-tests': { scenarios: ['hsm-repeated-random', 'entropy-biased'], check: 'entropy' },
  'guard-no-fsync': { scenarios: ['crash-restart'], check: 'guard' },
  'amnesia-init': { scenarios: ['crash-amnesia'], check: 'expectation' },
  'sign-without-guard': { scenarios: ['twins-shared-guard'], check: 'expectation' },
  'honest-censor': { scenarios: ['censorship'], check: 'censorship' },
};

describe('mutation suite', () => {
  it('has at least 12 mutants, each with a killer', () => {
    expect(MUTATION_NAMES.length).toBeGreaterThanOrEqual(12);
    expect(Object.keys(KILLERS).sort()).toEqual([...MUTATION_NAMES].sort());
  });

  const killed = new Set<MutationName>();
  it.each(MUTATION_NAMES)('%s is killed', async (mutation) => {
    const { scenarios, check } = KILLERS[mutation];
    const seen: string[] = [];
    outer: for (const name of scenarios) {
      const s = scenarioNamed(name);
      if (s === undefined) throw new Error(name);
      for (let seed = 1; seed <= MAX_SEEDS; seed++) {
        const r = await runScenario(s, { seed, mutations: [mutation] });
        seen.push(...r.violations.map((v) => v.check));
        if (!r.pass) break outer;
      }
    }
    expect(seen).toContain(check);
    killed.add(mutation);
  });

  it('kill rate is 100 %', () => {
    expect([...killed].sort()).toEqual([...MUTATION_NAMES].sort());
  });
});
