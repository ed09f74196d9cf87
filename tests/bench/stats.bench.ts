/**
 * The SP 800-22 battery over 100 sequences of 10^6 bits (`npm run bench -- stats`): wall-clock time with
 * one worker thread per core (goal ≤ 60 s on 2 cores), against a single-thread run of the first sequences
 * measured in the same process (the speed-up), and the thread time each of the 15 tests took, summed over
 * all sequences. `HRNG_BENCH_STATS_SEQUENCES` changes the count (e.g. 10 for a quick look).
 * Sequences come from crypto.randomBytes (the generator does not matter for the battery's cost).
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { bitsFromBytes } from '../../crypto/stats/bits.js';
import { runBattery } from '../../crypto/stats/battery.js';
import { runBatteryParallel } from '../../crypto/stats/parallel.js';
import { assessBattery } from '../../crypto/stats/assessment.js';
import { STS_TEST_NAMES } from '../../crypto/stats/result.js';
import { printMarkdownTable } from './cpu-time.js';

const N = 1_000_000;

function* sequences(count: number): Generator<Uint8Array> {
  for (let i = 0; i < count; i++) yield bitsFromBytes(new Uint8Array(randomBytes(N / 8)));
}

export async function run(): Promise<void> {
  const count = Number(process.env.HRNG_BENCH_STATS_SEQUENCES ?? 100);
  const workers = Math.min(availableParallelism(), 8);
  const singleCount = Math.min(4, count);
  const s0 = performance.now();
  for (const bits of sequences(singleCount)) runBattery(bits);
  const singlePerSeq = (performance.now() - s0) / singleCount;

  const t0 = performance.now();
  const results = await runBatteryParallel(sequences(count), { workers });
  const wall = (performance.now() - t0) / 1000;
  const perTest = new Map<string, number>(STS_TEST_NAMES.map((t) => [t, 0]));
  for (const seq of results) for (const r of seq) perTest.set(r.test, (perTest.get(r.test) ?? 0) + r.ms);
  const total = [...perTest.values()].reduce((a, b) => a + b, 0);
  const rows = [...perTest.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([t, ms]) => [t, (ms / count).toFixed(1), `${((100 * ms) / total).toFixed(1)} %`]);
  printMarkdownTable(['test', 'ms per 10^6-bit sequence (thread time)', 'share'], rows);
  const assessed = assessBattery(results);
  const failedSlots = assessed.filter((a) => !a.proportionOk || a.uniformityOk === false).length;
  console.log('');
  printMarkdownTable(
    ['run', 'value', 'goal'],
    [
      [
        `${count} × 10^6 bits, all 15 tests, ${workers} workers`,
        `${wall.toFixed(1)} s wall`,
        `≤ ${((60 * count) / 100).toFixed(0)} s: ${wall <= (60 * count) / 100 ? 'met' : 'MISSED'}`,
      ],
      ['one sequence on one thread (baseline, same run)', `${(singlePerSeq / 1000).toFixed(2)} s`, ''],
      ['speed-up over one thread', `${((singlePerSeq * count) / 1000 / wall).toFixed(2)}×`, ''],
      ['assessment slots outside §4.2 bounds', `${failedSlots} of ${assessed.length}`, 'a few expected at α = 0.01'],
    ],
  );
}
