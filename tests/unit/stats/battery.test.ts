/**
 * The battery as a whole and the §4.2 assessment: P-values are probabilities on any input; sequences
 * with obvious structure fail the tests meant to catch it (each check can fail); the proportion and
 * uniformity rules as truth tables.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessBattery, proportionRange, uniformityPValue } from '../../../crypto/stats/assessment.js';
import { bitsFromBytes } from '../../../crypto/stats/bits.js';
import { runBattery } from '../../../crypto/stats/battery.js';
import { runBatteryParallel } from '../../../crypto/stats/parallel.js';
import { applicable, notApplicable, STS_TEST_NAMES, type StsResult } from '../../../crypto/stats/result.js';

/** Deterministic pseudo-random bits (SHA-256 in counter mode): a stand-in for a good generator. */
function hashBits(n: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(Math.ceil(n / 8));
  for (let i = 0; i * 32 < bytes.length; i++)
    bytes.set(
      createHash('sha256')
        .update(`${seed}/${i}`)
        .digest()
        .subarray(0, Math.min(32, bytes.length - i * 32)),
      i * 32,
    );
  return bitsFromBytes(bytes, n);
}

describe('runBattery', () => {
  it('every P-value is a probability, on any input of any length (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 2048 }), (bytes) => {
        for (const r of runBattery(bitsFromBytes(bytes))) {
          for (const p of r.pValues) expect(p >= 0 && p <= 1.0000001).toBe(true);
          expect(r.applicable ? r.pValues.length > 0 : typeof r.reason === 'string').toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('cumulative sums is not applicable under 100 bits, where its series exceeds 1 (found by the property above)', () => {
    const short = runBattery(bitsFromBytes(Uint8Array.of(0b10100101))).find((r) => r.test === 'cumulative-sums');
    expect(short).toMatchObject({ applicable: false, reason: 'sequence of 8 bits; the test needs at least 100 (§2.13.7)' });
  });

  it('a good stand-in generator passes every applicable test at n = 10^6 (α = 0.0001)', () => {
    const results = runBattery(hashBits(1_000_000, 1));
    expect(results.map((r) => r.test)).toEqual([...STS_TEST_NAMES]);
    for (const r of results) {
      if (r.test === 'non-overlapping-template') {
        // 148 P-values: a few under 0.01 are expected, none absurdly small.
        expect(Math.min(...r.pValues)).toBeGreaterThan(1e-5);
      } else if (r.applicable) for (const p of r.pValues) expect(p).toBeGreaterThan(1e-4);
    }
  });

  it('structured sequences fail: biased, alternating, periodic', () => {
    const n = 100_000;
    const biased = hashBits(n, 2).map((b, i) => (i % 10 === 0 ? 1 : b));
    const alternating = Uint8Array.from({ length: n }, (_, i) => i & 1);
    const periodic = Uint8Array.from({ length: n }, (_, i) => hashBits(64, 3)[i % 64] as number);
    const p = (bits: Uint8Array, test: (typeof STS_TEST_NAMES)[number]): number => runBattery(bits, { tests: [test] })[0]?.pValues[0] ?? 0;
    expect(p(biased, 'frequency')).toBeLessThan(1e-6);
    expect(runBattery(alternating, { tests: ['runs'] })[0]).toMatchObject({ applicable: true });
    expect(p(alternating, 'runs')).toBeLessThan(1e-6);
    expect(p(periodic, 'linear-complexity')).toBeLessThan(1e-6);
    expect(p(periodic, 'serial')).toBeLessThan(1e-6);
    expect(p(hashBits(n, 4), 'frequency')).toBeGreaterThan(1e-4);
  });

  it('runs is not applicable when the frequency prerequisite fails', () => {
    expect(runBattery(new Uint8Array(1000).fill(1), { tests: ['runs'] })[0]).toMatchObject({ applicable: false, pValues: [] });
  });

  it('runBatteryParallel gives the same results as runBattery, in input order', async () => {
    const seqs = [hashBits(20_000, 5), hashBits(20_000, 6)];
    const seen: number[] = [];
    const par = await runBatteryParallel(seqs, { tests: ['frequency', 'runs'], workers: 2, onProgress: (d) => seen.push(d) });
    expect(par.map((r) => r.map((x) => x.pValues))).toEqual(
      seqs.map((s) => runBattery(s, { tests: ['frequency', 'runs'] }).map((x) => x.pValues)),
    );
    expect(seen).toEqual([1, 2]);
  });
});

describe('assessment (§4.2)', () => {
  it('proportion range for m = 100, α = 0.01 is 0.99 ± 0.0298 (§4.2.1)', () => {
    const [lo, hi] = proportionRange(100);
    expect(lo).toBeCloseTo(0.96015, 5);
    expect(hi).toBeCloseTo(1.01985, 5);
  });
  it('uniformity: a flat histogram gives P_T = 1; everything in one bin fails', () => {
    expect(uniformityPValue(new Array(10).fill(10))).toBe(1);
    expect(uniformityPValue([100, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toBeLessThan(1e-4);
  });
  it('truth table: passes, failures, inapplicable runs count as failures, excursions are skipped', () => {
    const seq = (p: number, runsOk: boolean): StsResult[] => [
      applicable('frequency', [p], ['']),
      runsOk ? applicable('runs', [p], ['']) : notApplicable('runs', 'prerequisite'),
      notApplicable('random-excursions', 'few cycles'),
    ];
    const runs = Array.from({ length: 100 }, (_, i) => seq((i + 0.5) / 100, i !== 0));
    const a = assessBattery(runs);
    const freq = a.find((s) => s.test === 'frequency');
    const r = a.find((s) => s.test === 'runs');
    expect(freq).toMatchObject({
      sequences: 100,
      passed: 99,
      proportionOk: true,
      histogram: new Array(10).fill(10),
      uniformityP: 1,
      uniformityOk: true,
    });
    expect(r).toMatchObject({ sequences: 100, passed: 99, proportionOk: true });
    expect(a.some((s) => s.test === 'random-excursions')).toBe(false);
    const bad = assessBattery(Array.from({ length: 100 }, (_, i) => [applicable('frequency', [i < 10 ? 0.001 : 0.5], [''])]));
    expect(bad[0]).toMatchObject({ passed: 90, proportionOk: false, uniformityOk: false });
    const few = assessBattery([[applicable('frequency', [0.5], [''])]]);
    expect(few[0]?.uniformityP).toBeUndefined();
  });
});
