/**
 * The OS advisory lock under the guard lock (crypto/native/file-lock.ts, consensus/guard/guard-lock.ts),
 * in one process: the native call's answers (held, busy, errno), the guard's refusal when another open
 * file description holds it, and the owner-record-only fallback where the helper is not built, which
 * must say so. Across real processes and kill -9: tests/integration/signer/guard-os-lock.test.ts.
 */
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLockDetailed } from '../../../consensus/guard/guard-lock.js';
import { currentOwner, encodeOwner } from '../../../consensus/guard/lock-owner.js';
import { FileGuardStore } from '../../../consensus/index.js';
import { fileLocker, unavailableFileLocker } from '../../../crypto/fs/index.js';
import { rejectionCode } from '../../helpers/thrown.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hrng-os-lock-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A record naming a pid that is not running in this boot and namespace: what a crash leaves. */
const staleRecord = (): string => encodeOwner({ ...currentOwner(), pid: 2 ** 22 + 17, startTime: '' });

describe('the native OS lock', () => {
  it('is built here, so the guard is protected by it (the suite builds the helper)', () => {
    expect(fileLocker().available).toBe(true);
  });

  it('holds against a second open file description, reports errnos, and is free again once released', () => {
    const l = fileLocker();
    const path = join(dir, 'f');
    writeFileSync(path, '');
    const a = openSync(path, 'r+');
    const b = openSync(path, 'r+');
    try {
      expect(l.tryLock(a)).toEqual({ locked: true, mechanism: 'ofd' });
      // The same description may ask again (OFD locks are per description, not per process).
      expect(l.tryLock(a)).toEqual({ locked: true, mechanism: 'ofd' });
      expect(l.tryLock(b)).toEqual({ locked: false, busy: true });
      expect(l.unlock(a, 'ofd')).toBe(undefined);
      expect(l.tryLock(b)).toEqual({ locked: true, mechanism: 'ofd' });
      expect(l.tryLock(a)).toEqual({ locked: false, busy: true });
      // Closing the holder's descriptor releases the lock: no unlock needed after a crash.
      closeSync(b);
      expect(l.tryLock(a)).toEqual({ locked: true, mechanism: 'ofd' });
    } finally {
      closeSync(a);
    }
    expect(l.tryLock(a)).toEqual({ locked: false, busy: false, error: 'EBADF' });
    expect(l.tryLock(-1)).toEqual({ locked: false, busy: false, error: 'EBADF' });
    expect(l.tryLock(1.5)).toEqual({ locked: false, busy: false, error: 'EBADF' });
  });
});

describe('the guard lock with the OS lock', () => {
  it('refuses while another holder has the OS lock, even when the owner record is forged to look stale', async () => {
    const path = join(dir, 'k.lock');
    const first = await acquireLockDetailed(path);
    expect(first.status).toEqual({ osLock: 'ofd' });
    writeFileSync(path, staleRecord());
    const e = await acquireLockDetailed(path).then(
      () => 'acquired',
      (err: Error & { code?: string }) => `${err.code}: ${err.message}`,
    );
    expect(e).toMatch(/^GUARD_LOCKED: .*a live process holds its OS lock .*k\.lock\.os; its record names pid 4194321/);
    // Mutation check: without the OS lock the forged record would have let the second in.
    const bare = await acquireLockDetailed(path, { locker: unavailableFileLocker('test') });
    expect(bare.status).toEqual({ osLock: 'unavailable', reason: 'test' });
    await bare.release();
    await first.release();
    const again = await acquireLockDetailed(path);
    expect(again.status).toEqual({ osLock: 'ofd' });
    await again.release();
  });

  it('a failed record step releases the OS lock it took, and a release leaves only what was there', async () => {
    const path = join(dir, 'k.lock');
    writeFileSync(path, encodeOwner({ ...currentOwner(), pidNamespace: 'pid:[1]' }));
    expect(await rejectionCode(acquireLockDetailed(path), 'acquired')).toBe('GUARD_LOCKED');
    // The holder removes the OS lock file before unlocking it (guard-lock.ts takeOsLock).
    expect(readdirSync(dir)).toEqual(['k.lock']);
    rmSync(path);
    const held = await acquireLockDetailed(path);
    expect(readdirSync(dir).sort()).toEqual(['k.lock', 'k.lock.os']);
    await held.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a contender that locked a removed OS lock file does not count it: the name is what is locked', async () => {
    // As if a contender had opened k.lock.os just before its holder removed it, and locked it after.
    const path = join(dir, 'k.lock');
    const held = await acquireLockDetailed(path);
    const stale = openSync(`${path}.os`, 'r+');
    await held.release();
    const l = fileLocker();
    try {
      expect(l.tryLock(stale)).toEqual({ locked: true, mechanism: 'ofd' });
      // The stale file is locked by us, yet the next taker gets the lock: it is a new file at the name.
      const next = await acquireLockDetailed(path);
      expect(next.status).toEqual({ osLock: 'ofd' });
      await next.release();
    } finally {
      closeSync(stale);
    }
  });

  it('without the helper: owner records only, and the status and refusals say so', async () => {
    const path = join(dir, 'k.lock');
    const locker = unavailableFileLocker('native helper not built (test)');
    writeFileSync(path, encodeOwner({ ...currentOwner(), pid: 1, startTime: '' }));
    const e = await acquireLockDetailed(path, { locker }).then(
      () => 'acquired',
      (err: Error & { code?: string }) => `${err.code}: ${err.message}`,
    );
    expect(e).toMatch(/^GUARD_LOCKED: .*by running process 1\); no OS lock here \(native helper not built \(test\)\)$/);
    const store = await FileGuardStore.open(dir, { locker });
    expect(store.lockStatus()).toEqual({ osLock: 'unavailable', reason: 'native helper not built (test)' });
    const native = await FileGuardStore.open(dir);
    expect(native.lockStatus()).toEqual({ osLock: 'available' });
    expect(await native.withKey('other', async () => 7)).toBe(7);
    expect(native.lockStatus()).toEqual({ osLock: 'ofd' });
  });
});
