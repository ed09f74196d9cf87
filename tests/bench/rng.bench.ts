/**
 * `Rng` against Node's CSPRNG and the bare HMAC_DRBG, in one process (`npm run bench -- rng`):
 *
 * - randomBytes(32): served from the 4 KiB batch, with the clone checks (getpid(2), the clocks' gap) on
 *   every call and 16 getrandom() bytes in every refill — target within 1.5× of crypto.randomBytes(32);
 * - randomBytes(32) with cloneSafe 'strict': a DRBG generate call and a getrandom() per request (reported);
 * - randomBytes(65536): one DRBG request plus the policy checks — target within 10 % of HmacDrbg.generate;
 * - Rng.create → first byte: self-tests (once per process), start-up tests of every source, the first
 *   pool draw and instantiate — target under 25 ms (median of several creates, wall clock; the first
 *   create of the process, which also pays for module JIT and the self-tests, is reported separately).
 *
 * Per-call figures use process CPU time (as drbg.bench.ts does, so preemption by neighbours does not
 * count) and are the median of several short tinybench passes.
 */
import { randomBytes } from 'node:crypto';
import { HmacDrbg } from '../../crypto/drbg/hmac-drbg.js';
import { Rng } from '../../crypto/drbg/rng.js';
import { measureRounds, median, printMarkdownTable } from './cpu-time.js';
import type { Job } from './cpu-time.js';

const ROUNDS = 5;
const PASS_MS = 250;
const CREATES = 15;

async function firstByteMs(): Promise<number> {
  const t0 = performance.now();
  const rng = await Rng.create();
  rng.randomBytes(1);
  const ms = performance.now() - t0;
  rng.destroy();
  return ms;
}

export async function run(): Promise<void> {
  const cold = await firstByteMs();
  const creates: number[] = [];
  for (let i = 0; i < CREATES; i++) creates.push(await firstByteMs());

  const rng = await Rng.create();
  const strict = await Rng.create({ cloneSafe: 'strict' });
  const drbg = new HmacDrbg({ hash: 'sha512', entropy: new Uint8Array(randomBytes(48)), nonce: new Uint8Array(randomBytes(16)) });
  const jobs: Job[] = [
    { name: 'rng 32', calls: 256, fn: () => void rng.randomBytes(32) },
    { name: 'node 32', calls: 256, fn: () => void randomBytes(32) },
    { name: 'strict 32', calls: 64, fn: () => void strict.randomBytes(32) },
    { name: 'rng 65536', calls: 1, fn: () => void rng.randomBytes(65536) },
    { name: 'drbg 65536', calls: 1, fn: () => void drbg.generate(65536) },
    { name: 'node 65536', calls: 1, fn: () => void randomBytes(65536) },
  ];
  const med = await measureRounds(jobs, ROUNDS, PASS_MS);

  const us = (name: string): string => (med((t) => t(name)) * 1e6).toFixed(3);
  const mbps = (name: string, n: number): string => (n / med((t) => t(name)) / 1e6).toFixed(1);
  const small = med((t) => t('rng 32') / t('node 32'));
  const large = med((t) => t('rng 65536') / t('drbg 65536'));
  const firstByte = median(creates);
  const rows = [
    [
      'rng.randomBytes(32)',
      us('rng 32'),
      mbps('rng 32', 32),
      `${small.toFixed(2)}× crypto.randomBytes(32) (≤ 1.5× ${small <= 1.5 ? 'met' : 'MISSED'})`,
    ],
    [
      "rng.randomBytes(32), cloneSafe 'strict'",
      us('strict 32'),
      mbps('strict 32', 32),
      `${med((t) => t('strict 32') / t('node 32')).toFixed(2)}× crypto.randomBytes(32) (no target)`,
    ],
    ['crypto.randomBytes(32)', us('node 32'), mbps('node 32', 32), ''],
    [
      'rng.randomBytes(65536)',
      us('rng 65536'),
      mbps('rng 65536', 65536),
      `${((large - 1) * 100).toFixed(1)} % vs bare HmacDrbg (≤ 10 % ${large <= 1.1 ? 'met' : 'MISSED'})`,
    ],
    ['HmacDrbg sha512 generate(65536)', us('drbg 65536'), mbps('drbg 65536', 65536), ''],
    ['crypto.randomBytes(65536)', us('node 65536'), mbps('node 65536', 65536), ''],
    [
      'Rng.create → first byte',
      (firstByte * 1000).toFixed(0),
      '',
      `median of ${CREATES}: ${firstByte.toFixed(1)} ms (< 25 ms ${firstByte < 25 ? 'met' : 'MISSED'}); first create in process ${cold.toFixed(1)} ms`,
    ],
  ];
  console.log(`clock: process CPU time for per-call figures (medians of ${ROUNDS} rounds), wall clock for first byte`);
  printMarkdownTable(['operation', 'µs/call', 'MB/s', 'target'], rows);
  rng.destroy();
  strict.destroy();
  drbg.destroy();
}
