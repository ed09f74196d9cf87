/**
 * `npm run bench -- sim`: the fault-injection harness's throughput, in CPU time (process.cpuUsage, so
 * neighbours on a busy machine do not count), single-threaded — i.e. per core:
 *   - Twins scenarios (n = 4, one validator twinned, leaders and partitions drawn per view, 20 views)
 *     per second — the issue's goal is ≥ 50;
 *   - simulated views ("rounds") per second for n = 4 and n = 10 with the simulation's keyed-hash keys
 *     and with real Ed25519 keys (generateKey + SoftwareSigner), which shows what dominates a run.
 * Ratios are against the n = 4 keyed-hash baseline measured in the same run.
 *
 * The clock is the process's CPU time (user + system of all its threads: V8's helper threads for GC and
 * compilation count too, so the per-core figure errs low), not wall time: a neighbour that takes the
 * core away does not count. A busy machine still slows the CPU-time figure (shared caches, SMT
 * siblings, frequency), so the table is printed with the load average and each row's CPU/wall ratio:
 * well below 1 means the row was measured under contention.
 */
import { scenarioNamed } from '../../consensus/faults/catalog.js';
import { runScenario } from '../../consensus/faults/runner.js';
import type { Scenario } from '../../consensus/faults/scenario.js';
import { loadavg } from 'node:os';
import { twinsScenario } from '../../consensus/faults/swarm.js';
import { cpuMs } from './cpu-time.js';

interface Row {
  readonly name: string;
  readonly runs: number;
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly views: number;
  readonly signatures: number;
}

async function measure(name: string, make: (seed: number) => Scenario, minMs: number, maxRuns: number): Promise<Row> {
  await runScenario(make(0), { seed: 0 });
  let runs = 0;
  let views = 0;
  let signatures = 0;
  const start = cpuMs();
  const wallStart = performance.now();
  while ((cpuMs() - start < minMs || runs < 3) && runs < maxRuns) {
    const r = await runScenario(make(runs + 1), { seed: runs + 1 });
    runs++;
    views += r.views;
    signatures += r.signatures;
  }
  return { name, runs, cpuMs: cpuMs() - start, wallMs: performance.now() - wallStart, views, signatures };
}

function scenario(name: string, over: Partial<Scenario>): (seed: number) => Scenario {
  const base = scenarioNamed(name);
  if (base === undefined) throw new Error(`no scenario ${name}`);
  return () => ({ ...base, ...over, expect: { liveness: false } });
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

export async function run(): Promise<void> {
  const loadBefore = load();
  const rows: Row[] = [];
  rows.push(await measure('baseline n=4, keyed-hash keys', scenario('baseline', { durationMs: 800 }), 3000, 200));
  rows.push(await measure('twins n=4, 20 views, keyed-hash keys', (seed) => twinsScenario(seed, 20), 3000, 400));
  rows.push(await measure('baseline n=10, keyed-hash keys', scenario('baseline', { n: 10, durationMs: 800 }), 3000, 200));
  rows.push(await measure('baseline n=4, Ed25519 keys', scenario('baseline', { keys: 'ed25519', durationMs: 400 }), 3000, 50));
  rows.push(await measure('baseline n=10, Ed25519 keys', scenario('baseline', { n: 10, keys: 'ed25519', durationMs: 300 }), 3000, 20));
  const base = rows[0] as Row;
  const viewsPerS = (r: Row): number => r.views / (r.cpuMs / 1000);
  const header = ['run', 'runs', 'scenarios/s/core', 'views/scenario', 'views/s/core', 'signatures/s', 'ratio (views/s)', 'CPU/wall'];
  const lines = rows.map((r) => [
    r.name,
    String(r.runs),
    (r.runs / (r.cpuMs / 1000)).toFixed(1),
    (r.views / r.runs).toFixed(1),
    viewsPerS(r).toFixed(0),
    (r.signatures / (r.cpuMs / 1000)).toFixed(0),
    `${(viewsPerS(r) / viewsPerS(base)).toFixed(2)}×`,
    (r.cpuMs / r.wallMs).toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(fmt(header));
  console.log(fmt(widths.map((w) => '-'.repeat(w))));
  for (const l of lines) console.log(fmt(l));
  console.log(`\nLoad average (1, 5, 15 min): ${loadBefore} before, ${load()} after; ${process.version}, process CPU time.`);
  const twins = rows[1] as Row;
  console.log(
    `Twins goal (≥ 50 scenarios/s/core): ${(twins.runs / (twins.cpuMs / 1000)).toFixed(1)} — ${twins.runs / (twins.cpuMs / 1000) >= 50 ? 'met' : 'NOT met'}`,
  );
}
