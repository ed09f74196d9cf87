/**
 * The signer's observability endpoint, on its own loopback port (never the privval link): `/metrics`
 * (Prometheus text), `/healthz` (the process is up) and `/readyz` (200 while it would sign: connected
 * to the node, the Rng healthy, the token reachable; 503 with the reason otherwise).
 */
import { createServer, type Server } from 'node:http';
import { SignerError } from './errors.js';
import type { SignerMetrics } from './metrics.js';

export interface HealthServerOptions {
  readonly host: string;
  readonly port: number;
  readonly metrics: SignerMetrics;
  /** Why the signer is not ready, or undefined when it is. */
  readonly notReady: () => string | undefined;
}

export async function startHealthServer(o: HealthServerOptions): Promise<{ port: number; close(): Promise<void> }> {
  if (o.host !== '127.0.0.1' && o.host !== '::1' && o.host !== 'localhost') {
    throw new SignerError('SIGNER_CONFIG_INVALID', `the metrics endpoint listens on loopback only, not ${o.host}`);
  }
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': o.metrics.registry.contentType });
        res.end(await o.metrics.registry.metrics());
      } else if (req.url === '/healthz') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      } else if (req.url === '/readyz') {
        const why = o.notReady();
        o.metrics.ready(why === undefined);
        res
          .writeHead(why === undefined ? 200 : 503, { 'content-type': 'text/plain' })
          .end(why === undefined ? 'ready\n' : `not ready: ${why}\n`);
      } else {
        res.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, resolve);
  });
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
