/**
 * The entropy server under load (`npm run bench -- server`): autocannon on loopback against `hrng serve`
 * (a child process, rate limit lifted) and, in the same run, against a bare node:http server answering
 * with crypto.randomBytes (also a child process) — the baseline. Reported: requests/s and p99 latency for
 * 1 KiB responses under 64 connections (goal p99 ≤ 5 ms), MB/s for 64 KiB responses against
 * Rng.randomBytes(65536) measured in this process (goal ≥ 80 %: the DRBG, not HTTP, is the bottleneck),
 * MB/s for /v1/stream, and errors (goal 0). `HRNG_BENCH_SERVER_SECONDS` sets each run's length (default 5).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon, { type Result } from 'autocannon';
import { Rng } from '../../crypto/drbg/rng.js';
import { printMarkdownTable } from './cpu-time.js';

const here = dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.env.HRNG_BENCH_SERVER_SECONDS ?? 5);

const BASELINE = `
const http = require('node:http'); const { randomBytes } = require('node:crypto');
const s = http.createServer((req, res) => {
  const u = new URL(req.url, 'http://x'); const n = Number(u.searchParams.get('bytes') ?? 1024);
  if (u.pathname === '/v1/stream') {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': n });
    let left = n; const pump = () => { while (left > 0) { const c = Math.min(65536, left); left -= c; if (!res.write(randomBytes(c))) return res.once('drain', pump); } res.end(); }; return pump();
  }
  const b = randomBytes(n); res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': b.length, 'cache-control': 'no-store' }); res.end(b);
});
s.keepAliveTimeout = 5000; s.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + s.address().port + '/'));`;

async function start(args: readonly string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, HRNG_LOG_LEVEL: 'error' } });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve);
    child.once('exit', (c) => reject(new Error(`server exited with ${String(c)}`)));
  });
  return { url, child };
}

async function load(url: string, connections: number): Promise<Result> {
  return autocannon({ url, connections, duration: seconds });
}

function rngThroughput(rng: Rng): number {
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < 1000) {
    rng.randomBytes(65536);
    n += 65536;
  }
  return n / ((performance.now() - t0) / 1000);
}

export async function run(): Promise<void> {
  const rng = await Rng.create();
  const drbgBps = rngThroughput(rng);
  rng.destroy();
  const ours = await start([
    join(here, '../../cli/hrng.js'),
    'serve',
    '--port',
    '0',
    '--rate',
    '1000000',
    '--burst',
    '10000000',
    '--max-stream',
    String(1 << 30),
  ]);
  const base = await start(['-e', BASELINE]);
  try {
    const rows: string[][] = [];
    const mb = (bps: number): string => (bps / 1e6).toFixed(1);
    const errs = (r: Result): string => String(r.errors + r.timeouts + r.non2xx);
    for (const [name, u] of [
      ['hrng serve', ours.url],
      ['node:http + crypto.randomBytes', base.url],
    ] as const) {
      const small = await load(`${u}v1/random?bytes=1024&format=raw`, 64);
      rows.push([
        name,
        '1 KiB, 64 conns',
        `${small.requests.average.toFixed(0)} req/s`,
        `${small.latency.p99} ms`,
        errs(small),
        name === 'hrng serve' ? `p99 ≤ 5 ms: ${small.latency.p99 <= 5 ? 'met' : 'MISSED'}` : '',
      ]);
      const big = await load(`${u}v1/random?bytes=65536&format=raw`, 16);
      const ratio = big.throughput.average / drbgBps;
      rows.push([
        name,
        '64 KiB, 16 conns',
        `${mb(big.throughput.average)} MB/s`,
        `${big.latency.p99} ms`,
        errs(big),
        name === 'hrng serve'
          ? `${(100 * ratio).toFixed(0)} % of Rng.randomBytes (${mb(drbgBps)} MB/s; ≥ 80 %: ${ratio >= 0.8 ? 'met' : 'MISSED'})`
          : '',
      ]);
      const stream = await load(`${u}v1/stream?bytes=${2 << 20}`, 4);
      rows.push([name, 'stream 2 MiB, 4 conns', `${mb(stream.throughput.average)} MB/s`, `${stream.latency.p99} ms`, errs(stream), '']);
    }
    printMarkdownTable(['server', 'load', 'throughput', 'p99', 'errors', 'goal'], rows);
  } finally {
    for (const c of [ours.child, base.child]) if (c.pid !== undefined) process.kill(c.pid, 'SIGTERM');
  }
}
