/**
 * Running guard-race-child.mjs processes (optionally in a pid namespace of their own) and reading
 * the signature log they share.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const RACE_CHILD = fileURLToPath(new URL('./guard-race-child.mjs', import.meta.url));
export const SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';

/** The unshare(1) prefix that gives a child its own pid namespace (root, or an unprivileged user namespace). */
export function pidNamespacePrefix(): string[] {
  for (const p of [
    ['unshare', '--pid', '--fork'],
    ['unshare', '--user', '--map-root-user', '--pid', '--fork'],
  ]) {
    if (spawnSync(p[0] ?? 'unshare', [...p.slice(1), 'true']).status === 0) return p;
  }
  throw new Error('unshare --pid --fork is not available: install util-linux');
}

export interface RaceOutcome {
  readonly ok?: boolean;
  readonly code?: string;
  readonly killed?: boolean;
}

export interface ChildHandle {
  readonly pid: number | undefined;
  readonly done: Promise<RaceOutcome>;
}

export function startChild(
  env: Record<string, string>,
  opts: { readonly namespace?: boolean; readonly timeoutMs?: number } = {},
): ChildHandle {
  const prefix = opts.namespace === true ? pidNamespacePrefix() : [];
  const argv = [...prefix, process.execPath, RACE_CHILD];
  let pid: number | undefined;
  const done = new Promise<RaceOutcome>((resolve, reject) => {
    const c = execFile(
      argv[0] ?? process.execPath,
      argv.slice(1),
      { env: { PATH: process.env.PATH, SEED_HEX: SEED, ...env }, encoding: 'utf8', timeout: opts.timeoutMs ?? 60_000 },
      (err, stdout, stderr) => {
        if ((err as { signal?: string } | null)?.signal === 'SIGKILL' || (err as { code?: number } | null)?.code === 137)
          return resolve({ killed: true });
        const line = stdout.trim().split('\n').pop() ?? '';
        if (line === '') return err ? reject(new Error(`child failed: ${err.message} ${stderr}`)) : resolve({ killed: true });
        resolve(JSON.parse(line) as RaceOutcome);
      },
    );
    pid = c.pid;
  });
  return { pid, done };
}

/** Positions signed with more than one payload, from the fsynced log. */
export function conflicts(log: string): string[] {
  if (!existsSync(log)) return [];
  const byPos = new Map<string, Set<string>>();
  for (const line of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
    const e = JSON.parse(line) as { height: number; payload: string };
    byPos.set(String(e.height), (byPos.get(String(e.height)) ?? new Set()).add(e.payload));
  }
  return [...byPos].filter(([, p]) => p.size > 1).map(([k, p]) => `${k}: ${[...p].join(', ')}`);
}

export function signedPayloads(log: string, height: number): string[] {
  if (!existsSync(log)) return [];
  return [
    ...new Set(
      readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { height: number; payload: string })
        .filter((e) => e.height === height)
        .map((e) => e.payload),
    ),
  ];
}
