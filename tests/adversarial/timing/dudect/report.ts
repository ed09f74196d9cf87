/**
 * Verdicts and the results file of the timing gate.
 *
 * Thresholds are dudect's and TVLA's: |t| > 10 is "probably not constant time" (dudect) and fails the
 * gate; |t| > 4.5 is the TVLA level and only warns. A target over 10 is measured once more before the
 * gate fails, because one run on a shared machine can be unlucky; both runs are recorded. The positive
 * control (a planted leak) must exceed 10 on every run, or the harness cannot see and the gate fails.
 *
 * The results file (JSON, one per suite, in `timingResultsDir()`) is what CI keeps and what
 * `npm run timing:report` turns into the audit table of docs/constant-time.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, type MeasureOptions, type MeasureResult, type TimingTarget } from './measure.js';

export const FAIL_T = 10;
export const WARN_T = 4.5;

export type Role = 'target' | 'positive-control' | 'negative-control';
export type Verdict = 'pass' | 'warn' | 'leak' | 'leak-detected' | 'harness-broken' | 'inconclusive';

export interface CampaignSpec<S> {
  readonly id: string;
  readonly component: string;
  /** Source file of the code under test, relative to the repository root. */
  readonly file: string;
  /** What is measured: the call and its fixed-vs-random classes. */
  readonly method: string;
  readonly role: Role;
  readonly target: TimingTarget<S>;
  readonly options: MeasureOptions;
}

export interface RunRecord {
  readonly measurements: number;
  readonly batch: number;
  readonly nsPerCall: number;
  readonly maxAbsT: number;
  readonly maxTest: string;
  readonly maxTestN: number;
  readonly tau: number;
  readonly measurementsForT5: number | null;
  readonly uncroppedT: number;
  readonly secondOrderT: number;
  readonly durationMs: number;
}

export interface CampaignResult {
  readonly id: string;
  readonly component: string;
  readonly file: string;
  readonly method: string;
  readonly role: Role;
  readonly verdict: Verdict;
  /** Whether this result lets the gate pass. */
  readonly ok: boolean;
  readonly runs: readonly RunRecord[];
  readonly date: string;
}

export function verdictOf(role: Role, maxAbsT: number, enough: boolean): Verdict {
  if (!enough) return 'inconclusive';
  if (role === 'positive-control') return maxAbsT > FAIL_T ? 'leak-detected' : 'harness-broken';
  if (maxAbsT > FAIL_T) return 'leak';
  return maxAbsT > WARN_T ? 'warn' : 'pass';
}

/** Whether a first run must be measured again before its verdict stands. */
export function needsConfirmation(first: Verdict): boolean {
  return first === 'leak';
}

/**
 * The verdict after a confirmation run: a leak only if the second run is a leak too; a lone excursion
 * over the threshold is kept as a warning (and both runs are in the results file).
 */
export function confirmedVerdict(first: Verdict, second: Verdict): Verdict {
  if (first !== 'leak') return first;
  return second === 'leak' ? 'leak' : second === 'inconclusive' ? 'inconclusive' : 'warn';
}

/** Whether a verdict lets the gate pass. */
export function gatePasses(verdict: Verdict): boolean {
  return verdict === 'pass' || verdict === 'warn' || verdict === 'leak-detected';
}

function record(r: MeasureResult): RunRecord {
  const finite = (x: number): number => (Number.isFinite(x) ? x : Math.sign(x) * Number.MAX_VALUE);
  return {
    measurements: r.measurements,
    batch: r.batch,
    nsPerCall: Math.round(r.nsPerCall * 10) / 10,
    maxAbsT: finite(r.maxAbsT),
    maxTest: r.maxTest.test,
    maxTestN: r.maxTest.n,
    tau: finite(r.tau),
    measurementsForT5: Number.isFinite(r.measurementsForT5) ? Math.round(r.measurementsForT5) : null,
    uncroppedT: finite(r.uncroppedT),
    secondOrderT: finite(r.secondOrderT),
    durationMs: Math.round(r.durationMs),
  };
}

/** Measures a spec, re-measuring once before calling a target leaky. */
export function runCampaign<S>(spec: CampaignSpec<S>, now: () => Date = () => new Date()): CampaignResult {
  const first = measure(spec.target, spec.options);
  const runs = [record(first)];
  let verdict = verdictOf(spec.role, first.maxAbsT, first.enough);
  if (needsConfirmation(verdict)) {
    const second = measure(spec.target, spec.options);
    runs.push(record(second));
    verdict = confirmedVerdict(verdict, verdictOf(spec.role, second.maxAbsT, second.enough));
  }
  const ok = gatePasses(verdict);
  return {
    id: spec.id,
    component: spec.component,
    file: spec.file,
    method: spec.method,
    role: spec.role,
    verdict,
    ok,
    runs,
    date: now().toISOString(),
  };
}

/** One line per run, in dudect's words, for the test log. */
export function describeResult(r: CampaignResult): string {
  return r.runs
    .map(
      (run, i) =>
        `${r.id}${r.runs.length > 1 ? ` (run ${i + 1})` : ''}: meas ${run.measurements} x${run.batch}, ` +
        `max |t| ${run.maxAbsT.toFixed(2)} [${run.maxTest}], tau ${run.tau.toExponential(2)}, ` +
        `(5/tau)^2 ${run.measurementsForT5 === null ? 'inf' : run.measurementsForT5.toExponential(2)}, ` +
        `${run.durationMs} ms → ${r.verdict}`,
    )
    .join('\n');
}

/** Where results go: $TIMING_RESULTS_DIR, or tests/.tmp/timing (gitignored; CI uploads it). */
export function timingResultsDir(): string {
  const fromEnv = process.env['TIMING_RESULTS_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return fileURLToPath(new URL('../../../.tmp/timing/', import.meta.url));
}

/** Whether the long campaign was asked for (`npm run test:timing -- --long` sets TIMING_LONG=1). */
export function longCampaign(): boolean {
  return process.env['TIMING_LONG'] === '1';
}

export interface ResultsFile {
  readonly schema: 1;
  readonly suite: string;
  readonly mode: 'ci' | 'long';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly thresholds: { readonly fail: number; readonly warn: number; readonly minMeasurements: number };
  readonly environment: {
    readonly node: string;
    readonly v8: string;
    readonly platform: string;
    readonly arch: string;
    readonly cpus: number;
    readonly cpuModel: string;
  };
  readonly results: readonly CampaignResult[];
}

export function writeResults(
  suite: string,
  startedAt: Date,
  results: readonly CampaignResult[],
  minMeasurements: number,
): string {
  const dir = timingResultsDir();
  mkdirSync(dir, { recursive: true });
  const file: ResultsFile = {
    schema: 1,
    suite,
    mode: longCampaign() ? 'long' : 'ci',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    thresholds: { fail: FAIL_T, warn: WARN_T, minMeasurements },
    environment: {
      node: process.version,
      v8: process.versions.v8,
      platform: process.platform,
      arch: process.arch,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
    },
    results,
  };
  const path = join(dir, `${suite}.json`);
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
  return path;
}
