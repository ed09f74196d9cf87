/**
 * The server over real loopback HTTP (node's fetch, i.e. undici, as the client): the ANU fixtures,
 * /v1/random and /v1/stream, refusal of bad queries naming the parameter, fail-closed 503s with
 * Retry-After once the generator has failed, tokens, rate limits, and the metrics' names and labels.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTokenFile } from '../../../server/tokens.js';
import { start, type Running } from './helpers.js';

interface Fixture {
  readonly name: string;
  readonly request: string;
  readonly headers?: Record<string, string>;
  readonly status: number;
  readonly response: Record<string, unknown>;
}
const fixtures = (JSON.parse(readFileSync(new URL('./fixtures/anu.json', import.meta.url), 'utf8')) as { cases: Fixture[] }).cases;

/** Same keys in the same order, same JSON types, same data count and element form. */
function sameShape(actual: Record<string, unknown>, recorded: Record<string, unknown>): void {
  expect(Object.keys(actual)).toEqual(Object.keys(recorded));
  for (const k of Object.keys(recorded)) {
    const a = actual[k];
    const r = recorded[k];
    if (k === 'data') {
      const ad = a as unknown[];
      const rd = r as unknown[];
      expect(ad).toHaveLength(rd.length);
      for (let i = 0; i < rd.length; i++) {
        if (typeof rd[i] === 'string') expect(ad[i]).toMatch(new RegExp(`^[0-9a-f]{${(rd[i] as string).length}}$`));
        else {
          expect(Number.isInteger(ad[i])).toBe(true);
          expect(ad[i] as number).toBeLessThanOrEqual(actual['type'] === 'uint8' ? 255 : 65535);
          expect(ad[i] as number).toBeGreaterThanOrEqual(0);
        }
      }
    } else if (k === 'message' && recorded['success'] === false) expect(typeof a).toBe('string');
    else expect(a).toEqual(r);
  }
}

let running: Running | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('ANU shapes against the recorded fixtures', () => {
  it.each(fixtures.map((f) => [f.name, f] as const))('%s', async (_name, f) => {
    running = await start({ tokens: parseTokenFile('fixture:fixture-token-0123456789') });
    // The legacy API has no key: the fixture server lets legacy requests through with the token too.
    const res = await running.get(f.request, f.request.startsWith('/API/') ? { 'x-api-key': 'fixture-token-0123456789' } : f.headers);
    expect(res.status).toBe(f.status);
    expect(res.headers.get('content-type')).toBe('application/json');
    sameShape((await res.json()) as Record<string, unknown>, f.response);
  });

  it('legacy without tokens needs no key; the data are the generator bytes (uint16 big-endian)', async () => {
    running = await start();
    const res = await running.get('/API/jsonI.php?length=4&type=uint16');
    const body = (await res.json()) as { data: number[]; length: number };
    expect([res.status, body.length, body.data.length]).toEqual([200, 4, 4]);
    expect(new Set(body.data).size).toBeGreaterThan(1);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('/v1/random and /v1/stream', () => {
  it('hex, base64 and raw of the requested length, with a provenance header naming the seed and sources', async () => {
    running = await start();
    const hex = await running.get('/v1/random?bytes=32');
    expect((await hex.text()).trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(hex.headers.get('x-hrng-provenance')).toMatch(
      /^draw=1; purpose=instantiate; at=\S+; claimed=384; sources=a:\d+,b:\d+; state=healthy$/,
    );
    const b64 = await running.get('/v1/random?bytes=30&format=base64');
    expect(Buffer.from((await b64.text()).trim(), 'base64')).toHaveLength(30);
    const raw = await running.get('/v1/random?bytes=1000&format=raw');
    expect([raw.headers.get('content-type'), (await raw.arrayBuffer()).byteLength]).toEqual(['application/octet-stream', 1000]);
  });

  it('stream: exactly the bytes asked for, bounded by the server maximum', async () => {
    running = await start({ maxStreamBytes: 300_000 });
    const res = await running.get('/v1/stream?bytes=200000');
    expect([res.status, (await res.arrayBuffer()).byteLength]).toEqual([200, 200_000]);
    const all = await running.get('/v1/stream');
    expect((await all.arrayBuffer()).byteLength).toBe(300_000);
    const over = await running.get('/v1/stream?bytes=300001');
    expect([over.status, ((await over.json()) as { parameter: string }).parameter]).toEqual([400, 'bytes']);
  });

  it.each([
    ['/v1/random', 'bytes'],
    ['/v1/random?bytes=-1', 'bytes'],
    ['/v1/random?bytes=8&format=bin', 'format'],
    ['/v1/random?bytes=8&bytes=9', 'bytes'],
    ['/v1/random?bytes=8&token=x', 'token'],
  ])('400 naming the parameter: %s', async (path, parameter) => {
    running = await start();
    const res = await running.get(path);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'SERVER_BAD_QUERY', parameter });
  });

  it('405 for other methods, 404 for other paths, 413 for bodies', async () => {
    running = await start();
    const url = new URL('/v1/random?bytes=1', running.server.url);
    expect((await fetch(url, { method: 'POST', body: 'x' })).status).toBe(405);
    expect((await running.get('/nope')).status).toBe(404);
  });
});

describe('fail closed', () => {
  it('once the generator fails: /health 503 with Retry-After, every byte endpoint 503, never bytes', async () => {
    running = await start();
    expect((await running.get('/health')).status).toBe(200);
    for (const s of running.sources) s.stuck = true;
    expect(() => running?.rng.reseed()).toThrow();
    expect(running.rng.state).toBe('failed');
    const health = await running.get('/health');
    expect([health.status, health.headers.get('retry-after')]).toEqual([503, '60']);
    expect(await health.json()).toMatchObject({ state: 'failed' });
    for (const path of ['/v1/random?bytes=16', '/v1/stream?bytes=16', '/API/jsonI.php?length=1&type=uint8', '/?length=1&type=uint8']) {
      const res = await running.get(path);
      expect([path, res.status, res.headers.get('retry-after')]).toEqual([path, 503, '60']);
      expect(await res.text()).not.toMatch(/"data"|^[0-9a-f]{32}/);
    }
    const sources = (await (await running.get('/sources')).json()) as { state: string; sources: { id: string; state: string }[] };
    expect(sources.state).toBe('failed');
  });
});

describe('tokens and rate limits', () => {
  it('401 without a token on /v1, 403 Forbidden on the current ANU shape; Bearer works; 429 with Retry-After past the rate', async () => {
    running = await start({ tokens: parseTokenFile('alice:0123456789abcdef0123:2'), rate: 100 });
    expect((await running.get('/v1/random?bytes=1')).status).toBe(401);
    expect((await running.get('/v1/random?bytes=1', { authorization: 'Bearer wrong-token-0000000000' })).status).toBe(401);
    const ok = await running.get('/v1/random?bytes=1', { authorization: 'Bearer 0123456789abcdef0123' });
    expect(ok.status).toBe(200);
    expect((await running.get('/v1/random?bytes=1', { 'x-api-key': '0123456789abcdef0123' })).status).toBe(200);
    const limited = await running.get('/v1/random?bytes=1', { 'x-api-key': '0123456789abcdef0123' });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '1']);
    const current = await running.get('/?length=1&type=uint8');
    expect([current.status, await current.json()]).toEqual([403, { message: 'Forbidden' }]);
    expect((await running.get('/health')).status).toBe(200);
  });
});

describe('/metrics', () => {
  it('Prometheus names, counts output bytes, and has no token or address label', async () => {
    running = await start({ tokens: parseTokenFile('alice:0123456789abcdef0123') });
    await running.get('/v1/random?bytes=100', { 'x-api-key': '0123456789abcdef0123' });
    const res = await running.get('/metrics');
    const text = await res.text();
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text).toMatch(/^hrng_output_bytes_total\{route="random"\} 100$/m);
    expect(text).toMatch(/^hrng_drbg_reseeds_total 0$/m);
    expect(text).toMatch(/^hrng_rng_state\{state="healthy"\} 1$/m);
    expect(text).toMatch(/^hrng_rng_state\{state="failed"\} 0$/m);
    expect(text).toMatch(/^hrng_health_test_failures_total\{source="a",test="repetition-count"\} 0$/m);
    expect(text).toMatch(/^hrng_request_duration_seconds_count\{route="random",code="200"\} 1$/m);
    expect(text).toMatch(/^hrng_request_duration_seconds_bucket\{le="\+Inf",route="random",code="200"\} 1$/m);
    expect(text).toMatch(/^hrng_build_info\{version="0\.1\.0",node="v\d+\.\d+\.\d+"\} 1$/m);
    expect(text).not.toMatch(/alice|0123456789abcdef|127\.0\.0\.1|token=|address=/);
  });
});
