/**
 * The dudect timing gate (Reparaz, Balasch, Verbauwhede 2017): every constant-time claim of the project
 * measured as fixed-vs-random Welch t-tests with percentile crops — each target in a child process of
 * its own, interleaved in one random schedule with a planted-leak positive control and a constant-time
 * negative control, so that every run carries its own proof of sight and its own noise reference
 * (dudect/decision.ts says what passes, fails, or is repeated longer).
 *
 * `npm test` runs the CI budget within TIMING_BUDGET_MS (default 240 s for this file: no repeat starts
 * that would end after it); `npm run test:timing -- --long` (TIMING_LONG=1) a long campaign.
 * Results: tests/.tmp/timing/constant-time.json (or $TIMING_RESULTS_DIR), rendered into
 * docs/constant-time.md by `npm run timing:report`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { gatePasses } from './dudect/decision.js';
import { describeResult, longCampaign, runCampaign, writeResults, type CampaignResult } from './dudect/report.js';
import { GATE_TARGETS } from './targets/index.js';

const budgetMs = Number(process.env['TIMING_BUDGET_MS'] ?? (longCampaign() ? 24 * 3_600_000 : 240_000));
const deadline = performance.now() + budgetMs;
const startedAt = new Date();
const results: CampaignResult[] = [];

afterAll(() => {
  const path = writeResults('constant-time', startedAt, results);
  const loud = results.filter((r) => r.verdict.startsWith('inconclusive'));
  if (loud.length > 0)
    console.warn(`!!! timing gate: ${loud.length} inconclusive verdict(s): ${loud.map((r) => `${r.id} ${r.verdict}`).join(', ')}`);
  console.log(`timing results: ${path}`);
});

describe('constant-time targets (each in its own process, with both controls interleaved)', () => {
  for (const spec of GATE_TARGETS) {
    it(`${spec.id} is constant time`, async () => {
      const r = await runCampaign(spec, { deadline });
      results.push(r);
      (r.verdict.startsWith('inconclusive') ? console.warn : console.log)(describeResult(r));
      expect(r.verdict, `harness broken: the positive control was not flagged\n${describeResult(r)}`).not.toBe('harness-broken');
      expect(gatePasses(r.verdict), describeResult(r)).toBe(true);
    });
  }

  it('caught the positive control in every conclusive run (otherwise the harness is broken)', () => {
    const conclusive = results.flatMap((r) => r.runs).filter((run) => run.class !== 'noisy');
    const missed = conclusive.filter((run) => !(run.positive.maxAbsT > 10));
    expect(results.length).toBe(GATE_TARGETS.length);
    expect(missed.length, 'harness broken: conclusive runs without the planted leak flagged').toBe(0);
  });

  // Named for `-t sharing`: runs with the three sharing campaigns alone.
  it('measured every sharing target against its own planted-leak twin, caught in every conclusive run', () => {
    const withTwin = GATE_TARGETS.filter((s) => s.positiveControl !== undefined);
    expect(withTwin.map((s) => s.id)).toEqual(['sharing.gfMul', 'sharing.split', 'sharing.combine']);
    for (const spec of withTwin) {
      const r = results.find((x) => x.id === spec.id);
      expect(r?.runs.length ?? 0).toBeGreaterThan(0);
      for (const run of r?.runs ?? []) {
        expect(run.positiveId).toBe(spec.positiveControl?.id);
        if (run.class !== 'noisy')
          expect(run.positive.maxAbsT, `${spec.id} run ${run.attempt}: its twin was not flagged`).toBeGreaterThan(10);
      }
    }
  });
});
