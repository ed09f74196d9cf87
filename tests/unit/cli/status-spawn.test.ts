/**
 * The built binary, as an operator runs it (skipped when `npm run build` has not produced dist/).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const bin = 'dist/cli/hrng.js';
const built = existsSync(bin) && existsSync('dist/cli/commands/status.js');

describe.skipIf(!built)('hrng binary', () => {
  it('status --json exits 0 with one source entry per built-in source', () => {
    const r = spawnSync(process.execPath, [bin, 'status', '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { sources: { id: string }[] };
    expect(report.sources.map((s) => s.id)).toEqual(['os', 'rdseed', 'rdrand', 'jitter', 'auxiliary']);
  });

  it('stream into a pipe whose reader exits early ends with status 0 and nothing on stderr', async () => {
    const child = spawn(process.execPath, [bin, 'stream'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let got = 0;
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (c: Buffer) => {
        got += c.length;
        if (got >= 300_000) child.stdout.destroy();
      });
      child.on('close', (c) => resolve(c));
    });
    expect(got).toBeGreaterThanOrEqual(300_000);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
