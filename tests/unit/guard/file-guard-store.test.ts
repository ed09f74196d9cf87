/**
 * FileGuardStore over its slot files (consensus/guard/file-guard-store.ts): the migration of a deployed
 * `<keyId>.json` with a crash at each step, listing both kinds, the open file held across signings while
 * changes made behind the lock are still seen, states that outgrow their slots, and the refusal after a
 * failed write.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileGuardStore, type MigrationPoint, type SignedState } from '../../../consensus/index.js';
import { encodeState } from '../../../consensus/guard/guard-state.js';
import { slotFileImage } from '../../../consensus/guard/slot-file.js';
import { guardStateJson, plantGuardStateJson } from '../../helpers/guard-state-file.js';
import { rejectionCode } from '../../helpers/thrown.js';

const KEY = 'ab'.repeat(16);
const OTHER = 'cd'.repeat(16);
const st = (height: number, signature: Uint8Array | null = null, keyId = KEY): SignedState => ({
  keyId,
  height,
  round: 0,
  step: 1,
  payloadHash: new Uint8Array(32).fill(height & 0xff),
  signature,
});
const files = (d: string): string[] =>
  readdirSync(d)
    .filter((n) => !n.includes('.lock'))
    .sort();

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hrng-fgs-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A guard directory as every deployed guard has it today: `<keyId>.json`, the JSON of encodeState. */
function legacy(state: SignedState): void {
  writeFileSync(join(dir, `${state.keyId}.json`), encodeState(state));
}

/** Reads the key through a store taking its lock (the path a signing takes), then closes. */
async function readLocked(keyId = KEY): Promise<SignedState | undefined> {
  const s = await FileGuardStore.open(dir);
  try {
    return await s.withKey(keyId, () => s.read(keyId));
  } finally {
    await s.close();
  }
}

describe('FileGuardStore: migration from <keyId>.json', () => {
  it('the first withKey moves the .json into a .state under the lock; readers outside the lock see it before and after', async () => {
    legacy(st(40, new Uint8Array(64).fill(1)));
    const store = await FileGuardStore.open(dir);
    expect(await store.read(KEY)).toEqual(st(40, new Uint8Array(64).fill(1)));
    expect(files(dir)).toEqual([`${KEY}.json`]); // a lock-free read changes nothing
    expect(await store.keyIds()).toEqual([KEY]);
    await store.withKey(KEY, async () => {
      expect(await store.read(KEY)).toEqual(st(40, new Uint8Array(64).fill(1)));
      expect(await store.compareAndSwap(KEY, st(40, new Uint8Array(64).fill(1)), st(41))).toBe(true);
    });
    expect(files(dir)).toEqual([`${KEY}.json.migrated`, `${KEY}.state`]);
    expect(statSync(join(dir, `${KEY}.state`)).size).toBe(8192);
    expect(await store.read(KEY)).toEqual(st(41));
    // The .migrated file is the old state, untouched, for the operator.
    expect(readFileSync(join(dir, `${KEY}.json.migrated`), 'utf8')).toBe(
      new TextDecoder().decode(encodeState(st(40, new Uint8Array(64).fill(1)))),
    );
  });

  const POINTS: readonly MigrationPoint[] = [
    'create:temp-written',
    'create:temp-synced',
    'create:renamed',
    'create:dir-synced',
    'legacy-renamed',
    'legacy-dir-synced',
  ];
  it.each(POINTS)('a crash at %s leaves a directory the next open reads as the migrated state', async (point) => {
    legacy(st(7, new Uint8Array(64).fill(2)));
    const crashing = await FileGuardStore.open(dir, {
      migrationHooks: {
        at: (p) => {
          if (p === point) throw Object.assign(new Error(`crash at ${p}`), { code: 'CRASH' });
        },
      },
    });
    const crashed = await rejectionCode(crashing.withKey(KEY, async () => 'unreached'));
    // The atomic writer reports a failure at its own steps as FS_WRITE_FAILED; the store at the rename's.
    expect(crashed).toBe(point.startsWith('create:') ? 'FS_WRITE_FAILED' : 'GUARD_STORE_FAILED');
    const left = files(dir);
    // What the crash left: the .json alone, both (the .state complete), or the .state and the .migrated.
    const expectedLeft: Record<MigrationPoint, string[]> = {
      'create:temp-written': [`${KEY}.json`],
      'create:temp-synced': [`${KEY}.json`],
      'create:renamed': [`${KEY}.json`, `${KEY}.state`],
      'create:dir-synced': [`${KEY}.json`, `${KEY}.state`],
      'legacy-renamed': [`${KEY}.json.migrated`, `${KEY}.state`],
      'legacy-dir-synced': [`${KEY}.json.migrated`, `${KEY}.state`],
    };
    expect(left).toEqual(expectedLeft[point]);
    // Outside the lock and under it, the state is the one migrated; the next withKey finishes the move.
    expect(await (await FileGuardStore.open(dir)).read(KEY)).toEqual(st(7, new Uint8Array(64).fill(2)));
    expect(await readLocked()).toEqual(st(7, new Uint8Array(64).fill(2)));
    expect(files(dir)).toEqual([`${KEY}.json.migrated`, `${KEY}.state`]);
  });

  it('when both exist the .state wins (the .json is an interrupted migration’s) and the move is finished', async () => {
    legacy(st(5));
    writeFileSync(join(dir, `${KEY}.state`), slotFileImage(1n, encodeState(st(9))));
    expect(await (await FileGuardStore.open(dir)).read(KEY)).toEqual(st(9));
    expect(await readLocked()).toEqual(st(9));
    expect(files(dir)).toEqual([`${KEY}.json.migrated`, `${KEY}.state`]);
  });

  it('a corrupt .json is refused and left in place; a corrupt .state next to a .json is refused, the .json kept', async () => {
    writeFileSync(join(dir, `${KEY}.json`), '{"version":1,"keyId":"x"');
    expect(await rejectionCode(readLocked())).toBe('GUARD_STATE_CORRUPT');
    expect(files(dir)).toEqual([`${KEY}.json`]);
    legacy(st(5));
    writeFileSync(join(dir, `${KEY}.state`), new Uint8Array(8192));
    expect(await rejectionCode(readLocked())).toBe('GUARD_STATE_CORRUPT');
    expect(files(dir)).toEqual([`${KEY}.json`, `${KEY}.state`]);
  });

  it('keyIds lists keys of both kinds once, not temps, locks or .migrated files', async () => {
    legacy(st(1, null, OTHER));
    writeFileSync(join(dir, `${KEY}.state`), slotFileImage(1n, encodeState(st(2))));
    writeFileSync(join(dir, `${KEY}.json.migrated`), '{}');
    writeFileSync(join(dir, `.${KEY}.state.1.1.tmp`), 'x');
    writeFileSync(join(dir, `${KEY}.lock`), 'x');
    expect(await (await FileGuardStore.open(dir)).keyIds()).toEqual([KEY, OTHER].sort());
  });
});

describe('FileGuardStore: the open file and compare-and-swap', () => {
  it('with holdLocks the file stays open across signings, and a state planted behind the lock is still what the swap compares', async () => {
    const store = await FileGuardStore.open(dir, { holdLocks: true });
    try {
      await store.withKey(KEY, () => store.compareAndSwap(KEY, undefined, st(1)));
      await store.withKey(KEY, () => store.compareAndSwap(KEY, st(1), st(2)));
      expect(guardStateJson(dir, KEY).lastSigned.height).toBe(2);
      // A writer that ignores the lock writes the next slot of the same file the store holds open.
      const planted = guardStateJson(dir, KEY);
      await plantGuardStateJson(dir, KEY, { ...planted, lastSigned: { ...planted.lastSigned, height: 50 } });
      await store.withKey(KEY, async () => {
        expect((await store.read(KEY))?.height).toBe(50);
        expect(await store.compareAndSwap(KEY, st(2), st(3))).toBe(false);
      });
      // A file renamed over it (a restore from backup while the signer runs): followed, not the old inode.
      writeFileSync(join(dir, 'restored'), slotFileImage(1n, encodeState(st(20))));
      renameSync(join(dir, 'restored'), join(dir, `${KEY}.state`));
      await store.withKey(KEY, async () => {
        expect((await store.read(KEY))?.height).toBe(20);
        expect(await store.compareAndSwap(KEY, st(20), st(21))).toBe(true);
      });
      expect(guardStateJson(dir, KEY).lastSigned.height).toBe(21);
      // Removed while held: no state (the guard then refuses without --init-guard), as before.
      rmSync(join(dir, `${KEY}.state`));
      expect(await store.withKey(KEY, () => store.read(KEY))).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('a state that outgrows its slots (an SLH-DSA signature) is rewritten whole into larger slots, and keeps its sequence', async () => {
    const store = await FileGuardStore.open(dir);
    const big = st(2, new Uint8Array(7856).fill(9));
    await store.withKey(KEY, async () => {
      expect(await store.compareAndSwap(KEY, undefined, st(1))).toBe(true);
      expect(statSync(join(dir, `${KEY}.state`)).size).toBe(8192);
      expect(await store.compareAndSwap(KEY, st(1), big)).toBe(true);
      expect(await store.read(KEY)).toEqual(big);
      expect(await store.compareAndSwap(KEY, big, { ...big, height: 3 })).toBe(true);
    });
    // 7856 bytes in hex plus the JSON around it: 16 KiB slots.
    expect(statSync(join(dir, `${KEY}.state`)).size).toBe(2 * 16_384);
    expect(await store.read(KEY)).toEqual({ ...big, height: 3 });
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a write that fails leaves the key refused by that store (GUARD_STORE_FAILED) and readable by a fresh one', async () => {
    const store = await FileGuardStore.open(dir);
    await store.withKey(KEY, () => store.compareAndSwap(KEY, undefined, st(1)));
    const hooks = {
      at: (p: string) => {
        if (p === 'slot-written') throw new Error('EIO');
      },
    };
    expect(await rejectionCode(store.withKey(KEY, () => store.compareAndSwap(KEY, st(1), st(2), { hooks })))).toBe('GUARD_STORE_FAILED');
    expect(await rejectionCode(store.withKey(KEY, async () => 'next'))).toBe('GUARD_STORE_FAILED');
    // The write itself reached the page cache (the fault came after it): a restart reads it.
    expect(await readLocked()).toEqual(st(2));
    expect(existsSync(join(dir, `${KEY}.state`))).toBe(true);
  });
});
