/**
 * `hrng sim`: the Byzantine fault-injection harness (consensus/sim, protocol, faults, checks) from the
 * command line — campaigns over the named scenarios or the swarm, with worker threads, shards for
 * spreading a campaign over machines, a merge of shard results, and replay / shrink of one failure.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  isMutationName,
  MUTATIONS,
  mergeCampaigns,
  parseScenario,
  runCampaign,
  runScenario,
  SCENARIOS,
  scenarioFor,
  shrinkFailure,
  type CampaignResult,
  type MutationName,
  type Scenario,
} from '../../consensus/index.js';
import { writeFileAtomic } from '../../crypto/fs/index.js';
import { CliUsageError, EXIT_FAILED, EXIT_OK, type Command } from '../command.js';
import { parseCount, table } from '../format.js';
import type { CliIo } from '../io.js';

const usage = `usage: hrng sim [--scenario NAME|all|swarm]... [--seeds N] [--seed-start S] [--workers K]
                [--shard I/N] [--mutation M]... [--json] [--out FILE]
       hrng sim merge FILE... [--json]
       hrng sim replay --seed S --scenario NAME|FILE [--mutation M]... [--expect-hash H] [--trace N] [--json]
       hrng sim shrink --seed S --scenario NAME|FILE [--mutation M]... [--json]
       hrng sim list [--json]

  run a campaign: every scenario × seeds; exit 1 if any run failed (each failure prints its seed)
  --shard I/N   only seeds s with s mod N = I (N machines with the same arguments cover the space once)
  --workers K   worker threads (default 1)
  merge         join the --json results of the shards of one campaign
  replay        re-run one (scenario, seed); --expect-hash checks the trace hash bit for bit (exit 1 if not)
  shrink        reduce a failing scenario to a minimal one that still fails, and print it as JSON`;

function mutationsOf(values: readonly string[] | undefined): MutationName[] {
  return (values ?? []).map((m) => {
    if (!isMutationName(m)) throw new CliUsageError(`unknown mutation '${m}' (one of ${Object.keys(MUTATIONS).join(', ')})`);
    return m;
  });
}

async function loadScenario(spec: string, seed: number): Promise<Scenario> {
  if (spec.endsWith('.json') || spec.includes('/')) {
    const doc = JSON.parse(await readFile(spec, 'utf8')) as unknown;
    // A campaign failure record carries its scenario under `document`.
    const inner = typeof doc === 'object' && doc !== null && 'document' in doc ? (doc as { document: unknown }).document : doc;
    return parseScenario(inner);
  }
  return scenarioFor(spec, seed);
}

function parseShard(text: string | undefined): { index: number; count: number } | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (m === null) throw new CliUsageError(`--shard must be I/N (e.g. 0/4), got '${text}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) throw new CliUsageError(`--shard ${text}: need 0 ≤ I < N`);
  return { index, count };
}

function summary(r: CampaignResult): string {
  const rows: string[][] = [['scenario', 'runs', 'failures']];
  for (const [name, s] of Object.entries(r.perScenario)) rows.push([name, String(s.runs), String(s.failures)]);
  const faults = Object.entries(r.faults)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const lines = [
    table(rows),
    '',
    `runs ${r.runs}, passed ${r.passed}, failed ${r.failures.length}, ${r.events} events, ${(r.wallMs / 1000).toFixed(1)} s`,
  ];
  if (faults !== '') lines.push(`faults seen: ${faults}`);
  for (const f of r.failures.slice(0, 20)) {
    lines.push(`FAIL ${f.scenario} seed ${f.seed}: ${f.violations.map((v) => `${v.check}: ${v.message}`).join('; ')}`);
    lines.push(
      `  replay: hrng sim replay --seed ${f.seed} --scenario ${f.scenario}${r.mutations.map((m) => ` --mutation ${m}`).join('')} --expect-hash ${f.traceHash}`,
    );
  }
  return lines.join('\n') + '\n';
}

function progressBar(io: CliIo): ((done: number, total: number, failures: number) => void) | undefined {
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
  if (!tty) return undefined;
  let last = 0;
  return (done, total, failures) => {
    const now = Date.now();
    if (done !== total && now - last < 100) return;
    last = now;
    const width = 30;
    const fill = Math.round((done / Math.max(1, total)) * width);
    io.stderr.write(
      `\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${done}/${total} runs, ${failures} failed${done === total ? '\n' : ''}`,
    );
  };
}

async function campaign(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      scenario: { type: 'string', multiple: true },
      seeds: { type: 'string', default: '10' },
      'seed-start': { type: 'string', default: '1' },
      workers: { type: 'string', default: '1' },
      shard: { type: 'string' },
      mutation: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0 && positionals[0] !== 'run') throw new CliUsageError(`unknown subcommand '${positionals[0] ?? ''}'`);
  const shard = parseShard(values.shard);
  const scenarios = values.scenario ?? ['all'];
  const onProgress = progressBar(io);
  let result: CampaignResult;
  try {
    result = await runCampaign({
      scenarios,
      seeds: parseCount(values.seeds, '--seeds', 1, 10_000_000),
      seedStart: parseCount(values['seed-start'], '--seed-start', 0, Number.MAX_SAFE_INTEGER),
      workers: parseCount(values.workers, '--workers', 1, 256),
      mutations: mutationsOf(values.mutation),
      ...(shard !== undefined ? { shard } : {}),
      ...(onProgress !== undefined ? { onProgress } : {}),
    });
  } catch (err) {
    if ((err as { code?: unknown }).code === 'SIM_SCENARIO_INVALID') throw new CliUsageError((err as Error).message);
    throw err;
  }
  const json = JSON.stringify(result) + '\n';
  if (values.out !== undefined) await writeFileAtomic(values.out, new TextEncoder().encode(json), { mode: 0o644 });
  io.stdout.write(values.json ? json : summary(result));
  return result.failures.length === 0 ? EXIT_OK : EXIT_FAILED;
}

async function merge(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { json: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length === 0) throw new CliUsageError('merge needs the shard result files');
  const docs = await Promise.all(positionals.map(async (p) => JSON.parse(await readFile(p, 'utf8')) as unknown));
  const r = mergeCampaigns(docs);
  io.stdout.write(values.json ? JSON.stringify(r) + '\n' : summary(r));
  return r.failures.length === 0 ? EXIT_OK : EXIT_FAILED;
}

function oneRunOptions(args: readonly string[]): {
  seed: number;
  scenario: string;
  mutations: MutationName[];
  values: Record<string, string | boolean | string[] | undefined>;
} {
  const { values } = parseArgs({
    args: [...args],
    options: {
      seed: { type: 'string' },
      scenario: { type: 'string' },
      mutation: { type: 'string', multiple: true },
      'expect-hash': { type: 'string' },
      trace: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.seed === undefined || values.scenario === undefined) throw new CliUsageError('--seed and --scenario are required');
  return {
    seed: parseCount(values.seed, '--seed', 0, Number.MAX_SAFE_INTEGER),
    scenario: values.scenario,
    mutations: mutationsOf(values.mutation),
    values,
  };
}

async function replay(args: readonly string[], io: CliIo): Promise<number> {
  const o = oneRunOptions(args);
  const scenario = await loadScenario(o.scenario, o.seed);
  const keep = o.values.trace === undefined ? 0 : parseCount(o.values.trace as string, '--trace', 1, 1_000_000);
  const r = await runScenario(scenario, { seed: o.seed, mutations: o.mutations, keepTrace: keep });
  const expected = o.values['expect-hash'] as string | undefined;
  const same = expected === undefined || expected === r.traceHash;
  if (o.values.json) {
    io.stdout.write(
      JSON.stringify({ ...r, tail: keep > 0 ? r.tail : [], expectedHash: expected ?? null, reproduced: same, scenarioDocument: scenario }) +
        '\n',
    );
  } else {
    if (keep > 0) io.stdout.write(r.tail.join('\n') + '\n');
    io.stdout.write(
      `${r.scenario} seed ${r.seed}: ${r.pass ? 'pass' : 'FAIL'}, trace ${r.traceHash}, ${r.events} events, ${r.virtualMs} virtual ms, view ${r.views}, height ${r.height}\n`,
    );
    for (const v of r.violations) io.stdout.write(`  ${v.check}: ${v.message}\n`);
    if (!same) io.stdout.write(`  trace hash differs from the expected ${expected ?? ''}: the replay did not reproduce the run\n`);
  }
  return same && (r.pass || expected !== undefined) ? EXIT_OK : EXIT_FAILED;
}

async function shrink(args: readonly string[], io: CliIo): Promise<number> {
  const o = oneRunOptions(args);
  const scenario = await loadScenario(o.scenario, o.seed);
  const out = await shrinkFailure(scenario, o.seed, { mutations: o.mutations });
  if (out.result.pass) {
    io.stderr.write(`${scenario.name} seed ${o.seed} passes: nothing to shrink\n`);
    return EXIT_FAILED;
  }
  const doc = {
    seed: o.seed,
    mutations: o.mutations,
    steps: out.steps,
    runs: out.runs,
    violations: out.result.violations,
    traceHash: out.result.traceHash,
    document: out.scenario,
  };
  io.stdout.write(JSON.stringify(doc, null, o.values.json ? undefined : 2) + '\n');
  return EXIT_OK;
}

export const simCommand: Command = {
  name: 'sim',
  summary: 'deterministic Byzantine fault-injection simulation: campaigns, replay, shrink, merge',
  usage,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = args;
    if (sub === 'merge') return merge(rest, io);
    if (sub === 'replay') return replay(rest, io);
    if (sub === 'shrink') return shrink(rest, io);
    if (sub === 'list') {
      const json = rest.includes('--json');
      const list = SCENARIOS.map((s) => ({ name: s.name, n: s.n, keys: s.keys }));
      io.stdout.write(
        json
          ? JSON.stringify({ scenarios: list, mutations: MUTATIONS }) + '\n'
          : table([['scenario', 'n', 'keys'], ...list.map((s) => [s.name, String(s.n), s.keys])]) + '\n',
      );
      return EXIT_OK;
    }
    return campaign(args, io);
  },
};
