/**
 * The CPU-time runner the per-call benchmarks share (drbg, rng; keys uses the clock and the median):
 * tinybench driven by this process's CPU time (user + system, `process.cpuUsage()`, 1 µs resolution)
 * rather than wall time, so preemption by neighbours does not count. Each job is a batch of `calls`
 * calls per sample; a pass reports each job's median sample divided by `calls`, in seconds per call.
 *
 * Not a `*.bench.ts` file: tests/bench/main.ts runs every one of those as a benchmark.
 */
import { Bench } from 'tinybench';
import type { Task } from 'tinybench';

/** This process's CPU time (user + system) in milliseconds. */
export const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** The median of `xs` (mean of the two middle values for an even count; NaN for none). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? Number.NaN) : ((s[m - 1] ?? Number.NaN) + (s[m] ?? Number.NaN)) / 2;
}

/** Median latency of a finished task, in seconds per call. */
function perCall(task: Task | undefined, callsPerSample: number): number {
  const r = task?.result;
  if (r === undefined || r.state !== 'completed') throw new Error(`benchmark task ${task?.name ?? '?'} did not complete`);
  return r.latency.p50 / 1000 / callsPerSample;
}

export interface Job {
  readonly name: string;
  /** Calls per sample, so that each sample is long against the clock's 1 µs resolution. */
  readonly calls: number;
  readonly fn: () => void;
}

/** One tinybench pass of `time` ms (plus a quarter of that warming up) over every job; seconds per call by job name. */
export async function pass(jobs: readonly Job[], time: number): Promise<Map<string, number>> {
  const bench = new Bench({
    time,
    warmupTime: time / 4,
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

/** Seconds per call of the named job, within one round. */
export type Lookup = (name: string) => number;

/**
 * `rounds` short passes of `time` ms rather than one long one: a neighbour's load then hits every job
 * of the same round alike. Returns `perRound(f)`: the median over rounds of `f` evaluated on each round.
 */
export async function measureRounds(jobs: readonly Job[], rounds: number, time: number): Promise<(f: (t: Lookup) => number) => number> {
  const results: Map<string, number>[] = [];
  for (let r = 0; r < rounds; r++) results.push(await pass(jobs, time));
  return (f) =>
    median(
      results.map((round) =>
        f((name) => {
          const v = round.get(name);
          if (v === undefined) throw new Error(`no measurement for ${name}`);
          return v;
        }),
      ),
    );
}

/** Prints `header` and `rows` as a Markdown table, each column padded to its widest cell. */
export function printMarkdownTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(r));
}

/** Prints `rows` as plain columns two spaces apart, then a blank line. */
export function printTable(rows: readonly (readonly string[])[]): void {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  for (const r of rows)
    console.log(
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  console.log('');
}
