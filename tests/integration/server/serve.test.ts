/**
 * `hrng serve` as a real process on 127.0.0.1 with real clients: node's fetch (undici) over HTTP,
 * node:https with a real certificate (openssl-made, trusted by the client through `ca`), and autocannon
 * (a load client) against the ANU legacy endpoint — zero errors, every body parseable. The process is
 * stopped by its pid on success and failure. (The npm client `qranode` the issue names does not exist on
 * the registry; no other ANU client package is published there — docs/server.md.)
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url).pathname;
const bin = join(root, 'dist/cli/hrng.js');
const dir = mkdtempSync(join(tmpdir(), 'hrng-serve-'));
const children: ChildProcess[] = [];

async function serve(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HRNG_LOG_LEVEL: 'warn' },
  });
  children.push(child);
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`hrng serve exited with ${code}`)));
    setTimeout(() => reject(new Error('hrng serve printed no URL in 60 s')), 60_000).unref();
  });
  return { url: line, child };
}

beforeAll(() => {
  if (!existsSync(bin)) execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  writeFileSync(join(dir, 'tokens'), 'ci:integration-token-0123456789\n', { mode: 0o600 });
}, 120_000);

afterAll(() => {
  for (const c of children) if (c.pid !== undefined && c.exitCode === null) process.kill(c.pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
  });
}

describe('hrng serve (real process, loopback)', () => {
  it('prints the URL first, serves both ANU shapes and /v1 to fetch, and exits 0 on SIGTERM', async () => {
    const { url, child } = await serve(['--tokens', join(dir, 'tokens')]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const key = { 'x-api-key': 'integration-token-0123456789' };
    const legacy = (await (await fetch(`${url}API/jsonI.php?length=8&type=hex16&size=4`, { headers: key })).json()) as {
      type: string;
      length: number;
      data: string[];
      success: boolean;
    };
    expect([legacy.type, legacy.length, legacy.success, legacy.data.length, legacy.data.every((d) => /^[0-9a-f]{8}$/.test(d))]).toEqual([
      'hex16',
      8,
      true,
      8,
      true,
    ]);
    const current = (await (await fetch(`${url}?length=4&type=hex16&size=3`, { headers: key })).json()) as {
      length: string;
      data: string[];
    };
    expect([current.length, current.data.every((d) => /^[0-9a-f]{12}$/.test(d))]).toEqual(['4', true]);
    expect((await fetch(`${url}?length=4&type=uint8`)).status).toBe(403);
    const health = await fetch(`${url}health`);
    expect(health.status).toBe(200);
    expect(await stop(child)).toBe(0);
  });

  it('HTTPS with --cert/--key: a client trusting that certificate gets bytes', async () => {
    const { url, child } = await serve(['--cert', join(dir, 'cert.pem'), '--key', join(dir, 'key.pem')]);
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const { readFileSync } = await import('node:fs');
    const body = await new Promise<string>((resolve, reject) => {
      get(`${url}v1/random?bytes=24&format=base64`, { ca: readFileSync(join(dir, 'cert.pem')) }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      }).on('error', reject);
    });
    expect(Buffer.from(body.trim(), 'base64')).toHaveLength(24);
    expect(await stop(child)).toBe(0);
  });

  it('autocannon against the legacy ANU endpoint: zero errors and non-2xx, every response valid JSON', async () => {
    const { url, child } = await serve(['--rate', '1000000']);
    let bad = 0;
    let seen = 0;
    const result = await autocannon({
      url: `${url}API/jsonI.php?length=16&type=uint8`,
      connections: 8,
      amount: 400,
      setupClient: (client) => {
        client.on('body', (b: Buffer) => {
          seen++;
          const j = JSON.parse(b.toString()) as { success: boolean; data: number[] };
          if (!j.success || j.data.length !== 16) bad++;
        });
      },
    });
    expect([result.errors, result.timeouts, result.non2xx, bad, seen, result.requests.total]).toEqual([0, 0, 0, 0, 400, 400]);
    expect(await stop(child)).toBe(0);
  });
});
