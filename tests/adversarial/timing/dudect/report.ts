/**
 * Campaigns and the results file of the timing gate.
 *
 * A campaign measures one target in a child process per run (isolated.ts), each run interleaving the
 * target with both controls, and repeats runs — each twice as long — until decision.ts gives a verdict
 * or the attempts/time budget is spent. Every run is recorded.
 *
 * The results file (JSON, one per suite, in `timingResultsDir()`) is what CI keeps and what
 * `npm run timing:report` turns into the audit table of docs/constant-time.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENOUGH_MEASUREMENTS } from './analysis.js';
import {
  classifyRun,
  decide,
  FAIL_T,
  gatePasses,
  MAX_ATTEMPTS,
  NOISE_MARGIN,
  WARN_T,
  type RunClass,
  type RunT,
  type Verdict,
} from './decision.js';
import { runInChild } from './isolated.js';
import type { MeasureOptions } from './measure.js';
import type { ChildReply, LaneRecord } from './run-record.js';
import type { CampaignSpec } from './spec.js';

export { FAIL_T, WARN_T };

export interface RunRecord {
  readonly attempt: number;
  readonly class: RunClass;
  readonly target: LaneRecord;
  readonly negative: LaneRecord;
  readonly positive: LaneRecord;
  /** Which planted leak the positive lane measured (the child's reply). */
  readonly positiveId?: string;
  readonly durationMs: number;
  readonly loadAverage: number;
}

export interface CampaignResult {
  readonly id: string;
  readonly component: string;
  readonly file: string;
  readonly method: string;
  readonly verdict: Verdict;
  /** Why the verdict (decision.ts). */
  readonly why: string;
  /** Whether this result lets the gate pass. */
  readonly ok: boolean;
  readonly runs: readonly RunRecord[];
  readonly date: string;
}

/** Whether the long campaign was asked for (`npm run test:timing -- --long` sets TIMING_LONG=1). */
export function longCampaign(): boolean {
  return process.env['TIMING_LONG'] === '1';
}

/** The CI budget of a target's first run, with the spec's overrides (the long campaign ignores them). */
export function optionsFor(spec: CampaignSpec, long: boolean = longCampaign()): MeasureOptions {
  if (long) return { measurements: 1_000_000, targetBatchNs: 20_000 };
  return { measurements: 40_000, targetBatchNs: 10_000, maxMs: 10_000, ...spec.budget };
}

/** Run `attempt` (1, 2, …) is 2^(attempt−1) times as long as the first. */
export function scaled(options: MeasureOptions, attempt: number): MeasureOptions {
  const k = 2 ** (attempt - 1);
  return options.maxMs === undefined
    ? { ...options, measurements: options.measurements * k }
    : { ...options, measurements: options.measurements * k, maxMs: options.maxMs * k };
}

export const runT = (r: Pick<RunRecord, 'target' | 'negative' | 'positive'>): RunT => ({
  target: r.target.maxAbsT,
  negative: r.negative.maxAbsT,
  positive: r.positive.maxAbsT,
  enough: r.target.enough && r.negative.enough && r.positive.enough,
});

export interface CampaignContext {
  /** `performance.now()` after which no further repeat starts. */
  readonly deadline: number;
  readonly now?: () => Date;
  /** Measures one run; the child process by default (tests may substitute). */
  readonly measureRun?: (spec: CampaignSpec, options: MeasureOptions) => Promise<ChildReply>;
}

const inChild = (spec: CampaignSpec, options: MeasureOptions): Promise<ChildReply> =>
  runInChild({ id: spec.id, options }, options.maxMs === undefined ? 3_600_000 : 3 * options.maxMs + 60_000);

export async function runCampaign(spec: CampaignSpec, ctx: CampaignContext): Promise<CampaignResult> {
  const base = optionsFor(spec);
  const measureRun = ctx.measureRun ?? inChild;
  const runs: RunRecord[] = [];
  for (let attempt = 1; ; attempt++) {
    const started = performance.now();
    const reply = await measureRun(spec, scaled(base, attempt));
    const partial = { target: reply.target, negative: reply.negative, positive: reply.positive };
    runs.push({
      attempt,
      class: classifyRun(runT(partial)),
      ...partial,
      ...(reply.positiveId === undefined ? {} : { positiveId: reply.positiveId }),
      durationMs: Math.round(performance.now() - started),
      loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    });
    // The next run is twice as long as this one: start it only if it fits before the deadline.
    const nextMs = 2 * (performance.now() - started);
    const canRepeat = attempt < MAX_ATTEMPTS && performance.now() + nextMs < ctx.deadline;
    const step = decide(runs.map(runT), canRepeat);
    if (step.kind === 'final') {
      return {
        id: spec.id,
        component: spec.component,
        file: spec.file,
        method: spec.method,
        verdict: step.verdict,
        why: step.why,
        ok: gatePasses(step.verdict),
        runs,
        date: (ctx.now ?? (() => new Date()))().toISOString(),
      };
    }
  }
}

const t2 = (x: number): string => (x >= 1e6 ? x.toExponential(2) : x.toFixed(2));

/** One line per run, in dudect's words, for the test log; inconclusive verdicts are shouted. */
export function describeResult(r: CampaignResult): string {
  const lines = r.runs.map(
    (run) =>
      `${r.id} run ${run.attempt}: meas ${run.target.measurements} x${run.target.batch}, max |t| ${t2(run.target.maxAbsT)} ` +
      `[${run.target.maxTest}], tau ${run.target.tau.toExponential(2)} | negative control ${t2(run.negative.maxAbsT)}, ` +
      `positive control ${run.positiveId === undefined ? '' : `(${run.positiveId}) `}${t2(run.positive.maxAbsT)} | ${run.durationMs} ms, load ${run.loadAverage} → ${run.class}`,
  );
  const head = r.verdict.startsWith('inconclusive')
    ? `!!! TIMING GATE INCONCLUSIVE: ${r.id} → ${r.verdict.toUpperCase()} (${r.why}). The machine was too noisy to measure; re-run on a quiet machine (npm run test:timing).`
    : `${r.id} → ${r.verdict} (${r.why})`;
  return [head, ...lines].join('\n');
}

/** Where results go: $TIMING_RESULTS_DIR, or tests/.tmp/timing (gitignored; CI uploads it). */
export function timingResultsDir(): string {
  const fromEnv = process.env['TIMING_RESULTS_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return fileURLToPath(new URL('../../../.tmp/timing/', import.meta.url));
}

export interface ResultsFile {
  readonly schema: 2;
  readonly suite: string;
  readonly mode: 'ci' | 'long';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly thresholds: {
    readonly fail: number;
    readonly warn: number;
    readonly noiseMargin: number;
    readonly minMeasurements: number;
    readonly maxAttempts: number;
  };
  readonly environment: {
    readonly node: string;
    readonly v8: string;
    readonly platform: string;
    readonly arch: string;
    readonly cpus: number;
    readonly cpuModel: string;
  };
  /** Ids whose verdict was inconclusive-pass or inconclusive-fail: the loud part. */
  readonly inconclusive: readonly string[];
  readonly results: readonly CampaignResult[];
}

export function writeResults(suite: string, startedAt: Date, results: readonly CampaignResult[]): string {
  const dir = timingResultsDir();
  mkdirSync(dir, { recursive: true });
  const file: ResultsFile = {
    schema: 2,
    suite,
    mode: longCampaign() ? 'long' : 'ci',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    thresholds: { fail: FAIL_T, warn: WARN_T, noiseMargin: NOISE_MARGIN, minMeasurements: ENOUGH_MEASUREMENTS, maxAttempts: MAX_ATTEMPTS },
    environment: {
      node: process.version,
      v8: process.versions.v8,
      platform: process.platform,
      arch: process.arch,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
    },
    inconclusive: results.filter((r) => r.verdict.startsWith('inconclusive')).map((r) => r.id),
    results,
  };
  const path = join(dir, `${suite}.json`);
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
  return path;
}
