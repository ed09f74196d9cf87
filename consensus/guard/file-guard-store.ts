/**
 * The file guard store: one small file per key, DIR/<keyId>.state, a double-buffered record file
 * (slot-file.ts: two checksummed slots, the newer valid one wins — TigerBeetle's superblock copies, LMDB's
 * meta pages), next to a lock file DIR/<keyId>.lock and an OS-locked DIR/<keyId>.lock.os while a signing
 * for that key is in progress (guard-lock.ts).
 *
 * One data sync per compare-and-swap. A write puts the new state (the JSON of encodeState, guard-state.ts)
 * with sequence + 1 into the slot that does NOT hold the current state — one pwrite, one fdatasync — so the
 * guard's two writes per signing (intent, record) cost two fdatasyncs, where the previous format
 * (DIR/<keyId>.json replaced by temp, fsync, rename, directory fsync) cost two of each. Why the guard stays
 * crash-safe: it calls the signer only after the intent's fdatasync returned. A write torn by a crash or a
 * power loss damages only the slot being written, which then fails its checksum: a torn intent leaves the
 * state from before the request (and nothing was signed yet); a torn record leaves the durable intent (the
 * same bytes may be signed again, which decideSign already allows; every other payload there is refused).
 * Nothing else can come back: never a state that was not written, never "no state" for an existing file
 * (no valid slot is GUARD_STATE_CORRUPT naming the file).
 *
 * A key's first state (and a state that outgrows its slots, e.g. the first record of a 7856-byte SLH-DSA
 * signature) is written as a whole new file through crypto/fs/atomic-file.ts — temp, fsync, link or rename,
 * directory fsync — so the file exists only complete, its blocks allocated and its size final: later
 * fdatasyncs carry no metadata. Fault points: `slot-written`/`slot-synced` for slot writes, the atomic
 * writer's four for a new file.
 *
 * Every compare-and-swap re-reads both slots under the key's lock (one 8 KB pread, from the page cache)
 * and compares with `expected`; nothing is cached across calls, so a writer that bypassed the lock is still
 * detected (GUARD_STATE_CONFLICT at the guard). While the lock is held the file stays open (with
 * `holdLocks`, across signings until close(); otherwise for one withKey); each read first checks that the
 * path still names the open file, and follows a replacement. I/O under the lock is synchronous (positional
 * readSync/writeSync/fdatasyncSync): it blocks the event loop for one data sync per write, which a signer
 * whose keys sign in order can afford, and it saves the threadpool round trips (tests/bench/signer.bench.ts
 * measures both). A write that fails (or whose sync fails) leaves the key refused by this store
 * (GUARD_STORE_FAILED) until it is reopened: after a failed fsync the page cache may show what the disk does
 * not hold, and a signer must not build on that.
 *
 * Files of the previous format, DIR/<keyId>.json, keep working: the first withKey of such a key migrates it
 * under the lock — write the .state durably (new file, directory fsynced), then rename the .json to
 * `<keyId>.json.migrated` and fsync the directory. A crash at any step leaves the .json alone (read as
 * before), or both (the .state wins and the rename is finished), or the .state alone. Readers outside the
 * lock read the .json while no .state exists. An older hrng does not read .state files: after a downgrade
 * it finds no .json and refuses (GUARD_STATE_MISSING) — downgrading is not supported.
 *
 * With `holdLocks` (a long-running signer service, as tmkms holds its state file), a key's lock is taken at
 * its first signing and kept until close(): the two data syncs are then all a signing costs, instead of
 * also creating, fsyncing and removing the owner record and the OS-locked file every time; and no other
 * process can sign for that key while this one lives, even between signings. The default takes the lock per
 * signing (the one-shot `hrng sign`, and processes that share a key directory in turns).
 *
 * Temp files are removed only by the holder of the key's lock, and only that key's: every write of a
 * key happens under its lock, so a temp file found by the holder is a crashed writer's, never a live
 * one's (no pid test, which a process in another pid namespace would fail).
 *
 * Not supported: file systems whose fdatasync does not make written data durable; states over 1 MiB.
 */
import { closeSync, fstatSync, openSync, readFileSync, renameSync, statSync } from 'node:fs';
import { mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { HardenedRngError } from '../../crypto/index.js';
import { fsyncDir, writeFileAtomic, type AtomicWritePoint } from '../../crypto/fs/index.js';
import { ConsensusError } from '../errors.js';
import { acquireLockDetailed, osLockStatus, type LockOptions, type OsLockStatus } from './guard-lock.js';
import { assertKeyId, decodeState, encodeState, sameState, type SignedState } from './guard-state.js';
import type { GuardStateStore, StoreWriteHooks } from './guard-state-store.js';
import { currentSlot, fitsSlot, readSlotFileSync, slotFileImage, writeNextSlot, type CurrentSlot } from './slot-file.js';

// Serializes work on one key inside this process (the lock file serializes across processes).
const queues = new Map<string, Promise<unknown>>();

const STATE_SUFFIX = '.state';
const LEGACY_SUFFIX = '.json';
const MIGRATED_SUFFIX = '.json.migrated';
const utf8 = new TextDecoder('utf-8', { fatal: false });

/** The steps of migrating a `<keyId>.json` (fault injection for tests). */
export type MigrationPoint = `create:${AtomicWritePoint}` | 'legacy-renamed' | 'legacy-dir-synced';

export interface FileGuardStoreOptions extends LockOptions {
  /** Keep each key's lock from its first signing until close() (see the header). Default false. */
  readonly holdLocks?: boolean;
  /** Fault injection for tests: called after each step of a migration from `<keyId>.json`. */
  readonly migrationHooks?: { at(point: MigrationPoint): void | Promise<void> };
}

interface OpenFile {
  readonly fd: number;
  readonly dev: number;
  readonly ino: number;
}

interface Loaded {
  readonly state: SignedState;
  /** Where it is in the .state file; absent for a state read from a legacy .json. */
  readonly slot?: CurrentSlot;
}

const errCode = (err: unknown): string => String((err as { code?: unknown }).code ?? (err as Error).message ?? err);
const isMissing = (err: unknown): boolean => (err as { code?: unknown }).code === 'ENOENT';

function storeFailed(what: string, path: string, err: unknown): ConsensusError {
  return new ConsensusError('GUARD_STORE_FAILED', `cannot ${what} guard state ${path}: ${errCode(err)}`, { cause: err });
}

export class FileGuardStore implements GuardStateStore {
  readonly dir: string;
  readonly #held = new Set<string>();
  /** With holdLocks: the release of each key's lock taken so far. */
  readonly #kept = new Map<string, () => Promise<void>>();
  /** Each held key's open .state file. */
  readonly #files = new Map<string, OpenFile>();
  /** Keys whose last write failed: refused until the store is reopened (see the header). */
  readonly #failed = new Map<string, string>();
  readonly #lock: FileGuardStoreOptions;
  #status: OsLockStatus;

  private constructor(dir: string, lock: FileGuardStoreOptions) {
    this.dir = dir;
    this.#lock = lock;
    this.#status = osLockStatus(lock.locker);
  }

  /**
   * Which OS lock guards this store's keys (guard-lock.ts): the mechanism of the last lock taken, or,
   * before one, whether the native helper can lock at all and why not.
   */
  lockStatus(): OsLockStatus {
    return this.#status;
  }

  /** Creates DIR (0700) if needed. `lock.takeOverForeign`: see guard-lock.ts (an operator's decision). */
  static async open(dir: string, lock: FileGuardStoreOptions = {}): Promise<FileGuardStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return new FileGuardStore(dir, { ...lock });
  }

  /** DIR/<keyId>.state, the key's slot file. */
  statePath(keyId: string): string {
    return join(this.dir, `${assertKeyId(keyId)}${STATE_SUFFIX}`);
  }

  /** DIR/<keyId>.json, the previous format (read until migrated). */
  legacyStatePath(keyId: string): string {
    return join(this.dir, `${assertKeyId(keyId)}${LEGACY_SUFFIX}`);
  }

  async read(keyId: string): Promise<SignedState | undefined> {
    const id = assertKeyId(keyId);
    if (this.#held.has(id)) return this.#loadHeld(id)?.state;
    return this.#loadUnlocked(id);
  }

  async compareAndSwap(
    keyId: string,
    expected: SignedState | undefined,
    next: SignedState,
    opts: { readonly hooks?: StoreWriteHooks } = {},
  ): Promise<boolean> {
    const id = assertKeyId(keyId);
    if (!this.#held.has(id)) {
      throw new ConsensusError('CONSENSUS_INVALID_ARGUMENT', `compareAndSwap of key ${keyId} outside withKey`);
    }
    if (next.keyId !== keyId) throw new ConsensusError('CONSENSUS_INVALID_ARGUMENT', 'next.keyId must be the key being written');
    const loaded = this.#loadHeld(id);
    if (!sameState(loaded?.state, expected)) return false;
    const path = this.statePath(id);
    const payload = encodeState(next);
    const hooks = opts.hooks;
    const file = this.#files.get(id);
    try {
      if (loaded?.slot !== undefined && file !== undefined && fitsSlot(payload.length, loaded.slot.slotSize)) {
        await writeNextSlot(file.fd, loaded.slot, payload, hooks);
        return true;
      }
      // A key's first state (none yet, or a legacy .json not migrated), or one that outgrew its slots.
      const sequence = (loaded?.slot?.sequence ?? 0n) + 1n;
      const create = loaded?.slot === undefined;
      this.#closeFile(id);
      try {
        await writeFileAtomic(path, slotFileImage(sequence, payload), { noClobber: create, ...(hooks ? { hooks } : {}) });
      } catch (err) {
        // Created by a writer that bypassed the lock since it was read: not the state expected.
        if (create && (err as { code?: unknown }).code === 'FS_EXISTS') return false;
        throw err;
      }
      return true;
    } catch (err) {
      this.#closeFile(id);
      this.#failed.set(id, errCode(err));
      if (err instanceof HardenedRngError) throw err;
      throw storeFailed('write', path, err);
    }
  }

  async keyIds(): Promise<string[]> {
    const ids = new Set<string>();
    for (const n of await readdir(this.dir)) {
      if (n.startsWith('.')) continue;
      if (n.endsWith(STATE_SUFFIX)) ids.add(n.slice(0, -STATE_SUFFIX.length));
      else if (n.endsWith(LEGACY_SUFFIX)) ids.add(n.slice(0, -LEGACY_SUFFIX.length));
    }
    return [...ids].sort();
  }

  /** Runs `fn` holding this key's in-process queue and its lock file. */
  async withKey<T>(keyId: string, fn: () => Promise<T>): Promise<T> {
    const id = assertKeyId(keyId);
    const lockPath = join(this.dir, `${id}.lock`);
    const previous = queues.get(lockPath) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(async () => {
        const failed = this.#failed.get(id);
        if (failed !== undefined) {
          throw new ConsensusError(
            'GUARD_STORE_FAILED',
            `an earlier write of guard state ${this.statePath(id)} failed (${failed}); this key is refused until the signer is restarted (check the disk first)`,
          );
        }
        const hold = this.#lock.holdLocks === true;
        let release = this.#kept.get(id);
        const fresh = release === undefined;
        if (release === undefined) {
          const held = await acquireLockDetailed(lockPath, this.#lock);
          this.#status = held.status;
          release = held.release;
          if (hold) this.#kept.set(id, release);
        }
        this.#held.add(id);
        try {
          if (fresh) {
            await this.#removeCrashedTemps(id);
            await this.#migrate(id);
          }
          return await fn();
        } finally {
          this.#held.delete(id);
          if (!hold) {
            this.#closeFile(id);
            await release();
          }
        }
      });
    queues.set(lockPath, run);
    try {
      return await run;
    } finally {
      if (queues.get(lockPath) === run) queues.delete(lockPath);
    }
  }

  /** Under the key's lock: the state as on disk now (the .state through the open file, else the .json). */
  #loadHeld(id: string): Loaded | undefined {
    const path = this.statePath(id);
    const file = this.#openState(id);
    if (file === undefined) {
      const legacy = this.#readLegacy(id);
      return legacy === undefined ? undefined : { state: legacy };
    }
    let slot: CurrentSlot;
    try {
      slot = readSlotFileSync(file.fd, path);
    } catch (err) {
      if (err instanceof HardenedRngError) throw err;
      throw storeFailed('read', path, err);
    }
    return { state: decodeState(utf8.decode(slot.payload), path, id), slot };
  }

  /** The open .state of a held key, (re)opened if the path names another file now; undefined if none. */
  #openState(id: string): OpenFile | undefined {
    const path = this.statePath(id);
    let st: { dev: number; ino: number } | undefined;
    try {
      st = statSync(path);
    } catch (err) {
      if (!isMissing(err)) throw storeFailed('read', path, err);
    }
    let file = this.#files.get(id);
    if (file !== undefined && (st === undefined || st.dev !== file.dev || st.ino !== file.ino)) {
      this.#closeFile(id);
      file = undefined;
    }
    if (file === undefined && st !== undefined) {
      try {
        const fd = openSync(path, 'r+');
        const s = fstatSync(fd);
        file = { fd, dev: s.dev, ino: s.ino };
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw storeFailed('open', path, err);
      }
      this.#files.set(id, file);
    }
    return file;
  }

  #closeFile(id: string): void {
    const file = this.#files.get(id);
    if (file === undefined) return;
    this.#files.delete(id);
    try {
      closeSync(file.fd);
    } catch {
      // Nothing was pending on it: every write was synced (or failed) before this.
    }
  }

  /**
   * Outside the lock (export, lastSigned): the whole file in one read. A write in flight may tear the slot it
   * writes, never both — but two writes during one read could, so a file without a valid slot is read again.
   */
  #loadUnlocked(id: string): SignedState | undefined {
    const path = this.statePath(id);
    for (let attempt = 1; ; attempt++) {
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(path);
      } catch (err) {
        if (isMissing(err)) return this.#readLegacy(id);
        throw storeFailed('read', path, err);
      }
      try {
        return decodeState(utf8.decode(currentSlot(bytes, path).payload), path, id);
      } catch (err) {
        if (attempt >= 3 || (err as { code?: unknown }).code !== 'GUARD_STATE_CORRUPT') throw err;
      }
    }
  }

  #readLegacy(id: string): SignedState | undefined {
    const path = this.legacyStatePath(id);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw storeFailed('read', path, err);
    }
    return decodeState(text, path, id);
  }

  /** Under the key's lock: moves a `<keyId>.json` to `<keyId>.state` (the header says why each step is safe). */
  async #migrate(id: string): Promise<void> {
    const legacy = this.legacyStatePath(id);
    const path = this.statePath(id);
    const hooks = this.#lock.migrationHooks;
    try {
      statSync(legacy);
    } catch (err) {
      if (isMissing(err)) return;
      throw storeFailed('read', legacy, err);
    }
    if (this.#openState(id) !== undefined) {
      // Both exist: a migration interrupted after its .state was durable. The .state wins, once it reads.
      this.#loadHeld(id);
    } else {
      const state = this.#readLegacy(id);
      if (state === undefined) return;
      await writeFileAtomic(path, slotFileImage(1n, encodeState(state)), {
        noClobber: true,
        ...(hooks ? { hooks: { at: (p: AtomicWritePoint) => hooks.at(`create:${p}`) } } : {}),
      });
    }
    try {
      renameSync(legacy, `${join(this.dir, id)}${MIGRATED_SUFFIX}`);
      await hooks?.at('legacy-renamed');
      await fsyncDir(this.dir);
      await hooks?.at('legacy-dir-synced');
    } catch (err) {
      if (err instanceof HardenedRngError) throw err;
      throw storeFailed('migrate', legacy, err);
    }
  }

  /** Under the key's lock: temp files of this key's state are a crashed writer's (see the header). */
  async #removeCrashedTemps(keyId: string): Promise<void> {
    const prefixes = [`.${keyId}${LEGACY_SUFFIX}.`, `.${keyId}${STATE_SUFFIX}.`];
    for (const name of await readdir(this.dir)) {
      if (prefixes.some((p) => name.startsWith(p)) && name.endsWith('.tmp')) await unlink(join(this.dir, name)).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    // Without holdLocks nothing is held open between calls.
    for (const id of [...this.#files.keys()]) this.#closeFile(id);
    const kept = [...this.#kept.values()];
    this.#kept.clear();
    for (const release of kept) await release();
  }
}
