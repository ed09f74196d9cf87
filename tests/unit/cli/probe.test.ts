import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hrng } from './run-helper.js';

describe('hrng probe', () => {
  it('writes N raw jitter samples, one byte each, atomically, and reports their digest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hrng-probe-'));
    const out = join(dir, 'jitter.bin');
    const r = await hrng(['probe', 'jitter', '--samples', '100000', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const data = readFileSync(out);
    expect(data).toHaveLength(100000);
    const report = JSON.parse(r.stdout.toString()) as Record<string, unknown>;
    expect(report).toMatchObject({
      source: 'jitter',
      samples: 100000,
      bitsPerSample: 8,
      out,
      sha256: createHash('sha256').update(data).digest('hex'),
    });
    expect(typeof report['creditBitsPerSample']).toBe('number');
    expect(readdirSync(dir)).toEqual(['jitter.bin']); // no temporary file left behind
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const text = await hrng(['probe', 'jitter', '--samples', '10', '--out', out]);
    expect(text.stdout.toString()).toContain(`assess with: ea_non_iid -v ${out} 8`);
  });

  it('refuses conditioned sources, saying why (exit 2)', async () => {
    const r = await hrng(['probe', 'os', '--samples', '10', '--out', join(tmpdir(), 'never')]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(/source 'os' is conditioned: probe collects raw noise samples/);
  });

  it('leaves nothing behind when the target directory does not exist (exit 1)', async () => {
    const r = await hrng(['probe', 'jitter', '--samples', '10', '--out', '/nonexistent-dir/x.bin']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ENOENT/);
  });

  it.each([
    [['probe'], /expected one SOURCE/],
    [['probe', 'jitter', '--out', 'x'], /--samples must be a whole number/],
    [['probe', 'jitter', '--samples', '0', '--out', 'x'], /--samples must be from 1/],
    [['probe', 'jitter', '--samples', '5'], /--out FILE is required/],
    [['probe', 'nope', '--samples', '5', '--out', 'x'], /unknown source 'nope'/],
  ])('%j exits 2', async (argv, message) => {
    const r = await hrng(argv);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(message);
  });
});

describe('hrng probe jitter --restarts (SP 800-90B §3.1.4)', () => {
  it('writes the row dataset (row per restart) and reports the restart sanity check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hrng-probe-restart-'));
    const out = join(dir, 'restart.bin');
    const r = await hrng(['probe', 'jitter', '--restarts', '20', '--samples', '50', '--out', out, '--h-initial', '0.5', '--json']);
    const data = readFileSync(out);
    expect(data).toHaveLength(1000);
    const report = JSON.parse(r.stdout.toString()) as {
      restarts: number;
      samples: number;
      sha256: string;
      restartSanityCheck: Record<string, unknown>;
    };
    expect(report).toMatchObject({ restarts: 20, samples: 50, sha256: createHash('sha256').update(data).digest('hex') });
    expect(report.restartSanityCheck).toMatchObject({ rows: 20, columns: 50, hInitial: 0.5 });
    expect(r.code).toBe(report.restartSanityCheck['passed'] === true ? 0 : 1);
    expect(readdirSync(dir)).toEqual(['restart.bin']);
    const text = await hrng(['probe', 'jitter', '--restarts', '3', '--samples', '4', '--out', out]);
    expect(text.stdout.toString()).toMatch(/restart sanity check (passed|FAILED): H_I 1,/);
    expect(text.stdout.toString()).toContain(`ea_restart -v ${out} 8 1`);
  });

  it.each([
    [['probe', 'jitter', '--restarts', '1', '--samples', '5', '--out', 'x'], /--restarts must be from 2/],
    [
      ['probe', 'jitter', '--restarts', '5', '--samples', '5', '--out', 'x', '--h-initial', '9'],
      /--h-initial must be a number from 0 to 8/,
    ],
    [['probe', 'auxiliary', '--restarts', '5', '--samples', '5', '--out', 'x'], /conditioned/],
  ])('%j exits 2', async (argv, message) => {
    const r = await hrng(argv);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(message);
  });
});
