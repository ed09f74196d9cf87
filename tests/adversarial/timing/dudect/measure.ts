/**
 * The measurement loop of a dudect campaign (dudect.c `measure`, adapted to a JIT-compiled runtime),
 * over several *lanes* measured in one interleaved run: the target and the two controls.
 *
 * - Each measurement draws a lane (by weight) and a class (0 = fixed input, 1 = random input) from
 *   fresh OS randomness, so drift in the machine (frequency, other processes, GC) falls on every lane and
 *   both classes alike, and the negative control sees exactly the noise the target saw.
 * - Inputs live in one pool of slots per lane; a whole round of slots is prepared in advance, in schedule
 *   order, outside the timed region, the same way for both classes (targets/inputs.ts): the classes
 *   differ only in the values, never in which memory or which code path prepared them.
 * - A measurement is `process.hrtime.bigint()` around a *batch* of calls of one lane on fresh slots of
 *   one class, so the timer's resolution and cost (tens of ns) are small against the quantity measured.
 * - Warm-up: untimed calls on both classes of every lane, interleaved, until the JIT has tiered up; then
 *   a first timed round that only sets each lane's cropping thresholds and is discarded.
 *
 * One process measures one target (dudect/child.ts): the lanes share its JIT state only with each other.
 */
import { randomFillSync } from 'node:crypto';
import { DudectAnalysis, ENOUGH_MEASUREMENTS, type DudectSummary } from './analysis.js';
import { cropThresholds, NUMBER_PERCENTILES } from './percentiles.js';
import type { TimingTarget } from './spec.js';
import type { SampleClass } from './welch.js';

export type { TimingTarget } from './spec.js';

export interface MeasureOptions {
  /** Measurements of the first lane (the target) to analyse, after the discarded first round. */
  readonly measurements: number;
  /** Calls per measurement; calibrated per lane from `targetBatchNs` when absent. */
  readonly batch?: number;
  /** Wanted duration of one measurement, for calibration (default 20 µs). */
  readonly targetBatchNs?: number;
  /** Upper bound on a calibrated batch (default 256). */
  readonly maxBatch?: number;
  /** Measurements per preparation round, over all lanes (default 500). */
  readonly chunk?: number;
  /** Untimed warm-up calls per class and lane (default 2 000). */
  readonly warmupCalls?: number;
  /** Stop early once this much time has passed — but never before every lane has its minimum. */
  readonly maxMs?: number;
  readonly minMeasurements?: number;
}

export interface MeasureResult extends DudectSummary {
  readonly batch: number;
  readonly nsPerCall: number;
  readonly durationMs: number;
}

export interface Lane {
  readonly target: TimingTarget<unknown>;
  /** Relative share of the measurements (the target's lane sets the pace). */
  readonly weight: number;
  /**
   * Measurements a test of this lane needs to count (default: the options' `minMeasurements`, 10 000).
   * The positive control takes fewer: it gets a fifth of the schedule, and with only ~10 000
   * measurements none of its crops reaches 10 000, leaving the uncropped test alone — which a few
   * multi-millisecond preemptions on a busy machine drag down to |t| ≈ 4 (seen in the campaign).
   */
  readonly minMeasurements?: number;
}

// Results are stored here so the JIT cannot prove a call dead and drop it.
let sink: unknown;
export function lastSink(): unknown {
  return sink;
}

function calibrate(target: TimingTarget<unknown>, slots: unknown[], targetBatchNs: number, maxBatch: number): number {
  const probe = Math.min(slots.length, 64);
  for (let i = 0; i < probe; i++) target.prepare(slots[i], (i & 1) as SampleClass);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < probe; i++) sink = target.run(slots[i]);
  const perCall = Math.max(1, Number(process.hrtime.bigint() - t0) / probe);
  return Math.max(1, Math.min(maxBatch, Math.ceil(targetBatchNs / perCall)));
}

/** Lane index of a random byte: lane k owns a share of [0, 256) proportional to its weight. */
export function laneTable(weights: readonly number[]): Uint8Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const table = new Uint8Array(256);
  let lane = 0;
  let upTo = ((weights[0] as number) / total) * 256;
  for (let b = 0; b < 256; b++) {
    while (b >= upTo && lane < weights.length - 1) {
      lane++;
      upTo += ((weights[lane] as number) / total) * 256;
    }
    table[b] = lane;
  }
  return table;
}

/** Measures every lane in one interleaved run; results in lane order. */
export function measureLanes(lanes: readonly Lane[], options: MeasureOptions): MeasureResult[] {
  const started = performance.now();
  const minMeasurements = options.minMeasurements ?? ENOUGH_MEASUREMENTS;
  const wanted = Math.max(options.measurements, minMeasurements);
  const chunk = options.chunk ?? 500;
  const warmupCalls = options.warmupCalls ?? 2_000;
  const maxMs = options.maxMs ?? Number.POSITIVE_INFINITY;
  const L = lanes.length;
  const targets = lanes.map((l) => l.target);
  const laneOf = laneTable(lanes.map((l) => l.weight));

  const warm = targets.map((t) => Array.from({ length: 64 }, () => t.allocate()));
  for (let i = 0; i < warmupCalls * 2; i++) {
    for (let k = 0; k < L; k++) {
      const t = targets[k] as TimingTarget<unknown>;
      const slot = (warm[k] as unknown[])[i % 64];
      t.prepare(slot, (i & 1) as SampleClass);
      sink = t.run(slot);
    }
  }
  const batches = targets.map(
    (t, k) => options.batch ?? calibrate(t, warm[k] as unknown[], options.targetBatchNs ?? 20_000, options.maxBatch ?? 256),
  );

  // Enough slots per lane for a whole round of that lane (a round never holds more than `chunk`).
  const slots = targets.map((t, k) => Array.from({ length: chunk * (batches[k] as number) }, () => t.allocate()));
  const random = new Uint8Array(2 * chunk);
  const lane = new Uint8Array(chunk);
  const classes = new Uint8Array(chunk);
  const base = new Uint32Array(chunk);
  const times = new Float64Array(chunk);

  const round = (): void => {
    randomFillSync(random);
    const used = new Uint32Array(L);
    for (let m = 0; m < chunk; m++) {
      const k = laneOf[random[2 * m] as number] as number;
      const cls = ((random[2 * m + 1] as number) & 1) as SampleClass;
      const b = batches[k] as number;
      lane[m] = k;
      classes[m] = cls;
      base[m] = (used[k] as number) * b;
      used[k] = (used[k] as number) + 1;
      const t = targets[k] as TimingTarget<unknown>;
      const pool = slots[k] as unknown[];
      for (let j = 0; j < b; j++) t.prepare(pool[(base[m] as number) + j], cls);
    }
    for (let m = 0; m < chunk; m++) {
      const k = lane[m] as number;
      const t = targets[k] as TimingTarget<unknown>;
      const pool = slots[k] as unknown[];
      const from = base[m] as number;
      const to = from + (batches[k] as number);
      const t0 = process.hrtime.bigint();
      for (let j = from; j < to; j++) sink = t.run(pool[j]);
      const t1 = process.hrtime.bigint();
      times[m] = Number(t1 - t0);
    }
  };

  // Discarded rounds: only the cropping thresholds, per lane, from at least 100 measurements each.
  const first: number[][] = targets.map(() => []);
  while (first.some((f) => f.length < 100)) {
    round();
    for (let m = 0; m < chunk; m++) (first[lane[m] as number] as number[]).push(times[m] as number);
  }
  const mins = lanes.map((l) => l.minMeasurements ?? minMeasurements);
  const analyses = first.map((f, k) => new DudectAnalysis(cropThresholds(f, NUMBER_PERCENTILES), mins[k] as number));
  const done = new Float64Array(L);
  const totalNs = new Float64Array(L);
  const calls = new Float64Array(L);
  const enoughEverywhere = (): boolean => mins.every((min, k) => (done[k] as number) >= min);
  while ((done[0] as number) < wanted || !enoughEverywhere()) {
    if (enoughEverywhere() && performance.now() - started > maxMs) break;
    round();
    for (let m = 0; m < chunk; m++) {
      const k = lane[m] as number;
      (analyses[k] as DudectAnalysis).push(classes[m] as SampleClass, times[m] as number);
      done[k] = (done[k] as number) + 1;
      totalNs[k] = (totalNs[k] as number) + (times[m] as number);
      calls[k] = (calls[k] as number) + (batches[k] as number);
    }
  }
  const durationMs = performance.now() - started;
  return analyses.map((a, k) => ({
    ...a.summary(),
    batch: batches[k] as number,
    nsPerCall: (totalNs[k] as number) / Math.max(1, calls[k] as number),
    durationMs,
  }));
}

/** One target alone (no controls): what the unit tests of the loop use. */
export function measure<S>(target: TimingTarget<S>, options: MeasureOptions): MeasureResult {
  return measureLanes([{ target: target as TimingTarget<unknown>, weight: 1 }], options)[0] as MeasureResult;
}
