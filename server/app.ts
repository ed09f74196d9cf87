/**
 * The entropy server's request handler (node:http): routing, authentication, rate limits, the ANU
 * shapes, /v1/random, /v1/stream, /health, /sources and /metrics. Transport (HTTP/HTTPS, timeouts,
 * listening) is in ./server.ts; query parsing in ./query.ts (pure); the responses' bodies in ./anu.ts.
 *
 * Every byte endpoint draws from the one `Rng` and refuses with 503 + Retry-After when it cannot serve
 * from a healthy, properly seeded state — there is no fallback to another generator. Responses carry
 * `Cache-Control: no-store` (random bytes must never be cached and replayed by a proxy) and
 * `X-Hrng-Provenance` (the seed's draw counter, purpose and time, each contributing source's credited
 * bits, and the state; nothing secret — built once per seed and state, ./provenance.ts).
 *
 * The request path is kept to what the answer needs (profiled, docs/performance.md "Entropy server"):
 * headers are flat arrays built around constant parts, the provenance header is cached, the query
 * parser takes a fast path for plain text, and bytes are encoded without copying them first.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock, Logger, Rng } from '../crypto/index.js';
import { HardenedRngError } from '../crypto/index.js';
import { anuBody } from './anu.js';
import { healthDecision, mayServe, RETRY_AFTER_FAILED_S } from './health.js';
import type { ServerMetrics } from './metrics.js';
import type { ProvenanceCache } from './provenance.js';
import { anuByteCount, parseCurrentAnu, parseLegacyAnu, parseRandom, parseStream, type BadQuery } from './query.js';
import { matchToken, type RateLimiter, type TokenEntry } from './tokens.js';

export interface AppOptions {
  readonly rng: Rng;
  readonly metrics: ServerMetrics;
  /** The provenance header's value (./provenance.ts); built by the server once per seed and state. */
  readonly provenance: ProvenanceCache;
  readonly clock: Clock;
  readonly logger: Logger;
  /** When given, byte endpoints need one of these tokens (x-api-key, or Authorization: Bearer). */
  readonly tokens?: readonly TokenEntry[];
  readonly limiter: RateLimiter;
  /** Largest /v1/stream response. */
  readonly maxStreamBytes: number;
}

type Route = 'anu-legacy' | 'anu-current' | 'random' | 'stream' | 'health' | 'sources' | 'metrics' | 'other';

const MAX_URL = 2048;
const CHUNK = 65536;

function routeOf(path: string): Route {
  switch (path) {
    case '/API/jsonI.php':
      return 'anu-legacy';
    case '/':
      return 'anu-current';
    case '/v1/random':
      return 'random';
    case '/v1/stream':
      return 'stream';
    case '/health':
      return 'health';
    case '/sources':
      return 'sources';
    case '/metrics':
      return 'metrics';
    default:
      return 'other';
  }
}

/** Headers every response carries, as [name, value] pairs (flat arrays are node:http's cheapest form). */
const COMMON_HEADERS = ['cache-control', 'no-store', 'x-content-type-options', 'nosniff'] as const;

/** `content` is [content-type, body]; `headers` are extra [name, value, name, value, …]. */
function send(res: ServerResponse, status: number, content: readonly [string, string | Uint8Array], headers: readonly string[] = []): void {
  const [type, body] = content;
  res.writeHead(status, [
    'content-type',
    type,
    'content-length',
    String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength),
    ...COMMON_HEADERS,
    ...headers,
  ]);
  res.end(body);
}

const json = (res: ServerResponse, status: number, value: unknown, headers: readonly string[] = []): void =>
  send(res, status, ['application/json', JSON.stringify(value)], headers);

/** A view of `bytes` as a Buffer, sharing its memory (no copy). */
const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export function createApp(o: AppOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const unavailable = (res: ServerResponse, route: Route, reason: string): void => {
    const headers = ['retry-after', String(RETRY_AFTER_FAILED_S)];
    if (route === 'anu-legacy' || route === 'anu-current')
      json(res, 503, { success: false, message: 'random generator unavailable' }, headers);
    else json(res, 503, { error: 'RNG_FAILED', message: reason }, headers);
  };

  const badQuery = (res: ServerResponse, route: Route, b: BadQuery): void => {
    if (route === 'anu-legacy' || route === 'anu-current') json(res, 400, { success: false, message: b.message });
    else json(res, 400, { error: 'SERVER_BAD_QUERY', parameter: b.parameter, message: b.message });
  };

  /** Authenticates and rate-limits; answers and returns false when the request may not proceed. */
  const admit = (req: IncomingMessage, res: ServerResponse, route: Route, nowMs: number): boolean => {
    let name = 'anonymous';
    let rate: number | undefined;
    if (o.tokens) {
      const key = req.headers['x-api-key'];
      const auth = req.headers.authorization;
      const presented = typeof key === 'string' ? key : typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
      const entry = presented === undefined ? undefined : matchToken(o.tokens, presented);
      if (!entry) {
        if (route === 'anu-current') json(res, 403, { message: 'Forbidden' });
        else
          json(res, 401, { error: 'SERVER_UNAUTHORIZED', message: 'a valid API token is required (x-api-key or Authorization: Bearer)' }, [
            'www-authenticate',
            'Bearer',
          ]);
        return false;
      }
      name = entry.name;
      rate = entry.rate;
    }
    const r = o.limiter.take(name, nowMs, rate);
    if (!r.allowed) {
      json(
        res,
        429,
        route === 'anu-legacy' || route === 'anu-current'
          ? { success: false, message: 'rate limit exceeded' }
          : { error: 'SERVER_RATE_LIMITED', message: 'rate limit exceeded' },
        ['retry-after', String(r.retryAfterS)],
      );
      return false;
    }
    return true;
  };

  /** Bytes from the Rng, or undefined after answering 503. */
  const draw = (res: ServerResponse, route: Route, n: number): Uint8Array | undefined => {
    if (!mayServe(o.rng.state)) {
      unavailable(res, route, `generator is ${o.rng.state}`);
      return undefined;
    }
    try {
      return o.rng.randomBytes(n);
    } catch (err) {
      o.logger.warn({ route, code: err instanceof HardenedRngError ? err.code : 'error' }, 'refused to serve: generator cannot');
      unavailable(res, route, err instanceof HardenedRngError ? err.code : 'generator error');
      return undefined;
    }
  };

  const stream = async (req: IncomingMessage, res: ServerResponse, total: number): Promise<void> => {
    const first = draw(res, 'stream', Math.min(CHUNK, total));
    if (!first) return;
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(total),
      'cache-control': 'no-store',
      'x-hrng-provenance': o.provenance.header(),
    });
    let closed = false;
    res.on('close', () => (closed = true));
    let chunk: Uint8Array | undefined = first;
    for (let sent = 0; sent < total && !closed; ) {
      if (!chunk) {
        try {
          chunk = o.rng.randomBytes(Math.min(CHUNK, total - sent));
        } catch {
          // The generator failed mid-stream: cut the response short (the length says it is incomplete).
          res.destroy();
          return;
        }
      }
      sent += chunk.length;
      o.metrics.addOutputBytes('stream', chunk.length);
      const ok = res.write(chunk);
      chunk = undefined;
      if (!ok && !closed) await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
    }
    if (!closed) res.end();
    void req;
  };

  return (req, res) => {
    const t0 = o.clock.monotonicMs();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? '' : url.slice(q + 1);
    const route = routeOf(path);
    res.once('finish', () => o.metrics.observeRequest(route, res.statusCode, (o.clock.monotonicMs() - t0) / 1000));
    if (url.length > MAX_URL)
      return json(res, 414, { error: 'SERVER_BAD_QUERY', parameter: 'url', message: `request target longer than ${MAX_URL}` });
    if (req.method !== 'GET' && !(req.method === 'HEAD' && route === 'health'))
      return json(res, 405, { error: 'SERVER_METHOD', message: 'only GET is served' }, ['allow', 'GET']);
    const length = req.headers['content-length'];
    if ((length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined)
      return json(res, 413, { error: 'SERVER_BODY', message: 'requests carry no body' });

    switch (route) {
      case 'health': {
        const d = healthDecision(o.rng.state);
        const h = o.rng.health();
        return json(
          res,
          d.status,
          { state: h.state, reason: h.reason, reseeds: h.counters.reseeds },
          d.retryAfterS !== undefined ? ['retry-after', String(d.retryAfterS)] : [],
        );
      }
      case 'sources':
        return json(res, 200, { state: o.rng.state, sources: o.rng.health().sources });
      case 'metrics':
        void o.metrics.registry.metrics().then(
          (text) => send(res, 200, [o.metrics.registry.contentType, text]),
          () => json(res, 500, { error: 'SERVER_METRICS', message: 'metrics unavailable' }),
        );
        return;
      case 'anu-legacy':
      case 'anu-current': {
        const shape = route === 'anu-legacy' ? 'legacy' : 'current';
        const p = shape === 'legacy' ? parseLegacyAnu(query) : parseCurrentAnu(query);
        if (!p.ok) return badQuery(res, route, p);
        if (!admit(req, res, route, t0)) return;
        const n = anuByteCount(p.value, shape);
        const bytes = draw(res, route, n);
        if (!bytes) return;
        const body = anuBody(p.value, shape, bytes);
        bytes.fill(0);
        o.metrics.addOutputBytes(route, n);
        return send(res, 200, ['application/json', body], ['x-hrng-provenance', o.provenance.header(), 'access-control-allow-origin', '*']);
      }
      case 'random': {
        const p = parseRandom(query);
        if (!p.ok) return badQuery(res, route, p);
        if (!admit(req, res, route, t0)) return;
        const bytes = draw(res, route, p.value.bytes);
        if (!bytes) return;
        o.metrics.addOutputBytes(route, bytes.length);
        const headers = ['x-hrng-provenance', o.provenance.header()];
        if (p.value.format === 'raw') return send(res, 200, ['application/octet-stream', bytes], headers);
        const text = asBuffer(bytes).toString(p.value.format);
        bytes.fill(0);
        return send(res, 200, ['text/plain; charset=utf-8', `${text}\n`], headers);
      }
      case 'stream': {
        const p = parseStream(query, o.maxStreamBytes);
        if (!p.ok) return badQuery(res, route, p);
        if (!admit(req, res, route, t0)) return;
        stream(req, res, p.value.bytes).catch(() => res.destroy());
        return;
      }
      case 'other':
        return json(res, 404, { error: 'SERVER_NOT_FOUND', message: 'no such endpoint' });
    }
  };
}
