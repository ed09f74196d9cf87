/**
 * `Rng` against Node's CSPRNG and the bare HMAC_DRBG, in one process (`npm run bench -- rng`):
 *
 * - randomBytes(32): served from the 4 KiB batch — target within 2× of crypto.randomBytes(32) per call;
 * - randomBytes(65536): one DRBG request plus the policy checks — target within 10 % of HmacDrbg.generate;
 * - Rng.create → first byte: self-tests (once per process), start-up tests of every source, the first
 *   pool draw and instantiate — target under 25 ms (median of several creates, wall clock; the first
 *   create of the process, which also pays for module JIT and the self-tests, is reported separately).
 *
 * Per-call figures use process CPU time (as drbg.bench.ts does, so preemption by neighbours does not
 * count) and are the median of several short tinybench passes.
 */
import { randomBytes } from 'node:crypto';
import { Bench } from 'tinybench';
import type { Task } from 'tinybench';
import { HmacDrbg } from '../../crypto/drbg/hmac-drbg.js';
import { Rng } from '../../crypto/drbg/rng.js';

const ROUNDS = 5;
const PASS_MS = 250;
const CREATES = 15;

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function middle(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? Number.NaN) : ((s[m - 1] ?? Number.NaN) + (s[m] ?? Number.NaN)) / 2;
}

function perCall(task: Task | undefined, calls: number): number {
  const r = task?.result;
  if (r === undefined || r.state !== 'completed') throw new Error(`benchmark task ${task?.name ?? '?'} did not complete`);
  return r.latency.p50 / 1000 / calls;
}

interface Job {
  readonly name: string;
  readonly calls: number;
  readonly fn: () => void;
}

async function pass(jobs: readonly Job[]): Promise<Map<string, number>> {
  const bench = new Bench({
    time: PASS_MS,
    warmupTime: PASS_MS / 4,
    timestampProvider: { name: 'process.cpuUsage', fn: cpuMs, fromMs: (ms) => ms, toMs: (v) => Number(v) },
  });
  for (const j of jobs) {
    const { fn, calls } = j;
    bench.add(j.name, () => {
      for (let i = 0; i < calls; i++) fn();
    });
  }
  await bench.run();
  return new Map(jobs.map((j) => [j.name, perCall(bench.getTask(j.name), j.calls)]));
}

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
  const drbg = new HmacDrbg({ hash: 'sha512', entropy: new Uint8Array(randomBytes(48)), nonce: new Uint8Array(randomBytes(16)) });
  const jobs: Job[] = [
    { name: 'rng 32', calls: 256, fn: () => void rng.randomBytes(32) },
    { name: 'node 32', calls: 256, fn: () => void randomBytes(32) },
    { name: 'rng 65536', calls: 1, fn: () => void rng.randomBytes(65536) },
    { name: 'drbg 65536', calls: 1, fn: () => void drbg.generate(65536) },
    { name: 'node 65536', calls: 1, fn: () => void randomBytes(65536) },
  ];
  const rounds: Map<string, number>[] = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(await pass(jobs));
  const med = (f: (t: (name: string) => number) => number): number =>
    middle(rounds.map((round) => f((name) => round.get(name) ?? Number.NaN)));

  const us = (name: string): string => (med((t) => t(name)) * 1e6).toFixed(3);
  const mbps = (name: string, n: number): string => (n / med((t) => t(name)) / 1e6).toFixed(1);
  const small = med((t) => t('rng 32') / t('node 32'));
  const large = med((t) => t('rng 65536') / t('drbg 65536'));
  const firstByte = middle(creates);
  const rows = [
    ['rng.randomBytes(32)', us('rng 32'), mbps('rng 32', 32), `${small.toFixed(2)}× crypto.randomBytes(32) (≤ 2× ${small <= 2 ? 'met' : 'MISSED'})`],
    ['crypto.randomBytes(32)', us('node 32'), mbps('node 32', 32), ''],
    ['rng.randomBytes(65536)', us('rng 65536'), mbps('rng 65536', 65536), `${((large - 1) * 100).toFixed(1)} % vs bare HmacDrbg (≤ 10 % ${large <= 1.1 ? 'met' : 'MISSED'})`],
    ['HmacDrbg sha512 generate(65536)', us('drbg 65536'), mbps('drbg 65536', 65536), ''],
    ['crypto.randomBytes(65536)', us('node 65536'), mbps('node 65536', 65536), ''],
    ['Rng.create → first byte', (firstByte * 1000).toFixed(0), '', `median of ${CREATES}: ${firstByte.toFixed(1)} ms (< 25 ms ${firstByte < 25 ? 'met' : 'MISSED'}); first create in process ${cold.toFixed(1)} ms`],
  ];
  const header = ['operation', 'µs/call', 'MB/s', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(`clock: process CPU time for per-call figures (medians of ${ROUNDS} rounds), wall clock for first byte`);
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(r));
  rng.destroy();
  drbg.destroy();
}
