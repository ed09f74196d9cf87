/**
 * Failure shrinking: a failing (scenario, seed) is reduced greedily — a fault removed, the run
 * shortened, the network quietened — keeping each reduction that still fails, until none does or the
 * budget of runs is spent. The result is what a person debugs: the smallest scenario, same seed, that
 * still breaks a check (delta debugging in the style of QuickCheck's shrinkers).
 */
import type { MutationName } from './mutations.js';
import { runScenario, type RunResult } from './runner.js';
import type { Scenario } from './scenario.js';

export interface ShrinkResult {
  readonly scenario: Scenario;
  readonly result: RunResult;
  readonly runs: number;
  readonly steps: readonly string[];
}

type Reduction = { readonly what: string; readonly apply: (s: Scenario) => Scenario | undefined };

function without<K extends keyof Scenario>(s: Scenario, key: K): Scenario {
  const { [key]: _dropped, ...rest } = s;
  return rest as Scenario;
}

function reductions(s: Scenario): Reduction[] {
  const out: Reduction[] = [];
  const lists = ['crashes', 'pauses', 'skews', 'entropy', 'txs', 'byzantine', 'twins'] as const;
  for (const key of lists) {
    const list = s[key] as readonly unknown[] | undefined;
    if (list === undefined) continue;
    out.push({ what: `drop all ${key}`, apply: (x) => without(x, key) });
    list.forEach((_, i) => {
      out.push({
        what: `drop ${key}[${i}]`,
        apply: (x) => ({ ...x, [key]: (x[key] as readonly unknown[]).filter((_, j) => j !== i) }) as Scenario,
      });
    });
  }
  for (const key of ['tornWrites', 'vmClone', 'longRange', 'leaders'] as const) {
    if (s[key] !== undefined) out.push({ what: `drop ${key}`, apply: (x) => without(x, key) });
  }
  const parts = s.network.partitions ?? [];
  parts.forEach((_, i) => {
    out.push({
      what: `drop partition ${i}`,
      apply: (x) => ({ ...x, network: { ...x.network, partitions: (x.network.partitions ?? []).filter((_, j) => j !== i) } }),
    });
  });
  const l = s.network.link;
  if (l.loss > 0 || l.duplicate > 0 || l.reorder > 0) {
    out.push({
      what: 'quiet the links',
      apply: (x) => ({ ...x, network: { ...x.network, link: { ...x.network.link, loss: 0, duplicate: 0, reorder: 0 } } }),
    });
  }
  if (s.network.gstMs > 0) out.push({ what: 'GST at 0', apply: (x) => ({ ...x, network: { ...x.network, gstMs: 0 } }) });
  if (s.durationMs > 200)
    out.push({ what: 'halve the duration', apply: (x) => ({ ...x, durationMs: Math.max(100, Math.floor(x.durationMs / 2)) }) });
  return out;
}

/** Shrinks a failing run; `maxRuns` bounds the work. */
export async function shrinkFailure(
  scenario: Scenario,
  seed: number | string,
  opts: { readonly mutations?: readonly MutationName[]; readonly maxRuns?: number } = {},
): Promise<ShrinkResult> {
  const maxRuns = opts.maxRuns ?? 80;
  const run = (s: Scenario): Promise<RunResult> => runScenario(s, { seed, ...(opts.mutations ? { mutations: opts.mutations } : {}) });
  let current = scenario;
  let result = await run(current);
  let runs = 1;
  const steps: string[] = [];
  if (result.pass) return { scenario: current, result, runs, steps };
  let progress = true;
  while (progress && runs < maxRuns) {
    progress = false;
    for (const r of reductions(current)) {
      if (runs >= maxRuns) break;
      const candidate = r.apply(current);
      if (candidate === undefined) continue;
      const res = await run(candidate);
      runs++;
      if (!res.pass) {
        current = candidate;
        result = res;
        steps.push(r.what);
        progress = true;
        break;
      }
    }
  }
  return { scenario: current, result, runs, steps };
}
