/**
 * One interleaved dudect run in a process of its own: `node --import ./ts-register.mjs main.ts REQUEST`
 * where REQUEST is the JSON of a `ChildRequest`. The target and both controls are built here, measured
 * as three lanes of one random schedule (weights 2 : 2 : 1), and the three summaries are printed as
 * one JSON line on stdout. Nothing else of the suite has run in this process, so the result cannot
 * depend on the targets measured before it.
 */
import { laneRecord, type ChildReply, type ChildRequest } from '../dudect/run-record.js';
import { measureLanes } from '../dudect/measure.js';
import { findSpec, negativeControl, positiveControl } from '../targets/index.js';

const POSITIVE_MIN_MEASUREMENTS = 2_000;

const request = JSON.parse(process.argv[2] ?? '{}') as ChildRequest;
const spec = findSpec(request.id);
if (spec === undefined) {
  process.stderr.write(`dudect child: no target with id ${JSON.stringify(request.id)}\n`);
  process.exit(2);
}
// A target with a planted-leak twin of its own shape is measured against that twin (spec.ts).
const positiveSpec = spec.positiveControl ?? positiveControl;
const [target, negative, positive] = measureLanes(
  [
    { target: spec.make(), weight: 2 },
    { target: negativeControl.make(), weight: 2 },
    // A planted leak of tau ≈ 3 passes |t| = 10 within a few hundred measurements: 2 000 lets its
    // crops count even in the shortest run (measure.ts, Lane.minMeasurements).
    { target: positiveSpec.make(), weight: 1, minMeasurements: POSITIVE_MIN_MEASUREMENTS },
  ],
  request.options,
);
if (target === undefined || negative === undefined || positive === undefined) process.exit(3);
const reply: ChildReply = {
  target: laneRecord(target),
  negative: laneRecord(negative),
  positive: laneRecord(positive),
  positiveId: positiveSpec.id,
  pid: process.pid,
};
process.stdout.write(`${JSON.stringify(reply)}\n`);
