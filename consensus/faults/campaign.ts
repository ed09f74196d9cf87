/**
 * Campaigns: many (scenario, seed) runs, optionally on worker threads, optionally one shard of a seed
 * space split across machines (`shard: { index, count }` takes the seeds s with s mod count = index,
 * so N machines with the same arguments cover the space exactly once). Results are plain JSON;
 * `mergeCampaigns` joins shards. Every failure keeps its seed and scenario, so it replays anywhere.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ConsensusError } from '../errors.js';
import { SCENARIOS, scenarioNamed } from './catalog.js';
import { isMutationName, type MutationName } from './mutations.js';
import { runScenario, type RunResult } from './runner.js';
import type { Scenario } from './scenario.js';
import { swarmScenario } from './swarm.js';

export interface CampaignJob {
  /** A catalog name, or `swarm` (the scenario is drawn from the seed). */
  readonly scenario: string;
  readonly seed: number;
}

export interface CampaignFailure {
  readonly scenario: string;
  readonly seed: number;
  readonly violations: readonly { readonly check: string; readonly message: string }[];
  readonly traceHash: string;
  /** The scenario document, for `hrng sim replay --scenario FILE`. */
  readonly document: Scenario;
}

export interface CampaignResult {
  readonly format: 'hrng-sim-campaign/v1';
  readonly scenarios: readonly string[];
  readonly seeds: { readonly start: number; readonly count: number };
  readonly shard: { readonly index: number; readonly count: number };
  readonly mutations: readonly MutationName[];
  readonly runs: number;
  readonly passed: number;
  readonly failures: readonly CampaignFailure[];
  /** Fault kinds seen, with how many runs had each. */
  readonly faults: Readonly<Record<string, number>>;
  readonly perScenario: Readonly<Record<string, { readonly runs: number; readonly failures: number }>>;
  readonly events: number;
  readonly wallMs: number;
}

export interface CampaignOptions {
  /** Names from the catalog, `all` (the catalog), or `swarm`. */
  readonly scenarios: readonly string[];
  readonly seedStart?: number;
  readonly seeds: number;
  readonly shard?: { readonly index: number; readonly count: number };
  readonly workers?: number;
  readonly mutations?: readonly MutationName[];
  readonly onProgress?: (done: number, total: number, failures: number) => void;
}

/** The scenario a job runs. */
export function scenarioFor(name: string, seed: number): Scenario {
  if (name === 'swarm') return swarmScenario(seed);
  const s = scenarioNamed(name);
  if (s === undefined)
    throw new ConsensusError(
      'SIM_SCENARIO_INVALID',
      `unknown scenario '${name}' (try: all, swarm, ${SCENARIOS.map((x) => x.name).join(', ')})`,
    );
  return s;
}

export function expandScenarios(names: readonly string[]): string[] {
  const out: string[] = [];
  for (const n of names) {
    if (n === 'all') out.push(...SCENARIOS.map((s) => s.name));
    else {
      scenarioFor(n, 0);
      out.push(n);
    }
  }
  return [...new Set(out)];
}

/** The jobs of one shard. */
export function campaignJobs(opts: CampaignOptions): CampaignJob[] {
  const start = opts.seedStart ?? 1;
  const shard = opts.shard ?? { index: 0, count: 1 };
  const jobs: CampaignJob[] = [];
  for (let seed = start; seed < start + opts.seeds; seed++) {
    if (seed % shard.count !== shard.index) continue;
    for (const scenario of expandScenarios(opts.scenarios)) jobs.push({ scenario, seed });
  }
  return jobs;
}

/** Runs jobs in this thread. */
export async function runJobs(
  jobs: readonly CampaignJob[],
  mutations: readonly MutationName[],
  each: (job: CampaignJob, r: RunResult) => void,
): Promise<void> {
  for (const job of jobs) each(job, await runScenario(scenarioFor(job.scenario, job.seed), { seed: job.seed, mutations }));
}

interface WorkerReply {
  readonly job: CampaignJob;
  readonly result: RunResult;
}

function runOnWorkers(
  jobs: readonly CampaignJob[],
  mutations: readonly MutationName[],
  workers: number,
  each: (job: CampaignJob, r: RunResult) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let live = 0;
    const url = new URL('./campaign-worker.js', import.meta.url);
    const feed = (w: Worker): void => {
      const job = jobs[next++];
      if (job === undefined) {
        void w.terminate();
        if (--live === 0) resolve();
        return;
      }
      w.postMessage(job);
    };
    for (let i = 0; i < Math.min(workers, jobs.length); i++) {
      const w = new Worker(url, { workerData: { mutations } });
      live++;
      w.on('message', (m: WorkerReply) => {
        each(m.job, m.result);
        feed(w);
      });
      w.on('error', reject);
      feed(w);
    }
    if (live === 0) resolve();
  });
}

export async function runCampaign(opts: CampaignOptions): Promise<CampaignResult> {
  const started = performance.now();
  const mutations = (opts.mutations ?? []).filter(isMutationName);
  const jobs = campaignJobs(opts);
  const failures: CampaignFailure[] = [];
  const faults: Record<string, number> = {};
  const perScenario: Record<string, { runs: number; failures: number }> = {};
  let done = 0;
  let events = 0;
  const each = (job: CampaignJob, r: RunResult): void => {
    done++;
    events += r.events;
    const ps = (perScenario[job.scenario] ??= { runs: 0, failures: 0 });
    ps.runs++;
    for (const f of r.faults) faults[f] = (faults[f] ?? 0) + 1;
    if (!r.pass) {
      ps.failures++;
      failures.push({
        scenario: job.scenario,
        seed: job.seed,
        violations: r.violations,
        traceHash: r.traceHash,
        document: scenarioFor(job.scenario, job.seed),
      });
    }
    opts.onProgress?.(done, jobs.length, failures.length);
  };
  const workers = Math.max(1, Math.min(opts.workers ?? 1, availableParallelism() * 4));
  if (workers === 1) await runJobs(jobs, mutations, each);
  else await runOnWorkers(jobs, mutations, workers, each);
  failures.sort((a, b) => a.seed - b.seed || a.scenario.localeCompare(b.scenario));
  return {
    format: 'hrng-sim-campaign/v1',
    scenarios: expandScenarios(opts.scenarios),
    seeds: { start: opts.seedStart ?? 1, count: opts.seeds },
    shard: opts.shard ?? { index: 0, count: 1 },
    mutations,
    runs: done,
    passed: done - failures.length,
    failures,
    faults,
    perScenario,
    events,
    wallMs: Math.round(performance.now() - started),
  };
}

/** Joins shard results; refuses documents that are not campaign results or whose shards overlap. */
export function mergeCampaigns(docs: readonly unknown[]): CampaignResult {
  const bad = (why: string): never => {
    throw new ConsensusError('SIM_RESULTS_MALFORMED', `cannot merge: ${why}`);
  };
  const results = docs.map((d, i) => {
    if (typeof d !== 'object' || d === null || (d as { format?: unknown }).format !== 'hrng-sim-campaign/v1')
      bad(`document ${i} is not an hrng-sim-campaign/v1 result`);
    return d as CampaignResult;
  });
  if (results.length === 0) bad('no documents');
  const first = results[0] as CampaignResult;
  const shards = new Set<number>();
  for (const r of results) {
    if (r.shard.count !== first.shard.count || r.seeds.start !== first.seeds.start || r.seeds.count !== first.seeds.count)
      bad('documents are shards of different campaigns');
    if (shards.has(r.shard.index)) bad(`shard ${r.shard.index}/${r.shard.count} appears twice`);
    shards.add(r.shard.index);
  }
  const faults: Record<string, number> = {};
  const perScenario: Record<string, { runs: number; failures: number }> = {};
  for (const r of results) {
    for (const [k, v] of Object.entries(r.faults)) faults[k] = (faults[k] ?? 0) + v;
    for (const [k, v] of Object.entries(r.perScenario)) {
      const ps = (perScenario[k] ??= { runs: 0, failures: 0 });
      ps.runs += v.runs;
      ps.failures += v.failures;
    }
  }
  return {
    format: 'hrng-sim-campaign/v1',
    scenarios: [...new Set(results.flatMap((r) => r.scenarios))],
    seeds: first.seeds,
    shard: { index: shards.size === first.shard.count ? 0 : -1, count: shards.size === first.shard.count ? 1 : first.shard.count },
    mutations: first.mutations,
    runs: results.reduce((a, r) => a + r.runs, 0),
    passed: results.reduce((a, r) => a + r.passed, 0),
    failures: results.flatMap((r) => r.failures).sort((a, b) => a.seed - b.seed || a.scenario.localeCompare(b.scenario)),
    faults,
    perScenario,
    events: results.reduce((a, r) => a + r.events, 0),
    wallMs: Math.max(...results.map((r) => r.wallMs)),
  };
}
