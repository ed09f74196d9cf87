import { describe, expect, it } from 'vitest';
import {
  classifyRun,
  decide,
  FAIL_T,
  gatePasses,
  NOISE_MARGIN,
  WARN_T,
  withinNoise,
  type RunT,
  type Step,
} from '../../adversarial/timing/dudect/decision.js';
import { laneTable } from '../../adversarial/timing/dudect/measure.js';
import { optionsFor, scaled } from '../../adversarial/timing/dudect/report.js';
import { findSpec, GATE_TARGETS } from '../../adversarial/timing/targets/index.js';

// Synthetic runs: target, negative control, positive control |t|.
const run = (target: number, negative: number, positive: number, enough = true): RunT => ({ target, negative, positive, enough });
const QUIET = 1.5;
const CAUGHT = 500;
const pass = run(2, QUIET, CAUGHT);
const warn = run(7, QUIET, CAUGHT);
const leak = run(40, QUIET, CAUGHT);
const blind = run(2, QUIET, 3);
const noisyLikeControl = run(18, 14, CAUGHT); // target within 2 × the negative control's noise
const noisyAboveControl = run(90, 14, CAUGHT); // target far above the noise: a signal
const noisyBlind = run(12, 14, 20); // positive control not above 2 × the noise

const verdict = (s: Step): string => (s.kind === 'final' ? s.verdict : 'repeat');

describe('classifyRun: one interleaved run', () => {
  it.each([
    // target, negative, positive, enough → class
    [2, QUIET, CAUGHT, true, 'pass'],
    [WARN_T, QUIET, CAUGHT, true, 'pass'],
    [WARN_T + 0.01, QUIET, CAUGHT, true, 'warn'],
    [FAIL_T, QUIET, CAUGHT, true, 'warn'],
    [FAIL_T + 0.01, QUIET, CAUGHT, true, 'leak'],
    [2, FAIL_T, CAUGHT, true, 'pass'], // the negative control at the threshold is still quiet
    [2, FAIL_T + 0.01, CAUGHT, true, 'noisy'],
    [500, 80, CAUGHT, true, 'noisy'], // noisy wins over the target's |t|: never failed on noise
    [2, 80, 3, true, 'noisy'], // noisy wins over blind
    [2, QUIET, FAIL_T, true, 'blind'],
    [40, QUIET, 3, true, 'blind'], // blind wins over the target
    [2, QUIET, CAUGHT, false, 'noisy'], // too few measurements
    [Number.NaN, QUIET, CAUGHT, true, 'leak'], // a NaN statistic is not a pass
    [2, Number.NaN, CAUGHT, true, 'noisy'],
    [2, QUIET, Number.NaN, true, 'blind'],
  ] as const)('target %s, negative %s, positive %s, enough %s → %s', (t, n, p, e, expected) => {
    expect(classifyRun(run(t, n, p, e))).toBe(expected);
  });
});

describe('withinNoise: a noisy run that still looks like noise', () => {
  it('needs the target within NOISE_MARGIN × the negative control and the positive control above both', () => {
    expect(NOISE_MARGIN).toBe(2);
    expect(withinNoise(run(28, 14, CAUGHT))).toBe(true);
    expect(withinNoise(run(28.01, 14, CAUGHT))).toBe(false);
    expect(withinNoise(noisyLikeControl)).toBe(true);
    expect(withinNoise(noisyAboveControl)).toBe(false);
    expect(withinNoise(noisyBlind)).toBe(false);
    expect(withinNoise(run(2, 14, FAIL_T))).toBe(false); // the control must exceed FAIL_T too
    expect(withinNoise(run(2, 14, 28.01))).toBe(true);
  });
});

describe('decide: the campaign truth table', () => {
  it.each([
    // runs, budget left → verdict or repeat
    [[pass], true, 'pass'],
    [[pass], false, 'pass'],
    [[warn], true, 'warn'],
    [[leak], true, 'repeat'], // a first leak is confirmed before it fails
    [[leak], false, 'leak'], // …unless no budget is left: the run was conclusive (quiet control)
    [[leak, leak], true, 'leak'],
    [[leak, pass], true, 'warn'], // a lone excursion is kept as a warning
    [[leak, warn], true, 'warn'],
    [[leak, noisyLikeControl], true, 'repeat'],
    [[leak, noisyLikeControl], false, 'leak'],
    [[leak, noisyLikeControl, leak], false, 'leak'],
    [[blind], true, 'harness-broken'],
    [[noisyLikeControl, blind], true, 'harness-broken'],
    [[noisyLikeControl], true, 'repeat'], // noisy: repeated longer, never passed or failed
    [[noisyAboveControl], true, 'repeat'],
    [[noisyLikeControl, pass], true, 'pass'],
    [[noisyLikeControl, noisyLikeControl, leak], true, 'repeat'],
    [[noisyLikeControl, leak, leak], false, 'leak'],
    [[noisyLikeControl, noisyLikeControl, warn], false, 'warn'],
    [[noisyLikeControl, noisyLikeControl, noisyLikeControl], false, 'inconclusive-pass'],
    [[noisyLikeControl, noisyAboveControl, noisyLikeControl], false, 'inconclusive-fail'],
    [[noisyBlind], false, 'inconclusive-fail'],
    [[noisyLikeControl, noisyBlind], false, 'inconclusive-fail'],
    [[run(2, QUIET, CAUGHT, false)], false, 'inconclusive-fail'], // too few measurements, no noise reference
    [[], true, 'repeat'],
    [[], false, 'inconclusive-fail'],
  ] as const)('%j, budget %s → %s', (runs, canRepeat, expected) => {
    expect(verdict(decide(runs, canRepeat))).toBe(expected);
  });

  it('lets the gate pass only on pass, warn and inconclusive-pass', () => {
    expect(gatePasses('pass')).toBe(true);
    expect(gatePasses('warn')).toBe(true);
    expect(gatePasses('inconclusive-pass')).toBe(true);
    expect(gatePasses('leak')).toBe(false);
    expect(gatePasses('harness-broken')).toBe(false);
    expect(gatePasses('inconclusive-fail')).toBe(false);
  });

  it('never fails a target on noise alone, whatever its |t|, while budget is left', () => {
    for (const t of [0, 5, 11, 50, 1e6])
      for (const n of [10.01, 20, 1e4]) expect(verdict(decide([run(t, n, CAUGHT)], true))).toBe('repeat');
  });

  it('a final verdict always says why', () => {
    const s = decide([noisyLikeControl, noisyLikeControl, noisyLikeControl], false);
    expect(s.kind === 'final' && s.why.includes('noisy')).toBe(true);
  });
});

describe('schedule and budget', () => {
  it('shares lanes in proportion to their weights (2 : 2 : 1 → 102, 102, 52 of 256 bytes)', () => {
    const table = laneTable([2, 2, 1]);
    const counts = [0, 0, 0];
    for (const k of table) counts[k] = (counts[k] as number) + 1;
    expect(counts[0]).toBeGreaterThanOrEqual(102);
    expect(counts[0]).toBeLessThanOrEqual(103);
    expect(counts[2]).toBeGreaterThanOrEqual(51);
    expect(counts[2]).toBeLessThanOrEqual(52);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(256);
    expect(Array.from(laneTable([1]))).toEqual(new Array(256).fill(0));
  });

  it('doubles measurements and time cap on each repeat', () => {
    const isZero = findSpec('ct.isZero');
    expect(isZero?.id).toBe('ct.isZero');
    const base = optionsFor(isZero as NonNullable<typeof isZero>, false);
    expect(base).toEqual({ measurements: 40_000, targetBatchNs: 10_000, maxMs: 10_000 });
    expect(scaled(base, 3)).toEqual({ measurements: 160_000, targetBatchNs: 10_000, maxMs: 40_000 });
    const mac = findSpec('mac.hmacVerify.sha256');
    expect(optionsFor(mac as NonNullable<typeof mac>, false)).toEqual({ measurements: 250_000, targetBatchNs: 10_000, maxMs: 25_000 });
    expect(optionsFor(mac as NonNullable<typeof mac>, true)).toEqual({ measurements: 1_000_000, targetBatchNs: 20_000 });
  });

  it('has unique target ids, and the child finds each of them', () => {
    const ids = GATE_TARGETS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(findSpec(id)?.id).toBe(id);
    expect(findSpec('control.early-exit-equal')?.component).toBe('positive control (planted leak)');
    expect(findSpec('no.such.target')).toBe(undefined);
  });
});
