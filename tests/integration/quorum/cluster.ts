/**
 * A quorum of real processes on loopback: one `hrng aggregator` and N `hrng agent`s, started from the
 * built CLI (`node dist/cli/hrng.js`, built here if missing), talking mutual TLS with a test CA made by
 * openssl. The aggregator is driven through its stdin control channel. Every child is tracked by pid and
 * killed by pid in stop(), which the tests call on success and on failure. Used by the integration test
 * and by the soak (scripts/soak/).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { makeTestPki, type Issued, type TestPki } from './pki.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'dist/cli/hrng.js');

/** Builds the CLI when dist/ lacks the quorum commands (npm test has built it already). */
export function ensureBuilt(): void {
  if (existsSync(join(ROOT, 'dist/cli/commands/aggregator.js')) && existsSync(join(ROOT, 'dist/quorum/aggregator.js'))) return;
  const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed');
}

export interface ClusterOptions {
  readonly regions: readonly string[];
  /** postgres:// URL for --store; the file store otherwise. */
  readonly store?: string;
  readonly intervalMs?: number;
  /**
   * How the aggregator gets its master wrapping key, instead of a keystore made here: its options
   * (e.g. `--hsm-wrap-key LABEL`) and the environment they need (e.g. HRNG_PKCS11_*).
   */
  readonly wrapping?: { readonly args: readonly string[]; readonly env: Readonly<Record<string, string | undefined>> };
}

interface Proc {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly waiters: ((line: string | undefined) => void)[];
  stderr: string;
  exited: boolean;
}

function track(child: ChildProcess): Proc {
  const p: Proc = { child, lines: [], waiters: [], stderr: '', exited: false };
  const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  rl.on('line', (l) => {
    const w = p.waiters.shift();
    if (w) w(l);
    else p.lines.push(l);
  });
  child.stderr?.on('data', (c: Buffer) => {
    p.stderr = (p.stderr + c.toString()).slice(-20_000);
  });
  child.on('exit', () => {
    p.exited = true;
    for (const w of p.waiters.splice(0)) w(undefined);
  });
  return p;
}

function nextLine(p: Proc, timeoutMs: number): Promise<string> {
  const ready = p.lines.shift();
  if (ready !== undefined) return Promise.resolve(ready);
  if (p.exited) return Promise.reject(new Error(`process ${p.child.pid} exited: ${p.stderr.slice(-2000)}`));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      const i = p.waiters.indexOf(w);
      if (i >= 0) p.waiters.splice(i, 1);
      reject(new Error(`no output from ${p.child.pid} within ${timeoutMs} ms; stderr: ${p.stderr.slice(-2000)}`));
    }, timeoutMs);
    const w = (l: string | undefined): void => {
      clearTimeout(timer);
      if (l === undefined) reject(new Error(`process ${p.child.pid} exited: ${p.stderr.slice(-2000)}`));
      else resolve(l);
    };
    p.waiters.push(w);
  });
}

export type Reply = Record<string, unknown> & { ok: boolean; op: string; code?: string };

export class Cluster {
  readonly dir: string;
  private readonly pki: TestPki;
  private readonly issued = new Map<string, Issued>();
  private aggregator: Proc | undefined;
  readonly agents = new Map<string, Proc>();
  port = 0;
  private wrappingKeystore = '';
  private readonly passphraseFile: string;
  private readonly server: Issued;

  private constructor(private readonly options: ClusterOptions) {
    this.dir = mkdtempSync(join(tmpdir(), 'hrng-quorum-procs-'));
    this.pki = makeTestPki(this.dir);
    this.server = this.pki.issue('aggregator');
    this.passphraseFile = join(this.dir, 'passphrase');
    writeFileSync(this.passphraseFile, 'a test passphrase for the wrapping key\n', { mode: 0o600 });
  }

  static async start(options: ClusterOptions): Promise<Cluster> {
    ensureBuilt();
    const c = new Cluster(options);
    try {
      if (options.wrapping === undefined) c.initKeystore();
      await c.startAggregator();
      for (const [i, region] of options.regions.entries()) c.startAgent(`agent-${i + 1}`, region);
      return c;
    } catch (err) {
      c.stop();
      throw err;
    }
  }

  private initKeystore(): void {
    const init = spawnSync(
      process.execPath,
      [BIN, 'aggregator', 'init-wrapping-key', '--dir', this.dir, '--passphrase-file', this.passphraseFile],
      { encoding: 'utf8' },
    );
    if (init.status !== 0) throw new Error(`init-wrapping-key failed: ${init.stderr}`);
    this.wrappingKeystore = (JSON.parse(init.stdout) as { wrappingKeystore: string }).wrappingKeystore;
  }

  get agentIds(): string[] {
    return this.options.regions.map((_, i) => `agent-${i + 1}`);
  }

  regionOf(id: string): string {
    return this.options.regions[Number(id.slice('agent-'.length)) - 1] as string;
  }

  async startAggregator(): Promise<void> {
    const store = this.options.store !== undefined ? ['--store', this.options.store] : ['--state', join(this.dir, 'aggregator-state.json')];
    const child = spawn(
      process.execPath,
      [
        BIN,
        'aggregator',
        '--listen',
        `127.0.0.1:${this.port}`,
        '--cert',
        this.server.certPath,
        '--key',
        this.server.keyPath,
        '--ca',
        this.pki.caPath,
        ...store,
        ...(this.options.wrapping?.args ?? ['--wrapping-keystore', this.wrappingKeystore, '--passphrase-file', this.passphraseFile]),
        '--open-enrolment',
        '--request-timeout-ms',
        '2500',
        '--live-within-ms',
        '6000',
        '--rate',
        '20',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...this.options.wrapping?.env, HRNG_LOG_LEVEL: 'warn' } },
    );
    this.aggregator = track(child);
    const first = JSON.parse(await nextLine(this.aggregator, 60_000)) as { event: string; port: number };
    if (first.event !== 'listening') throw new Error(`unexpected first line ${JSON.stringify(first)}`);
    this.port = first.port;
  }

  startAgent(id: string, region = this.regionOf(id)): void {
    let tls = this.issued.get(id);
    if (tls === undefined) {
      tls = this.pki.issue(id);
      this.issued.set(id, tls);
    }
    const child = spawn(
      process.execPath,
      [
        BIN,
        'agent',
        '--id',
        id,
        '--region',
        region,
        '--connect',
        `127.0.0.1:${this.port}`,
        '--cert',
        tls.certPath,
        '--key',
        tls.keyPath,
        '--ca',
        this.pki.caPath,
        '--interval-ms',
        String(this.options.intervalMs ?? 400),
        '--status-ms',
        '500',
        '--state',
        join(this.dir, `${id}.shares.json`),
        '--source',
        'os',
        '--source',
        'jitter',
        '--min-sources',
        '2',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HRNG_LOG_LEVEL: 'warn' } },
    );
    this.agents.set(id, track(child));
  }

  /** SIGKILL by pid: the agent dies without a goodbye. */
  killAgent(id: string): void {
    const p = this.agents.get(id);
    if (p?.child.pid !== undefined && !p.exited) process.kill(p.child.pid, 'SIGKILL');
    this.agents.delete(id);
  }

  liveAgents(): string[] {
    return [...this.agents.entries()].filter(([, p]) => !p.exited).map(([id]) => id);
  }

  async killAggregator(): Promise<void> {
    const p = this.aggregator;
    if (p?.child.pid !== undefined && !p.exited) {
      process.kill(p.child.pid, 'SIGKILL');
      await new Promise((r) => p.child.once('exit', r));
    }
    this.aggregator = undefined;
  }

  /** One control request; its reply (replies come in request order). */
  async control(request: Record<string, unknown>, timeoutMs = 60_000): Promise<Reply> {
    const p = this.aggregator;
    if (p === undefined) throw new Error('no aggregator');
    p.child.stdin?.write(`${JSON.stringify(request)}\n`);
    return JSON.parse(await nextLine(p, timeoutMs)) as Reply;
  }

  aggregatorStderr(): string {
    return this.aggregator?.stderr ?? '';
  }

  /** Kills every child by pid and removes the directory. */
  stop(): void {
    for (const p of [...this.agents.values(), ...(this.aggregator ? [this.aggregator] : [])]) {
      if (p.child.pid !== undefined && !p.exited) {
        try {
          process.kill(p.child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    this.agents.clear();
    this.aggregator = undefined;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
