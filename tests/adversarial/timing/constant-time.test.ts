/**
 * The dudect timing gate (Reparaz, Balasch, Verbauwhede 2017): every constant-time claim of the project
 * measured as fixed-vs-random Welch t-tests with percentile crops. The positive control proves the harness
 * can see a leak (or the suite fails as "harness broken"); the negative control proves it stays quiet.
 *
 * `npm test` runs the CI budget; `npm run test:timing -- --long` (TIMING_LONG=1) a long campaign.
 * Results: tests/.tmp/timing/constant-time.json (or $TIMING_RESULTS_DIR), rendered into
 * docs/constant-time.md by `npm run timing:report`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { MeasureOptions } from './dudect/measure.js';
import { ENOUGH_MEASUREMENTS } from './dudect/analysis.js';
import {
  describeResult,
  longCampaign,
  runCampaign,
  writeResults,
  type CampaignResult,
  type CampaignSpec,
} from './dudect/report.js';
import { controls, ctTargets, drbgTargets, kdfTargets, macTargets, secretTargets } from './targets.js';

// CI budget: the whole file in 1–2 minutes on 2 shared cores (every campaign is capped by maxMs, and
// never stops before 10 000 measurements). It sees a 32-byte early-exit comparison on its own at
// |t| in the hundreds, but the same leak inside hmacVerify (≈ 20 ns on ≈ 3 µs, tau ≈ 0.02) needs about
// 250 000 measurements to pass |t| = 10: the MAC targets get a larger share, and the long campaign
// (1 000 000 each) is the one that reliably sees effects that small.
const options: MeasureOptions = longCampaign()
  ? { measurements: 1_000_000, targetBatchNs: 20_000 }
  : { measurements: 40_000, targetBatchNs: 10_000, maxMs: 10_000 };
const macOptions: MeasureOptions = longCampaign()
  ? options
  : { measurements: 250_000, targetBatchNs: 10_000, maxMs: 25_000 };
// Each DRBG measurement needs a freshly instantiated generator (a fixed or a random secret state), which
// costs as much as the generate call measured: more time, for the same 40 000.
const drbgOptions: MeasureOptions = longCampaign() ? options : { ...options, maxMs: 20_000 };

const startedAt = new Date();
const results: CampaignResult[] = [];

function check(spec: CampaignSpec<unknown>): CampaignResult {
  const result = runCampaign(spec);
  results.push(result);
  console.log(describeResult(result));
  return result;
}

afterAll(() => {
  const path = writeResults('constant-time', startedAt, results, ENOUGH_MEASUREMENTS);
  console.log(`timing results: ${path}`);
});

describe('dudect harness controls', () => {
  const [positive, negative] = controls(options);

  it('sees the planted early-exit leak (otherwise the harness is broken)', () => {
    const r = check(positive as CampaignSpec<unknown>);
    expect(r.verdict, 'harness broken: the positive control was not flagged').toBe('leak-detected');
  });

  it('stays quiet on ct.equal (negative control)', () => {
    const r = check(negative as CampaignSpec<unknown>);
    expect(r.ok, describeResult(r)).toBe(true);
  });
});

describe('constant-time targets', () => {
  const specs = [
    ...ctTargets(options),
    ...secretTargets(options),
    ...macTargets(macOptions),
    ...kdfTargets(options),
    ...drbgTargets(drbgOptions),
  ];
  for (const spec of specs) {
    it(`${spec.id} is constant time`, () => {
      const r = check(spec);
      expect(r.ok, describeResult(r)).toBe(true);
    });
  }
});
