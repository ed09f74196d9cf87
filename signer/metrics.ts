/**
 * The signer's Prometheus metrics (prom-client, on a registry of its own):
 *   hrng_signer_requests_total{type,result}   every privval request and how it ended
 *   hrng_signer_sign_duration_seconds{type}   request handling time (guard writes and the signature)
 *   hrng_guard_height                         the highest height signed
 *   hrng_rng_state{state}                     1 for the generator's current state (healthy/degraded/failed)
 *   hrng_signer_ready                         1 while the signer would sign (connected, Rng and token healthy)
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestResult, RequestType, SignerObserver } from './privval-service.js';

export class SignerMetrics implements SignerObserver {
  readonly registry = new Registry();
  readonly #requests = new Counter({
    name: 'hrng_signer_requests_total',
    help: 'privval requests by type and result',
    labelNames: ['type', 'result'] as const,
    registers: [this.registry],
  });
  readonly #duration = new Histogram({
    name: 'hrng_signer_sign_duration_seconds',
    help: 'time to handle a privval request, guard writes included',
    labelNames: ['type'] as const,
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1],
    registers: [this.registry],
  });
  readonly #height = new Gauge({
    name: 'hrng_guard_height',
    help: 'the highest height the guard allowed a signature at',
    registers: [this.registry],
  });
  readonly #rng = new Gauge({
    name: 'hrng_rng_state',
    help: "1 for the generator's current state",
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  readonly #ready = new Gauge({
    name: 'hrng_signer_ready',
    help: '1 while the signer is connected and healthy',
    registers: [this.registry],
  });

  request(type: RequestType, result: RequestResult, seconds: number): void {
    this.#requests.inc({ type, result });
    if (type === 'vote' || type === 'proposal') this.#duration.observe({ type }, seconds);
  }

  signedHeight(height: number): void {
    this.#height.set(height);
  }

  rngState(state: 'healthy' | 'degraded' | 'failed'): void {
    for (const s of ['healthy', 'degraded', 'failed'] as const) this.#rng.set({ state: s }, s === state ? 1 : 0);
  }

  ready(ready: boolean): void {
    this.#ready.set(ready ? 1 : 0);
  }
}
