/**
 * In-process quorum for tests: one aggregator and N agents in this process, over real mutual TLS on
 * 127.0.0.1 with a test CA made by openssl. Agents draw from the OS source only (minSources 1) so the tests
 * do not wait on jitter collection.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EntropyPool } from '../../../crypto/entropy/pool.js';
import { OsSource } from '../../../crypto/entropy/sources/os.js';
import type { EntropySource } from '../../../crypto/entropy/source.js';
import { Agent, type AgentEvent, type AgentFaults } from '../../../quorum/agent.js';
import { Aggregator, type AggregatorOptions } from '../../../quorum/aggregator.js';
import { AgentIdentity } from '../../../quorum/identity.js';
import { FileStateStore } from '../../../quorum/store/file-store.js';
import type { AggregatorState } from '../../../quorum/state.js';
import { WrappingKey } from '../../../quorum/wrap.js';
import { makeTestPki, type TestPki } from '../../integration/quorum/pki.js';
import { testRng } from '../sharing/helpers.js';

export interface AgentSpec {
  readonly id: string;
  readonly region: string;
  readonly faults?: AgentFaults;
  readonly sources?: readonly EntropySource[];
  readonly battery?: number;
}

export interface Harness {
  readonly dir: string;
  readonly pki: TestPki;
  aggregator: Aggregator;
  readonly agents: Map<string, Agent>;
  readonly events: Map<string, AgentEvent[]>;
  readonly wrapping: WrappingKey;
  startAgent(spec: AgentSpec): Promise<Agent>;
  stopAgent(id: string): Promise<void>;
  restartAggregator(): Promise<void>;
  waitFor(cond: () => boolean, what: string, ms?: number): Promise<void>;
  /** Runs after every state save of the aggregator, before it goes on (to act at a precise step). */
  onSave: ((state: AggregatorState) => Promise<void>) | undefined;
  close(): Promise<void>;
}

export async function startHarness(options: {
  agents: readonly AgentSpec[];
  aggregator?: Partial<AggregatorOptions>;
  label: string;
}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'hrng-quorum-'));
  const pki = makeTestPki(dir);
  const server = pki.issue('aggregator');
  const rng = testRng(options.label);
  const wrapping = WrappingKey.fromBytes(rng.randomBytes(32));
  const statePath = join(dir, 'aggregator-state.json');
  const file = new FileStateStore(statePath);
  const issued = new Map<string, { cert: string; key: string }>();
  const startAggregator = (): Promise<Aggregator> =>
    Aggregator.start({
      tls: { cert: server.cert, key: server.key, ca: pki.ca },
      store: {
        description: 'test file store',
        load: () => file.load(),
        save: async (state) => {
          await file.save(state);
          await harness.onSave?.(state);
        },
        close: () => file.close(),
      },
      wrapping,
      rng,
      openEnrolment: true,
      requestTimeoutMs: 1500,
      freshness: { windowMs: 30_000, ratePerSecond: 50, burst: 50 },
      ...options.aggregator,
      port,
    });
  let port = 0;
  const aggregator = await startAggregator();
  port = aggregator.port;
  const agents = new Map<string, Agent>();
  const events = new Map<string, AgentEvent[]>();
  const harness: Harness = {
    dir,
    pki,
    aggregator,
    agents,
    events,
    wrapping,
    onSave: undefined,
    async startAgent(spec) {
      let tls = issued.get(spec.id);
      if (tls === undefined) {
        tls = pki.issue(spec.id);
        issued.set(spec.id, tls);
      }
      const log: AgentEvent[] = events.get(spec.id) ?? [];
      events.set(spec.id, log);
      const agent = new Agent({
        agentId: spec.id,
        region: spec.region,
        host: '127.0.0.1',
        port: harness.aggregator.port,
        tls: { cert: tls.cert, key: tls.key, ca: pki.ca },
        identity: AgentIdentity.fromPem(tls.key),
        pool: new EntropyPool({ sources: spec.sources ?? [new OsSource()], policy: { minSources: 1 } }),
        rng: testRng(`${options.label}/${spec.id}`),
        intervalMs: 100,
        statusEveryMs: 200,
        reconnectMs: 100,
        battery: () => spec.battery ?? -1,
        stateFile: join(dir, `${spec.id}.shares.json`),
        onEvent: (e) => log.push(e),
        ...(spec.faults ? { faults: spec.faults } : {}),
      });
      agents.set(spec.id, agent);
      await agent.start();
      return agent;
    },
    async stopAgent(id) {
      await agents.get(id)?.stop();
      agents.delete(id);
    },
    async restartAggregator() {
      await harness.aggregator.close();
      harness.aggregator = await startAggregator();
    },
    async waitFor(cond, what, ms = 10_000) {
      const until = Date.now() + ms;
      while (!cond()) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      for (const a of agents.values()) await a.stop();
      await harness.aggregator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  for (const spec of options.agents) await harness.startAgent(spec);
  return harness;
}

/** Every agent the aggregator sees as live and healthy. */
export function liveHealthy(h: Harness): string[] {
  return h.aggregator
    .views()
    .filter((v) => v.lastSeen > 0 && v.health === 'healthy')
    .map((v) => v.agentId);
}
