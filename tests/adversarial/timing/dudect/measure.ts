/**
 * The measurement loop of a dudect campaign (dudect.c `measure`, adapted to a JIT-compiled runtime).
 *
 * - Two classes: 0 = fixed input, 1 = random input, chosen per measurement by a random bit, so drift in
 *   the machine (frequency, other processes, GC) falls on both classes alike.
 * - Inputs live in one pool of slots, and every slot is prepared (filled with the fixed value or with
 *   random bytes) outside the timed region, the same way for both classes: the classes differ only in the
 *   values, never in which memory or which code path prepared them.
 * - A measurement is `process.hrtime.bigint()` around a *batch* of calls on fresh slots of one class, so
 *   the timer's resolution and its own cost (tens of ns) are small against the quantity measured.
 * - Warm-up: untimed calls on both classes until the JIT has had its chance to tier up, then a first
 *   timed batch of measurements that only sets the cropping thresholds and is discarded.
 */
import { randomFillSync } from 'node:crypto';
import { DudectAnalysis, ENOUGH_MEASUREMENTS, type DudectSummary } from './analysis.js';
import { cropThresholds, NUMBER_PERCENTILES } from './percentiles.js';
import type { SampleClass } from './welch.js';

export interface TimingTarget<S> {
  /** A fresh input slot (allocated once, reused; never timed). */
  allocate(): S;
  /** Fill `slot` for class 0 (the fixed input) or class 1 (a random input). Never timed. */
  prepare(slot: S, cls: SampleClass): void;
  /** The operation under test, on a prepared slot. */
  run(slot: S): unknown;
}

export interface MeasureOptions {
  /** Measurements to analyse, after the discarded first chunk; at least `minMeasurements`. */
  readonly measurements: number;
  /** Calls per measurement; calibrated from `targetBatchNs` when absent. */
  readonly batch?: number;
  /** Wanted duration of one measurement, for calibration (default 20 µs). */
  readonly targetBatchNs?: number;
  /** Upper bound on a calibrated batch (default 256). */
  readonly maxBatch?: number;
  /** Measurements per preparation round (default 500); the first round only sets the thresholds. */
  readonly chunk?: number;
  /** Untimed warm-up calls per class (default 2 000). */
  readonly warmupCalls?: number;
  /** Stop early once this much time has passed — but never before `minMeasurements`. */
  readonly maxMs?: number;
  readonly minMeasurements?: number;
}

export interface MeasureResult extends DudectSummary {
  readonly batch: number;
  readonly nsPerCall: number;
  readonly durationMs: number;
}

// Results are stored here so the JIT cannot prove a call dead and drop it.
let sink: unknown;
export function lastSink(): unknown {
  return sink;
}

function randomClasses(out: Uint8Array): void {
  randomFillSync(out);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) & 1;
}

function calibrate<S>(target: TimingTarget<S>, slots: S[], targetBatchNs: number, maxBatch: number): number {
  const probe = Math.min(slots.length, 64);
  for (let i = 0; i < probe; i++) target.prepare(slots[i] as S, (i & 1) as SampleClass);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < probe; i++) sink = target.run(slots[i] as S);
  const perCall = Math.max(1, Number(process.hrtime.bigint() - t0) / probe);
  return Math.max(1, Math.min(maxBatch, Math.ceil(targetBatchNs / perCall)));
}

export function measure<S>(target: TimingTarget<S>, options: MeasureOptions): MeasureResult {
  const started = performance.now();
  const minMeasurements = options.minMeasurements ?? ENOUGH_MEASUREMENTS;
  const wanted = Math.max(options.measurements, minMeasurements);
  const chunk = options.chunk ?? 500;
  const warmupCalls = options.warmupCalls ?? 2_000;
  const maxMs = options.maxMs ?? Number.POSITIVE_INFINITY;

  const warm = Array.from({ length: 64 }, () => target.allocate());
  for (let i = 0; i < warmupCalls * 2; i++) {
    const slot = warm[i % warm.length] as S;
    target.prepare(slot, (i & 1) as SampleClass);
    sink = target.run(slot);
  }
  const batch = options.batch ?? calibrate(target, warm, options.targetBatchNs ?? 20_000, options.maxBatch ?? 256);

  const slots = Array.from({ length: chunk * batch }, () => target.allocate());
  const classes = new Uint8Array(chunk);
  const times = new Float64Array(chunk);

  const round = (): void => {
    randomClasses(classes);
    for (let m = 0; m < chunk; m++) {
      const cls = classes[m] as SampleClass;
      for (let j = 0; j < batch; j++) target.prepare(slots[m * batch + j] as S, cls);
    }
    for (let m = 0; m < chunk; m++) {
      const base = m * batch;
      const t0 = process.hrtime.bigint();
      for (let j = 0; j < batch; j++) sink = target.run(slots[base + j] as S);
      const t1 = process.hrtime.bigint();
      times[m] = Number(t1 - t0);
    }
  };

  round(); // discarded: it only fixes the cropping thresholds
  const analysis = new DudectAnalysis(cropThresholds(times, NUMBER_PERCENTILES), minMeasurements);
  let done = 0;
  while (done < wanted) {
    if (done >= minMeasurements && performance.now() - started > maxMs) break;
    round();
    const take = Math.min(chunk, wanted - done);
    for (let m = 0; m < take; m++) analysis.push(classes[m] as SampleClass, times[m] as number);
    done += take;
  }
  const summary = analysis.summary();
  const durationMs = performance.now() - started;
  let totalNs = 0;
  for (let m = 0; m < chunk; m++) totalNs += times[m] as number;
  return { ...summary, batch, nsPerCall: totalNs / chunk / batch, durationMs };
}
