/**
 * The gate on a busy machine: with a CPU burner on every core (processes started here and stopped by
 * pid, on success and failure), a planted early-exit leak is still caught — conclusively, or as a
 * signal far above the negative control's noise — and ct.isZero still passes. Each campaign has its own
 * 60 s budget (repeats stop there), so the file stays within about 2 minutes even on a saturated machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatePasses } from './dudect/decision.js';
import { describeResult, runCampaign } from './dudect/report.js';
import { findSpec, plantedLeak32 } from './targets/index.js';

const burners: ChildProcess[] = [];
const BURNER =
  'const parent = process.ppid, end = Date.now() + 600000; for (let i = 0; ; i++) if ((i & 0xfffff) === 0 && (process.ppid !== parent || Date.now() > end)) process.exit(0);';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(() => {
  for (let i = 0; i < Math.max(2, cpus().length); i++) {
    // Stopped by pid in afterAll; should this process die first, the burner notices its parent gone
    // (or 10 minutes passed) and exits on its own.
    const b = spawn(process.execPath, ['-e', BURNER], { stdio: 'ignore' });
    burners.push(b);
  }
  for (const b of burners) expect(typeof b.pid).toBe('number');
});

afterAll(async () => {
  for (const b of burners) if (b.pid !== undefined && b.exitCode === null) process.kill(b.pid, 'SIGKILL');
  await Promise.all(burners.map((b) => (b.exitCode !== null || b.signalCode !== null ? undefined : new Promise((r) => b.once('exit', r)))));
  for (const b of burners) expect(alive(b.pid as number)).toBe(false);
});

describe('dudect gate with every core busy (CPU burners started and stopped by pid)', () => {
  it('the burners are running', () => {
    expect(burners.length).toBeGreaterThanOrEqual(2);
    for (const b of burners) expect(alive(b.pid as number)).toBe(true);
  });

  it('still catches a planted early-exit leak on 32 bytes', async () => {
    const r = await runCampaign(plantedLeak32, { deadline: performance.now() + 60_000 });
    console.log(describeResult(r));
    expect(gatePasses(r.verdict), describeResult(r)).toBe(false);
    expect(['leak', 'inconclusive-fail']).toContain(r.verdict);
    for (const run of r.runs) if (run.class !== 'noisy') expect(run.positive.maxAbsT).toBeGreaterThan(10);
    // A leak this size is never mistaken for noise: every run shows it above twice the negative control.
    for (const run of r.runs) expect(run.target.maxAbsT).toBeGreaterThan(2 * run.negative.maxAbsT);
  });

  it('passes ct.isZero in the same situation', async () => {
    const spec = findSpec('ct.isZero');
    expect(spec?.file).toBe('crypto/ct/is-zero.ts');
    const r = await runCampaign(spec as NonNullable<typeof spec>, { deadline: performance.now() + 60_000 });
    (r.verdict.startsWith('inconclusive') ? console.warn : console.log)(describeResult(r));
    expect(gatePasses(r.verdict), describeResult(r)).toBe(true);
    for (const run of r.runs) if (run.class !== 'noisy') expect(run.positive.maxAbsT).toBeGreaterThan(10);
  });
});
