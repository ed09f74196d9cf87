/**
 * `createEntropyServer`: the app of ./app.ts on node:http, or node:https when given a certificate and
 * key, with bounded requests — header size (8 KiB), headers and request timeouts, idle keep-alive,
 * socket inactivity, a cap on connections — and loopback by default. `url` is what `hrng serve` prints
 * as its first line. `close()` stops accepting, ends idle connections and stops the metrics listeners.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { systemClock, silentLogger, type Clock, type Logger, type Rng } from '../crypto/index.js';
import { createApp } from './app.js';
import { check, ServerError } from './errors.js';
import { createMetrics, type ServerMetrics } from './metrics.js';
import { provenanceCache } from './provenance.js';
import { MAX_STREAM_BYTES } from './query.js';
import { RateLimiter, type TokenEntry } from './tokens.js';

export interface EntropyServerOptions {
  readonly rng: Rng;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0 (any free port). */
  readonly port?: number;
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  readonly tokens?: readonly TokenEntry[];
  /** Requests per second per token (or for all anonymous requests together); default 100. */
  readonly rate?: number;
  readonly burst?: number;
  readonly maxStreamBytes?: number;
  readonly maxConnections?: number;
  readonly version?: string;
  readonly logger?: Logger;
  readonly clock?: Clock;
}

export interface EntropyServer {
  readonly url: string;
  readonly metrics: ServerMetrics;
  readonly server: Server;
  close(): Promise<void>;
}

export async function createEntropyServer(o: EntropyServerOptions): Promise<EntropyServer> {
  const host = o.host ?? '127.0.0.1';
  const port = check.integer(o.port ?? 0, 'port', { max: 65535 });
  const rate = check.number(o.rate ?? 100, 'rate', { min: 0.001, max: 1e6 });
  const burst = check.number(o.burst ?? Math.max(1, rate), 'burst', { min: 1, max: 1e7 });
  const maxStreamBytes = check.integer(o.maxStreamBytes ?? 64 * 1024 * 1024, 'maxStreamBytes', { min: 1, max: MAX_STREAM_BYTES });
  const metrics = createMetrics(o.rng, o.version ?? '0.1.0');
  const provenance = provenanceCache(o.rng);
  const stopListening = (): void => {
    metrics.close();
    provenance.close();
  };
  const app = createApp({
    rng: o.rng,
    metrics,
    provenance,
    clock: o.clock ?? systemClock,
    logger: o.logger ?? silentLogger,
    ...(o.tokens ? { tokens: o.tokens } : {}),
    limiter: new RateLimiter(rate, burst),
    maxStreamBytes,
  });
  const httpOptions = { maxHeaderSize: 8192, headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000 };
  let server: Server;
  if (o.tls) {
    let cert: Buffer;
    let key: Buffer;
    try {
      cert = readFileSync(o.tls.certFile);
      key = readFileSync(o.tls.keyFile);
    } catch (err) {
      stopListening();
      throw new ServerError('SERVER_TLS_CONFIG', `cannot read the certificate or key: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    server = createHttpsServer({ ...httpOptions, cert, key, minVersion: 'TLSv1.2' }, app) as unknown as Server;
  } else server = createHttpServer(httpOptions, app);
  server.maxConnections = o.maxConnections ?? 1024;
  server.setTimeout(60_000);
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      stopListening();
      reject(new ServerError('SERVER_LISTEN_FAILED', `cannot listen on ${host}:${port}: ${err.code ?? err.message}`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `${o.tls ? 'https' : 'http'}://${shownHost}:${addr.port}/`;
  return {
    url,
    metrics,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        stopListening();
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      }),
  };
}
