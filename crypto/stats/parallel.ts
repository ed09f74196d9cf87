/**
 * The battery over many sequences on worker threads (one per core by default), for the §4 assessment of
 * 100 × 10^6 bits. Sequences are pulled from an async iterator as workers free up, so at most
 * 2 × workers sequences are in memory at once. When this module runs from TypeScript sources (tests under
 * vitest), worker threads cannot load the .ts worker, and the battery runs on the calling thread instead:
 * the same results, without the speed-up.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CryptoError } from '../errors.js';
import { runBattery, type BatteryOptions, type TimedResult } from './battery.js';

export interface ParallelOptions extends BatteryOptions {
  /** Worker threads; default min(availableParallelism(), 8). */
  readonly workers?: number;
  /** Called after each finished sequence (for a progress bar). */
  readonly onProgress?: (done: number) => void;
}

const FROM_SOURCES = import.meta.url.endsWith('.ts');

/** Runs the battery on every sequence; results in input order. */
export async function runBatteryParallel(
  sequences: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ParallelOptions = {},
): Promise<TimedResult[][]> {
  const { workers: wanted, onProgress, ...battery } = options;
  const count = Math.max(1, Math.min(wanted ?? Math.min(availableParallelism(), 8), 64));
  const results: TimedResult[][] = [];
  let done = 0;
  if (FROM_SOURCES) {
    for await (const bits of sequences) {
      results.push(runBattery(bits, battery));
      onProgress?.(++done);
    }
    return results;
  }
  const iterator = (
    Symbol.asyncIterator in sequences ? sequences[Symbol.asyncIterator]() : (sequences as Iterable<Uint8Array>)[Symbol.iterator]()
  ) as AsyncIterator<Uint8Array> | Iterator<Uint8Array>;
  const pool = Array.from({ length: count }, () => new Worker(new URL('./worker.js', import.meta.url)));
  let next = 0;
  let exhausted = false;
  try {
    await Promise.all(
      pool.map(async (worker) => {
        for (;;) {
          if (exhausted) return;
          const item = await iterator.next();
          if (item.done) {
            exhausted = true;
            return;
          }
          const id = next++;
          const bits = item.value;
          const reply = await new Promise<{ id: number; results?: TimedResult[]; error?: string }>((resolve, reject) => {
            const onMessage = (m: { id: number; results?: TimedResult[]; error?: string }): void => {
              worker.off('error', onError);
              resolve(m);
            };
            const onError = (e: Error): void => {
              worker.off('message', onMessage);
              reject(new CryptoError('STATS_WORKER_FAILED', `battery worker failed: ${e.message}`));
            };
            worker.once('message', onMessage);
            worker.once('error', onError);
            const copy = bits.byteOffset === 0 && bits.byteLength === bits.buffer.byteLength ? bits : bits.slice();
            worker.postMessage({ id, bits: copy, options: battery }, [copy.buffer as ArrayBuffer]);
          });
          if (reply.error !== undefined || !reply.results)
            throw new CryptoError('STATS_WORKER_FAILED', `battery worker failed: ${reply.error ?? 'no result'}`);
          results[id] = reply.results;
          onProgress?.(++done);
        }
      }),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
