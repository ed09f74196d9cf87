/**
 * Crash safety of the double-sign guard: a signer process is SIGKILLed at every durable step of a
 * signing (write-ahead intent: slot written, synced; signature computed; record: slot written, synced;
 * signature recorded but not yet released), and at every step of a key's first intent (the state file
 * created whole: temp written, fsynced, linked, directory fsynced). After every restart a conflicting
 * payload at the same height/round/step is refused, and across all runs no two conflicting signatures
 * ever exist — counting every signature the signer computed, released or not. (A kill keeps the page
 * cache, so a slot written but not synced is seen by the restart; losing it is a power loss, the torn-slot
 * cases of tests/unit/guard/slot-file.test.ts.)
 *
 * The child is plain node over the built dist/ (`npm test` builds before the unit project runs).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BEFORE_FIRST_INTENT, FIRST_INTENT_POINTS, GUARD_POINTS } from '../../helpers/guard-points.js';
import { guardStateJson } from '../../helpers/guard-state-file.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const child = fileURLToPath(new URL('./guard-crash-child.mjs', import.meta.url));
const SEED = '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb';

// The guard's own steps, then the child's last one: after signing, before releasing the key's lock.
const POINTS = [...GUARD_POINTS, 'before-release'] as const;

interface Outcome {
  killed: boolean;
  ok?: boolean;
  code?: string;
  signature?: string;
}

let work: string;

beforeAll(() => {
  if (!existsSync(join(root, 'dist/consensus/index.js')) || !existsSync(join(root, 'dist/consensus/guard/signing-guard.js'))) {
    throw new Error('dist/ is missing the guard: run `npm run build` first (npm test does)');
  }
  work = mkdtempSync(join(tmpdir(), 'hrng-guard-crash-'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function runSigner(dir: string, log: string, height: number, payload: string, crashAt = ''): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const env = {
      ...process.env,
      GUARD_DIR: dir,
      SIGNATURE_LOG: log,
      SEED_HEX: SEED,
      HEIGHT: String(height),
      ROUND: '0',
      STEP: '1',
      PAYLOAD: payload,
      CRASH_AT: crashAt,
    };
    execFile(process.execPath, [child], { env, encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) => {
      const signal = (err as { signal?: string } | null)?.signal;
      if (signal === 'SIGKILL') return resolve({ killed: true });
      if (err) return reject(new Error(`child failed: ${err.message} ${stderr}`));
      resolve({ killed: false, ...(JSON.parse(stdout.trim()) as Omit<Outcome, 'killed'>) });
    });
  });
}

/** Every signature that exists, from the fsynced log: position → set of payloads. */
function conflicts(log: string): string[] {
  if (!existsSync(log)) return [];
  const byPos = new Map<string, Set<string>>();
  for (const line of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
    const e = JSON.parse(line) as { height: number; round: number; step: number; payload: string };
    const key = `${e.height}/${e.round}/${e.step}`;
    byPos.set(key, (byPos.get(key) ?? new Set()).add(e.payload));
  }
  return [...byPos].filter(([, p]) => p.size > 1).map(([k, p]) => `${k}: ${[...p].join(', ')}`);
}

// The points run concurrently (each in its own directory); the steps within one point run in order.
describe.concurrent('guard crash safety (SIGKILL at every step)', () => {
  it.each(POINTS)('killed at %s: restarts refuse the conflicting payload; no conflicting signatures exist', async (point) => {
    const dir = join(work, point.replace(':', '-'));
    const log = join(work, `${point.replace(':', '-')}.log`);
    writeFileSync(log, '');
    // The key's state file exists (its first signing is FIRST_INTENT_POINTS' case, below).
    expect(await runSigner(dir, log, 1, 'A')).toMatchObject({ killed: false, ok: true });

    expect((await runSigner(dir, log, 2, 'A', point)).killed).toBe(true);
    // From the slot write on, the intent is what a restart reads: only A is signed at 2.
    expect(await runSigner(dir, log, 2, 'B')).toMatchObject({ killed: false, ok: false, code: 'GUARD_DOUBLE_SIGN' });
    expect(await runSigner(dir, log, 2, 'A')).toMatchObject({ killed: false, ok: true });
    // A second crash on the next height, then a regression attempt and a conflict there.
    expect((await runSigner(dir, log, 3, 'C', point)).killed).toBe(true);
    expect(await runSigner(dir, log, 2, 'Z')).toMatchObject({ ok: false, code: 'GUARD_REGRESSION' });
    expect(await runSigner(dir, log, 3, 'D')).toMatchObject({ ok: false, code: 'GUARD_DOUBLE_SIGN' });
    expect(await runSigner(dir, log, 3, 'C')).toMatchObject({ ok: true });
    expect(conflicts(log)).toEqual([]);
  });

  it.each(FIRST_INTENT_POINTS)('killed at %s of a key’s first intent: the restart sees no state or the whole intent', async (point) => {
    const dir = join(work, `first-${point.replace(':', '-')}`);
    const log = join(work, `first-${point.replace(':', '-')}.log`);
    writeFileSync(log, '');

    expect((await runSigner(dir, log, 1, 'A', point)).killed).toBe(true);
    const conflicting = await runSigner(dir, log, 1, 'B');
    const identical = await runSigner(dir, log, 1, 'A');
    if (BEFORE_FIRST_INTENT.has(point)) {
      // Nothing was signed and nothing is remembered: B is the first payload at this position.
      expect(readFileSync(log, 'utf8').includes('"payload":"A"')).toBe(false);
      expect(conflicting).toMatchObject({ killed: false, ok: true });
      expect(identical).toMatchObject({ killed: false, ok: false, code: 'GUARD_DOUBLE_SIGN' });
    } else {
      expect(conflicting).toMatchObject({ killed: false, ok: false, code: 'GUARD_DOUBLE_SIGN' });
      expect(identical).toMatchObject({ killed: false, ok: true });
    }
    // The crashed writer's temp file is gone (removed by the next holder of the key's lock).
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(conflicts(log)).toEqual([]);
  });

  it('four processes racing for one position with two payloads: one payload is signed, never both', async () => {
    const dir = join(work, 'race');
    const log = join(work, 'race.log');
    writeFileSync(log, '');
    const runs = await Promise.all(['A', 'B', 'A', 'B'].map((p) => runSigner(dir, log, 3, p)));
    const signed = runs.filter((r) => r.ok === true);
    expect(signed.length).toBeGreaterThanOrEqual(1);
    // The losers were refused (a conflict) or found the key locked by a live signer: fail closed.
    expect(runs.filter((r) => r.ok !== true).every((r) => r.code === 'GUARD_DOUBLE_SIGN' || r.code === 'GUARD_LOCKED')).toBe(true);
    expect(new Set(signed.map((r) => r.signature)).size).toBe(1);
    expect(conflicts(log)).toEqual([]);
  });

  it('the signature released after a crash-and-restart is the one recorded (identical re-sign)', async () => {
    const dir = join(work, 'release');
    const log = join(work, 'release.log');
    writeFileSync(log, '');
    expect((await runSigner(dir, log, 5, 'V', 'before-release')).killed).toBe(true);
    const again = await runSigner(dir, log, 5, 'V');
    expect(again.ok).toBe(true);
    const [stateFile, ...rest] = readdirSync(dir).filter((n) => n.endsWith('.state') || n.endsWith('.json'));
    expect(rest).toEqual([]);
    const state = guardStateJson(dir, (stateFile ?? 'missing').replace(/\.state$/, ''));
    expect(again.signature).toBe(state.lastSigned.signature);
    expect(conflicts(log)).toEqual([]);
  });
});
