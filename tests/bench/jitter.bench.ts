/**
 * The jitter source's speed, in one process (`npm run bench -- jitter`): raw samples per second and
 * credited bits per second (samples/s × JITTER_CREDIT_BITS_PER_SAMPLE), against the OS source's bytes
 * per second as the baseline measured in the same run. Target: ≥ 100 000 credited bits/s.
 *
 * With HRNG_ASSESS_SAMPLES=N in the environment it also takes N fresh raw samples and runs the
 * SP 800-90B §6.3 estimators on them (crypto/entropy/assessment), printing each estimate — the
 * evidence docs/entropy.md records. N = 1 000 000 takes about a minute. HRNG_ASSESS_FILE=path assesses
 * a file of one sample per byte instead (e.g. the output of `hrng probe jitter`).
 */
import { readFileSync } from 'node:fs';
import { Bench } from 'tinybench';
import type { Task } from 'tinybench';
import { assessNonIid } from '../../crypto/entropy/assessment/assess.js';
import { JITTER_CREDIT_BITS_PER_SAMPLE, JitterSource } from '../../crypto/entropy/sources/jitter.js';
import { OsSource } from '../../crypto/entropy/sources/os.js';

const JITTER_READ = 4096;
const OS_READ = 65536;
const TARGET_CREDITED_BITS = 100_000;

function perSecond(task: Task | undefined, units: number): number {
  const r = task?.result;
  if (r === undefined || r.state !== 'completed') throw new Error(`benchmark task ${task?.name ?? '?'} did not complete`);
  return (units * 1000) / r.latency.p50;
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

export async function run(): Promise<void> {
  const jitter = new JitterSource();
  const os = new OsSource();
  const setup = performance.now();
  if (!jitter.available()) throw new Error(`jitter source unavailable: ${jitter.unavailableReason()}`);
  const firstUseMs = performance.now() - setup;
  jitter.read(JITTER_READ);

  const bench = new Bench({ time: 1000, warmupTime: 200 });
  bench.add(`jitter read(${JITTER_READ})`, () => void jitter.read(JITTER_READ));
  bench.add(`os read(${OS_READ})`, () => void os.read(OS_READ));
  await bench.run();

  const samples = perSecond(bench.getTask(`jitter read(${JITTER_READ})`), JITTER_READ);
  const osBytes = perSecond(bench.getTask(`os read(${OS_READ})`), OS_READ);
  const credited = samples * JITTER_CREDIT_BITS_PER_SAMPLE;
  console.table([
    { measure: 'jitter raw samples/s (median of reads)', value: fmt(samples) },
    { measure: `jitter credited bits/s (× ${JITTER_CREDIT_BITS_PER_SAMPLE} bit/sample)`, value: fmt(credited) },
    { measure: 'os bytes/s (getrandom baseline)', value: fmt(osBytes) },
    { measure: 'os credited bits/s (× 8)', value: fmt(osBytes * 8) },
    { measure: 'jitter first use: buffer + probe (ms)', value: firstUseMs.toFixed(1) },
  ]);
  console.log(
    `jitter credited bits/s ${fmt(credited)} vs target ${fmt(TARGET_CREDITED_BITS)}: ` +
      `${credited >= TARGET_CREDITED_BITS ? 'met' : 'NOT MET'}`,
  );

  const file = process.env.HRNG_ASSESS_FILE;
  const n = Number(process.env.HRNG_ASSESS_SAMPLES ?? 0);
  if (file !== undefined || (Number.isSafeInteger(n) && n > 0)) {
    const raw = file !== undefined ? new Uint8Array(readFileSync(file)) : jitter.read(n);
    const what = file !== undefined ? `${file}: ${fmt(raw.length)} samples` : `${fmt(n)} fresh raw jitter samples`;
    const t0 = performance.now();
    const a = assessNonIid(raw);
    const secs = (performance.now() - t0) / 1000;
    const rows = [
      ...a.original.map((e) => ({ data: 'samples', estimator: e.estimator, section: e.section, 'H (bits)': e.minEntropy.toFixed(4) })),
      ...a.bitstring.map((e) => ({
        data: 'bitstring',
        estimator: e.estimator,
        section: e.section,
        'H (bits)': `${e.minEntropy.toFixed(4)} ×${a.bitsPerSymbol} = ${(e.minEntropy * a.bitsPerSymbol).toFixed(3)}`,
      })),
    ];
    console.table(rows);
    console.log(
      `SP 800-90B non-IID assessment of ${what} (${secs.toFixed(0)} s): ` +
        `H_original ${a.hOriginal.toFixed(3)}, H_bitstring ${a.hBitstring.toFixed(4)} per bit, ` +
        `min-entropy ${a.minEntropy.toFixed(3)} bits/sample (limited by ${a.limitedBy}); credited ` +
        `${JITTER_CREDIT_BITS_PER_SAMPLE} — safety factor ${(a.minEntropy / JITTER_CREDIT_BITS_PER_SAMPLE).toFixed(1)}`,
    );
  }
}
