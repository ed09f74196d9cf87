/**
 * What one interleaved run reports, as plain JSON (it crosses a process boundary): a record per lane.
 */
import type { MeasureOptions, MeasureResult } from './measure.js';

export interface LaneRecord {
  readonly measurements: number;
  readonly enough: boolean;
  readonly batch: number;
  readonly nsPerCall: number;
  readonly maxAbsT: number;
  readonly maxTest: string;
  readonly maxTestN: number;
  readonly tau: number;
  readonly measurementsForT5: number | null;
  readonly uncroppedT: number;
  readonly secondOrderT: number;
}

export interface ChildRequest {
  readonly id: string;
  readonly options: MeasureOptions;
}

export interface ChildReply {
  readonly target: LaneRecord;
  readonly negative: LaneRecord;
  readonly positive: LaneRecord;
  /** Which planted leak the positive lane measured (absent in replies made by tests). */
  readonly positiveId?: string;
  readonly pid: number;
}

const finite = (x: number): number => (Number.isFinite(x) ? x : Math.sign(x) * Number.MAX_VALUE);

export function laneRecord(r: MeasureResult): LaneRecord {
  return {
    measurements: r.measurements,
    enough: r.enough,
    batch: r.batch,
    nsPerCall: Math.round(r.nsPerCall * 10) / 10,
    maxAbsT: finite(r.maxAbsT),
    maxTest: r.maxTest.test,
    maxTestN: r.maxTest.n,
    tau: finite(r.tau),
    measurementsForT5: Number.isFinite(r.measurementsForT5) ? Math.round(r.measurementsForT5) : null,
    uncroppedT: finite(r.uncroppedT),
    secondOrderT: finite(r.secondOrderT),
  };
}
