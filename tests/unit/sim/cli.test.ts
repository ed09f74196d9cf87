import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hrng } from '../cli/run-helper.js';

const dir = mkdtempSync(join(tmpdir(), 'hrng-sim-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hrng sim', () => {
  it('runs a campaign and prints the summary table', async () => {
    const r = await hrng(['sim', '--scenario', 'fork-attack-two-chain', '--scenario', 'entropy-biased', '--seeds', '2']);
    expect(r.code).toBe(0);
    const out = r.stdout.toString();
    expect(out).toMatch(/fork-attack-two-chain\s+2\s+0/);
    expect(out).toMatch(/entropy-biased\s+2\s+0/);
    expect(out).toContain('runs 4, passed 4, failed 0');
    expect(out).toContain('entropy:raw:biased');
  });

  it('shards, merges, and prints each failure with its replay command; replay reproduces the hash', async () => {
    const files: string[] = [];
    for (const shard of ['0/2', '1/2']) {
      const file = join(dir, `shard-${shard.replace('/', '-')}.json`);
      const r = await hrng([
        'sim',
        '--scenario',
        'censorship',
        '--seeds',
        '2',
        '--shard',
        shard,
        '--mutation',
        'honest-censor',
        '--json',
        '--out',
        file,
      ]);
      expect(r.code).toBe(1);
      files.push(file);
    }
    const m = await hrng(['sim', 'merge', ...files, '--json']);
    expect(m.code).toBe(1);
    const merged = JSON.parse(m.stdout.toString()) as { runs: number; failures: { seed: number; traceHash: string; document: unknown }[] };
    expect(merged.runs).toBe(2);
    expect(merged.failures.map((f) => f.seed)).toEqual([1, 2]);
    const failure = merged.failures[0] as { seed: number; traceHash: string };
    const text = await hrng(['sim', 'merge', ...files]);
    expect(text.stdout.toString()).toContain(
      `hrng sim replay --seed 1 --scenario censorship --mutation honest-censor --expect-hash ${failure.traceHash}`,
    );
    const docFile = join(dir, 'failure.json');
    writeFileSync(docFile, JSON.stringify(merged.failures[0]));
    const again = await hrng([
      'sim',
      'replay',
      '--seed',
      '1',
      '--scenario',
      docFile,
      '--mutation',
      'honest-censor',
      '--expect-hash',
      failure.traceHash,
      '--json',
    ]);
    expect(again.code).toBe(0);
    const rep = JSON.parse(again.stdout.toString()) as { reproduced: boolean; traceHash: string; pass: boolean };
    expect(rep).toMatchObject({ reproduced: true, traceHash: failure.traceHash, pass: false });
    const wrong = await hrng([
      'sim',
      'replay',
      '--seed',
      '1',
      '--scenario',
      'censorship',
      '--mutation',
      'honest-censor',
      '--expect-hash',
      '0000000000000000',
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout.toString()).toContain('did not reproduce');
  });

  it('shrinks a failure to a smaller scenario document', async () => {
    const r = await hrng(['sim', 'shrink', '--seed', '1', '--scenario', 'crash-restart', '--mutation', 'guard-no-fsync', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout.toString()) as { steps: string[]; document: { crashes?: unknown[]; durationMs: number } };
    expect(doc.document.crashes?.length).toBe(1);
    expect(doc.document.durationMs).toBeLessThanOrEqual(1500);
  });

  it('refuses bad arguments with status 2', async () => {
    expect((await hrng(['sim', '--scenario', 'nope', '--seeds', '1'])).code).toBe(2);
    expect((await hrng(['sim', '--mutation', 'nope'])).code).toBe(2);
    expect((await hrng(['sim', '--shard', '3/2'])).code).toBe(2);
    expect((await hrng(['sim', 'replay', '--seed', '1'])).code).toBe(2);
  });

  it('lists scenarios and mutations', async () => {
    const r = await hrng(['sim', 'list', '--json']);
    const doc = JSON.parse(r.stdout.toString()) as { scenarios: { name: string }[]; mutations: Record<string, string> };
    expect(doc.scenarios.map((s) => s.name)).toContain('twins-split-state');
    expect(Object.keys(doc.mutations).length).toBeGreaterThanOrEqual(12);
  });
});

const bin = 'dist/cli/hrng.js';
describe.skipIf(!existsSync(bin) || !existsSync('dist/consensus/faults/campaign-worker.js'))('hrng sim --workers (built binary)', () => {
  it('spreads a campaign over worker threads with the same results as one thread', () => {
    const one = join(dir, 'one.json');
    const two = join(dir, 'two.json');
    const args = ['sim', '--scenario', 'fork-attack-forged', '--seeds', '3', '--json'];
    expect(spawnSync(process.execPath, [bin, ...args, '--out', one], { encoding: 'utf8' }).status).toBe(0);
    expect(spawnSync(process.execPath, [bin, ...args, '--workers', '2', '--out', two], { encoding: 'utf8' }).status).toBe(0);
    const a = JSON.parse(readFileSync(one, 'utf8')) as { runs: number; events: number };
    const b = JSON.parse(readFileSync(two, 'utf8')) as { runs: number; events: number };
    expect(b.runs).toBe(3);
    expect(b.events).toBe(a.events);
  });
});
