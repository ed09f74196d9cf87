/**
 * Prometheus metrics (prom-client, its own registry — never the global one), named by Prometheus rules:
 * counters end in `_total`, durations are `_seconds`, `_info` carries build labels with value 1. Labels
 * are bounded sets (source id, health-test name, route, status class); no token, name or address label.
 *
 * - hrng_output_bytes_total{route}             random bytes handed to clients
 * - hrng_health_test_failures_total{source,test} health-test alarms seen on the generator's sources
 * - hrng_drbg_reseeds_total                    reseeds since the server started
 * - hrng_rng_state{state}                      1 for the current state (healthy|degraded|failed), 0 otherwise
 * - hrng_request_duration_seconds{route,code}  histogram of request handling time
 * - hrng_build_info{version,node}              1
 *
 * The per-request updates are cheap by construction: output bytes are summed in a plain map and handed
 * to the counter when it is scraped (its `collect` hook), and each (route, code) pair of the duration
 * histogram keeps one labels object, so a request allocates no label set.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Rng } from '../crypto/index.js';

export interface ServerMetrics {
  readonly registry: Registry;
  /** Random bytes handed out on `route` (hrng_output_bytes_total). */
  addOutputBytes(route: string, bytes: number): void;
  /** One request's handling time (hrng_request_duration_seconds). */
  observeRequest(route: string, status: number, seconds: number): void;
  /** Stops listening to the Rng. */
  close(): void;
}

const STATES = ['healthy', 'degraded', 'failed'] as const;

export function createMetrics(rng: Rng, version: string): ServerMetrics {
  const registry = new Registry();
  const pendingBytes = new Map<string, number>();
  const outputBytes = new Counter({
    name: 'hrng_output_bytes_total',
    help: 'Random bytes handed to clients.',
    labelNames: ['route'] as const,
    registers: [registry],
    collect() {
      for (const [route, n] of pendingBytes) if (n > 0) this.inc({ route }, n);
      pendingBytes.clear();
    },
  });
  const failures = new Counter({
    name: 'hrng_health_test_failures_total',
    help: 'Health-test alarms on entropy sources.',
    labelNames: ['source', 'test'] as const,
    registers: [registry],
  });
  const reseeds = new Counter({
    name: 'hrng_drbg_reseeds_total',
    help: 'HMAC_DRBG reseeds since the server started.',
    registers: [registry],
  });
  const state = new Gauge({
    name: 'hrng_rng_state',
    help: 'The generator state: 1 for the current one.',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: 'hrng_request_duration_seconds',
    help: 'Time to handle a request.',
    labelNames: ['route', 'code'] as const,
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [registry],
  });
  const info = new Gauge({
    name: 'hrng_build_info',
    help: 'Build information.',
    labelNames: ['version', 'node'] as const,
    registers: [registry],
  });
  info.set({ version, node: process.version }, 1);
  const setState = (s: string): void => {
    for (const k of STATES) state.set({ state: k }, k === s ? 1 : 0);
  };
  setState(rng.state);
  for (const s of rng.health().sources)
    for (const t of ['repetition-count', 'adaptive-proportion', 'stuck-block', 'read-error']) failures.inc({ source: s.id, test: t }, 0);
  reseeds.inc(0);
  const offs = [
    rng.on('state', (c) => setState(c.to)),
    rng.on('reseed', () => reseeds.inc()),
    rng.on('source', (e) => {
      if (e.type === 'alarm') failures.inc({ source: e.source, test: e.failure.test });
    }),
  ];
  const durationLabels = new Map<string, { route: string; code: string }>();
  return {
    registry,
    addOutputBytes: (route, bytes) => {
      pendingBytes.set(route, (pendingBytes.get(route) ?? 0) + bytes);
    },
    observeRequest: (route, status, seconds) => {
      const key = `${route} ${status}`;
      let labels = durationLabels.get(key);
      if (labels === undefined) {
        labels = { route, code: String(status) };
        durationLabels.set(key, labels);
      }
      requestDuration.observe(labels, seconds);
    },
    close: () => {
      for (const off of offs) off();
    },
  };
}
