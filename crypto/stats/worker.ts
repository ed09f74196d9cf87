/**
 * The worker_threads entry of ./parallel.ts: runs the battery on each sequence posted to it and posts the
 * results back. Sequences arrive as transferred ArrayBuffers (no copy).
 */
import { parentPort } from 'node:worker_threads';
import { runBattery, type BatteryOptions } from './battery.js';

interface Job {
  readonly id: number;
  readonly bits: Uint8Array;
  readonly options: BatteryOptions;
}

parentPort?.on('message', (job: Job) => {
  try {
    parentPort?.postMessage({ id: job.id, results: runBattery(job.bits, job.options) });
  } catch (err) {
    parentPort?.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
});
