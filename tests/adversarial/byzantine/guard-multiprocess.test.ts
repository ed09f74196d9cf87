/**
 * The file guard under concurrent signer processes sharing one directory, some in pid namespaces of
 * their own (`unshare --pid --fork`: a second container on a shared volume). Every process asks for a
 * conflicting payload at the same position; across the campaign at most one payload per position is
 * ever signed, counting every signature computed (the fsynced log), and a live signer in another pid
 * namespace keeps its lock: before the fix its pid looked dead from here and the lock was taken over.
 *
 * Children are plain node over the built dist/ (`npm test` builds first).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { conflicts, signedPayloads, startChild } from './race-helpers.js';

const work = mkdtempSync(join(tmpdir(), 'hrng-guard-mp-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('file guard, many processes and pid namespaces', () => {
  it('six processes (three in their own pid namespaces), two payloads, three positions: one payload per position', async () => {
    const dir = join(work, 'campaign');
    const log = join(work, 'campaign.log');
    writeFileSync(log, '');
    for (let height = 1; height <= 3; height++) {
      const runs = await Promise.all(
        [0, 1, 2, 3, 4, 5].map(
          (i) =>
            startChild(
              { GUARD_DIR: dir, SIGNATURE_LOG: log, HEIGHT: String(height), PAYLOAD: i % 2 === 0 ? 'A' : 'B' },
              { namespace: i >= 3 },
            ).done,
        ),
      );
      expect(signedPayloads(log, height).length).toBeLessThanOrEqual(1);
      expect(runs.filter((r) => r.ok !== true && r.code !== 'GUARD_DOUBLE_SIGN' && r.code !== 'GUARD_LOCKED')).toEqual([]);
    }
    expect(conflicts(log)).toEqual([]);
  });

  it('a live signer in another pid namespace holding the lock is never taken over (hole 2)', async () => {
    const dir = join(work, 'ns-lock');
    const log = join(work, 'ns-lock.log');
    writeFileSync(log, '');
    // The holder sits between its durable intent and its signature. The rival runs in a pid namespace of
    // its own, where the holder's pid does not exist: kill(pid, 0) fails there, so the old lock took over.
    const holder = startChild({
      GUARD_DIR: dir,
      SIGNATURE_LOG: log,
      HEIGHT: '7',
      PAYLOAD: 'A',
      HOLD_AT: 'intent:dir-synced',
      HOLD_MS: '3000',
    });
    await new Promise((r) => setTimeout(r, 1200));
    const rival = await startChild({ GUARD_DIR: dir, SIGNATURE_LOG: log, HEIGHT: '8', PAYLOAD: 'B' }, { namespace: true }).done;
    expect(rival).toEqual({ ok: false, code: 'GUARD_LOCKED' });
    expect(await holder.done).toEqual({ ok: true });
    expect(signedPayloads(log, 8)).toEqual([]);
    // Once the holder is done, the lock is free again.
    expect(await startChild({ GUARD_DIR: dir, SIGNATURE_LOG: log, HEIGHT: '8', PAYLOAD: 'B' }).done).toEqual({ ok: true });
  });
});
