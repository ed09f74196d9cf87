/**
 * The per-key lock under contention for a stale lock (its owner crashed). Three contenders are
 * interleaved by pausing file-system calls: B reads the stale owner, A takes the lock over, then B
 * resumes. B must never remove A's fresh lock — if it did, even for a moment, C could take the lock
 * while A holds it, and A and C would both run the read-check-write of one key's history.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rejectionCode } from '../../helpers/thrown.js';

type Hook = (name: string, path: string) => Promise<void> | void;
const fsHooks: { hook: Hook | undefined } = vi.hoisted(() => ({ hook: undefined }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const orig = await importOriginal<typeof import('node:fs/promises')>();
  const wrap =
    <A extends unknown[], R>(name: string, fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      const r = await fn(...a);
      await fsHooks.hook?.(name, String(a[0]));
      return r;
    };
  return {
    ...orig,
    default: orig,
    readFile: wrap('readFile', orig.readFile),
    rename: wrap('rename', orig.rename),
    unlink: wrap('unlink', orig.unlink),
  };
});

const { acquireLock, acquireLock: acquireLockBare } = await import('../../../consensus/guard/guard-lock.js');
const { unavailableFileLocker } = await import('../../../crypto/fs/index.js');
const noOsLock = unavailableFileLocker('test: owner records only');
const { currentOwner, encodeOwner } = await import('../../../consensus/guard/lock-owner.js');

/** A lock record as a process of this boot and pid namespace writes it, with another pid. */
const recordOf = (pid: number, over: Record<string, string> = {}): string =>
  encodeOwner({ ...currentOwner(), pid, startTime: '', ...over });

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

function gate(): { wait: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

const outcome = (p: Promise<unknown>): Promise<string> => rejectionCode(p, 'acquired');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hrng-guard-lock-'));
});
afterEach(() => {
  fsHooks.hook = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('guard lock: taking over a stale lock', () => {
  it('a contender that saw the stale owner never removes the lock another contender took over', async () => {
    // The owner records alone: in one process the OS lock would keep A out while B holds it, and this
    // race is what the records must survive where there is no OS lock (no helper, NFS without lockd).
    const acquireLock = (p: string) => acquireLockBare(p, { locker: noOsLock });
    const path = join(dir, 'k.lock');
    writeFileSync(path, recordOf(deadPid()));
    const bRead = gate();
    const bResume = gate();
    const bMoved = gate();
    const bHold = gate();
    let paused = false;
    let bMovedIt = false;
    let aHolds = false;
    fsHooks.hook = async (name, p) => {
      // B's first read of the lock: it has seen the dead owner. Hold B there until A has taken over.
      if (!paused && name === 'readFile' && p === path) {
        paused = true;
        bRead.open();
        await bResume.wait;
        return;
      }
      // B moved A's fresh lock away (the old takeover): hold B in that window.
      if (aHolds && name === 'rename' && p === path && !bMovedIt) {
        bMovedIt = true;
        bMoved.open();
        await bHold.wait;
      }
    };
    const b = outcome(acquireLock(path));
    await bRead.wait;
    const releaseA = await acquireLock(path); // A takes the stale lock over while B is paused
    aHolds = true;
    bResume.open();
    const bDone = b.then((r) => {
      bMoved.open();
      return r;
    });
    await bMoved.wait;
    // Whatever B is doing now, A holds the lock: C must be refused.
    const c = await outcome(acquireLock(path));
    bHold.open();
    expect([c, await bDone]).toEqual(['GUARD_LOCKED', 'GUARD_LOCKED']);
    expect(bMovedIt).toBe(false);
    expect(existsSync(path)).toBe(true);
    await releaseA();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses while another process holds the takeover lock, and takes a stale lock over otherwise', async () => {
    const path = join(dir, 'k.lock');
    writeFileSync(path, recordOf(deadPid()));
    writeFileSync(`${path}.break`, recordOf(process.ppid));
    expect(await outcome(acquireLock(path))).toBe('GUARD_LOCKED');
    rmSync(`${path}.break`);
    const release = await acquireLock(path);
    expect(readdirSync(dir).sort()).toEqual(['k.lock', 'k.lock.os']); // the record and, while held, the OS lock file
    await release();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('guard lock: a live owner never looks dead (hole 2)', () => {
  it('a lock from another pid namespace or another boot is refused even when its pid is not running here', async () => {
    const path = join(dir, 'k.lock');
    const dead = deadPid();
    // Before the fix the lock held a bare pid, and "kill(pid, 0) fails" meant stale: a live signer in
    // another container (another pid namespace) looked dead and its lock was taken over.
    for (const over of [{ pidNamespace: 'pid:[1]' }, { bootId: '00000000-0000-0000-0000-000000000000', host: 'other-host' }]) {
      writeFileSync(path, recordOf(dead, over));
      const e = await acquireLock(path).then(
        () => 'acquired',
        (err: { code?: string; message: string }) => `${err.code}: ${err.message}`,
      );
      expect(e).toMatch(/^GUARD_LOCKED: .*(another pid namespace|another boot or host).*take the lock over explicitly/);
      expect(existsSync(path)).toBe(true);
      // The operator says that signer is gone: the lock is taken over, under the breaker.
      const release = await acquireLock(path, { takeOverForeign: true });
      expect(readdirSync(dir).sort()).toEqual(['k.lock', 'k.lock.os']); // the record and, while held, the OS lock file
      await release();
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('a lock naming no owner in the record format, or a live owner, or a reused pid', async () => {
    const path = join(dir, 'k.lock');
    writeFileSync(path, `${deadPid()}\n`);
    expect(await outcome(acquireLock(path))).toBe('GUARD_LOCKED');
    writeFileSync(path, recordOf(process.ppid));
    expect(await outcome(acquireLock(path))).toBe('GUARD_LOCKED');
    // A live pid whose start time is not the recorded one is another process: the owner is dead.
    writeFileSync(path, recordOf(process.ppid, { startTime: '1' }));
    const release = await acquireLock(path);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    // Releasing removes only our own lock: one an operator replaced stays.
    writeFileSync(path, recordOf(process.ppid));
    await release();
    expect(existsSync(path)).toBe(true);
  });
});
