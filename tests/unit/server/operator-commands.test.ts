/**
 * The operator's commands in-process: scan, bench, pool, monitor --once (the snapshot a pipe gets),
 * device's refusal of a non-FIFO path, and the monitor's screen as a pure function.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderMonitor } from '../../../cli/commands/monitor.js';
import { Rng } from '../../../crypto/index.js';
import { hrng } from '../cli/run-helper.js';
import { switchable } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'hrng-ops-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('operator commands', () => {
  it('scan lists every built-in source with usability, and the openable ones', async () => {
    const r = await hrng(['scan', '--json']);
    const j = JSON.parse(r.stdout.toString()) as { sources: { id: string; usable: boolean; kind: string }[]; openable: { id: string }[] };
    expect(r.code).toBe(0);
    expect(j.sources.map((s) => s.id)).toEqual(['os', 'rdseed', 'rdrand', 'jitter', 'auxiliary']);
    expect(j.sources.find((s) => s.id === 'os')).toMatchObject({ usable: true, kind: 'conditioned' });
    expect(j.openable.map((o) => o.id)).toEqual(['pkcs11']);
  });

  it('bench ranks sources by credited bits/s and measures the generator', async () => {
    const r = await hrng(['bench', '--ms', '20', '--json']);
    const j = JSON.parse(r.stdout.toString()) as {
      sources: { id: string; creditedBitsPerSecond: number; bytesPerSecond: number }[];
      rng: { bytesPerSecond: number };
    };
    expect(r.code).toBe(0);
    const credited = j.sources.map((s) => s.creditedBitsPerSecond);
    expect([...credited].sort((a, b) => b - a)).toEqual(credited);
    expect(j.sources.every((s) => s.bytesPerSecond > 0)).toBe(true);
    expect(j.rng.bytesPerSecond).toBeGreaterThan(0);
    expect(r.stderr).not.toContain('['); // no progress bar when stderr is not a terminal
  });

  it('pool shows the claim, the seed’s sources and credits, and the distance to the next reseed', async () => {
    const r = await hrng(['pool', '--json']);
    const j = JSON.parse(r.stdout.toString()) as {
      policy: { minCreditedBits: number };
      seed: { claimedBits: number; contributions: { id: string }[] };
      untilReseed: { requests: number };
    };
    expect(j.policy.minCreditedBits).toBe(384);
    expect(j.seed.claimedBits).toBe(384);
    expect(j.seed.contributions.map((c) => c.id)).toContain('os');
    expect(j.untilReseed.requests).toBe(65536);
  });

  it('monitor --once prints a plain snapshot (no escape codes)', async () => {
    const r = await hrng(['monitor', '--once']);
    const text = r.stdout.toString();
    expect(text).toMatch(/^hrng monitor — state healthy/);
    expect(text).toMatch(/^os\s+conditioned\s+healthy\s+passed/m);
    expect(text).not.toContain('\x1b');
  });

  it('renderMonitor: read rates from the previous report, colours only with ANSI', async () => {
    const rng = await Rng.create({ sources: [switchable('a'), switchable('b')] });
    const before = rng.health();
    rng.reseed();
    const after = rng.health();
    const screen = renderMonitor(after, before, 2, true);
    expect(screen).toContain('\x1b[32mhealthy\x1b[0m');
    expect(screen).toMatch(/reseeds 1;/);
    const a = after.sources.find((s) => s.id === 'a');
    const b = before.sources.find((s) => s.id === 'a');
    expect(screen).toContain(`${((a?.bytesRead ?? 0) - (b?.bytesRead ?? 0)) / 2} B/s`);
    rng.destroy();
  });

  it('device refuses a PATH that exists and is not a FIFO', async () => {
    const f = join(dir, 'regular');
    writeFileSync(f, 'x');
    const r = await hrng(['device', f]);
    expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/DEVICE_NOT_FIFO/)]);
  });
});
