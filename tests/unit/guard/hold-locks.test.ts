/**
 * FileGuardStore's `holdLocks` (what `hrng signer` uses): a key's lock is taken at its first signing and
 * kept until close(), so a second store — another signer on the same directory — is refused between
 * signings too, and a signing does not redo the lock files. Without it (the default) the lock is per
 * signing and the second store gets in as soon as the first is done.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileGuardStore } from '../../../consensus/index.js';
import { rejectionCode } from '../../helpers/thrown.js';

const KEY = 'ab'.repeat(16);
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hrng-hold-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('FileGuardStore holdLocks', () => {
  it('keeps the lock between signings: a second store is refused until the first closes', async () => {
    const a = await FileGuardStore.open(dir, { holdLocks: true });
    const b = await FileGuardStore.open(dir);
    expect(await a.withKey(KEY, async () => 'signed')).toBe('signed');
    expect(existsSync(join(dir, `${KEY}.lock`))).toBe(true);
    expect(await rejectionCode(b.withKey(KEY, async () => 'second'))).toBe('GUARD_LOCKED');
    // The holder itself signs again without taking anything anew.
    expect(await a.withKey(KEY, async () => 'again')).toBe('again');
    await a.close();
    expect(existsSync(join(dir, `${KEY}.lock`))).toBe(false);
    expect(await b.withKey(KEY, async () => 'second')).toBe('second');
    await b.close();
  });

  it('control: without it the lock is per signing, and the second store gets in between signings', async () => {
    const a = await FileGuardStore.open(dir);
    const b = await FileGuardStore.open(dir);
    expect(await a.withKey(KEY, async () => 'signed')).toBe('signed');
    expect(existsSync(join(dir, `${KEY}.lock`))).toBe(false);
    expect(await b.withKey(KEY, async () => 'second')).toBe('second');
    await a.close();
    await b.close();
  });

  it('a failed signing keeps the held lock (the key is still this process’s) and close() releases it', async () => {
    const a = await FileGuardStore.open(dir, { holdLocks: true });
    expect(
      await rejectionCode(
        a.withKey(KEY, async () => {
          throw Object.assign(new Error('boom'), { code: 'X' });
        }),
      ),
    ).toBe('X');
    const b = await FileGuardStore.open(dir);
    expect(await rejectionCode(b.withKey(KEY, async () => 'second'))).toBe('GUARD_LOCKED');
    await a.close();
    expect(await b.withKey(KEY, async () => 'second')).toBe('second');
  });
});
