/**
 * The gate's decision, as pure functions of the t-values of interleaved runs (truth table in
 * tests/unit/timing/decision.test.ts; reasoning in docs/constant-time.md, "Verdicts on a busy machine").
 *
 * Every run measures the target and both controls in one interleaved schedule, so each run carries its
 * own noise reference. Thresholds are dudect's and TVLA's: |t| > 10 (FAIL_T) is "probably not constant
 * time", |t| > 4.5 (WARN_T) the TVLA level, which only warns.
 *
 * One run is classified as
 *   noisy  the negative control (constant time by construction) exceeds FAIL_T, or a lane has fewer
 *          than the minimum measurements: the run measured the machine, and says nothing of the target;
 *   blind  not noisy, but the positive control (a planted leak) stayed under FAIL_T: the harness cannot
 *          see what it must see;
 *   leak / warn / pass  by the target's |t|, in a conclusive (neither noisy nor blind) run.
 *
 * A campaign repeats runs, each twice as long as the one before, until a verdict stands:
 *   blind in any run                        → harness-broken (fails)
 *   pass / warn                             → that verdict; warn if an earlier conclusive run was a leak
 *                                             (a lone excursion over FAIL_T, kept visible)
 *   leak twice (conclusive runs)            → leak (fails)
 *   leak once, no budget for a confirmation → leak (fails: the one conclusive run had a quiet control)
 *   noisy, budget left                      → repeat, longer
 *   only noisy runs, budget spent           → inconclusive-pass if in every run the positive control
 *                                             was caught (> FAIL_T and > NOISE_MARGIN × the negative
 *                                             control) and the target stayed within NOISE_MARGIN × the
 *                                             negative control's |t|; otherwise inconclusive-fail.
 * inconclusive-pass lets the gate pass but is reported loudly (test log, results file, audit table).
 */
export const FAIL_T = 10;
export const WARN_T = 4.5;
/** How far above the negative control's |t| a target may be, in a noisy run, and still be noise. */
export const NOISE_MARGIN = 2;
/** Runs per campaign at most (lengths 1×, 2×, 4×), within the suite's time budget. */
export const MAX_ATTEMPTS = 3;

export interface RunT {
  readonly target: number;
  readonly negative: number;
  readonly positive: number;
  /** Whether every lane reached the minimum number of measurements. */
  readonly enough: boolean;
}

export type RunClass = 'pass' | 'warn' | 'leak' | 'noisy' | 'blind';

export type Verdict = 'pass' | 'warn' | 'leak' | 'harness-broken' | 'inconclusive-pass' | 'inconclusive-fail';

export type Step = { readonly kind: 'repeat' } | { readonly kind: 'final'; readonly verdict: Verdict; readonly why: string };

export function classifyRun(r: RunT): RunClass {
  if (!r.enough || !(r.negative <= FAIL_T)) return 'noisy';
  if (!(r.positive > FAIL_T)) return 'blind';
  if (!(r.target <= FAIL_T)) return 'leak';
  return r.target > WARN_T ? 'warn' : 'pass';
}

/** Whether a noisy run still looks like noise for the target, with a working harness. */
export function withinNoise(r: RunT): boolean {
  const caught = r.positive > FAIL_T && r.positive > NOISE_MARGIN * r.negative;
  return r.enough && caught && r.target <= NOISE_MARGIN * r.negative;
}

const final = (verdict: Verdict, why: string): Step => ({ kind: 'final', verdict, why });

/** What to do after `runs` (oldest first); `canRepeat` says whether attempts and time are left. */
export function decide(runs: readonly RunT[], canRepeat: boolean): Step {
  if (runs.length === 0) return canRepeat ? { kind: 'repeat' } : final('inconclusive-fail', 'no run was measured');
  const classes = runs.map(classifyRun);
  if (classes.includes('blind'))
    return final('harness-broken', 'the positive control was not flagged in a run whose negative control was quiet');
  const last = classes[classes.length - 1] as RunClass;
  const leaks = classes.filter((c) => c === 'leak').length;
  if (last === 'pass' || last === 'warn') {
    if (leaks > 0) return final('warn', 'one conclusive run exceeded the threshold, a later one did not');
    return final(last, last === 'pass' ? 'conclusive run under the TVLA level' : 'conclusive run between the TVLA level and the threshold');
  }
  if (last === 'leak') {
    if (leaks >= 2) return final('leak', 'two conclusive runs exceeded the threshold');
    return canRepeat ? { kind: 'repeat' } : final('leak', 'a conclusive run exceeded the threshold; no budget left to confirm it');
  }
  // last is noisy
  if (canRepeat) return { kind: 'repeat' };
  if (leaks > 0) return final('leak', 'a conclusive run exceeded the threshold; its confirmation was noisy');
  return runs.every(withinNoise)
    ? final(
        'inconclusive-pass',
        'every run was noisy; the positive control was caught and the target stayed within the negative control’s noise',
      )
    : final(
        'inconclusive-fail',
        'every run was noisy, and the target rose above the negative control’s noise or the positive control was missed',
      );
}

/** Whether a verdict lets the gate pass. */
export function gatePasses(verdict: Verdict): boolean {
  return verdict === 'pass' || verdict === 'warn' || verdict === 'inconclusive-pass';
}
