/**
 * The file guard store: one small file per key, DIR/<keyId>.json, replaced atomically (temp, fsync,
 * rename, fsync of the directory — crypto/fs/atomic-file.ts), next to a lock file DIR/<keyId>.lock
 * and an OS-locked DIR/<keyId>.lock.os while a signing for that key is in progress (guard-lock.ts).
 *
 * With `holdLocks` (a long-running signer service, as tmkms holds its state file), a key's lock is taken at
 * its first signing and kept until close(): the two durable writes are then all a signing costs, instead of
 * also creating, fsyncing and removing the owner record and the OS-locked file every time; and no other
 * process can sign for that key while this one lives, even between signings. The default takes the lock per
 * signing (the one-shot `hrng sign`, and processes that share a key directory in turns).
 *
 * Temp files are removed only by the holder of the key's lock, and only that key's: every write of a
 * key happens under its lock, so a temp file found by the holder is a crashed writer's, never a live
 * one's (no pid test, which a process in another pid namespace would fail).
 */
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../crypto/fs/index.js';
import { ConsensusError } from '../errors.js';
import { acquireLockDetailed, osLockStatus, type LockOptions, type OsLockStatus } from './guard-lock.js';
import { assertKeyId, decodeState, encodeState, sameState, type SignedState } from './guard-state.js';
import type { GuardStateStore, StoreWriteHooks } from './guard-state-store.js';

// Serializes work on one key inside this process (the lock file serializes across processes).
const queues = new Map<string, Promise<unknown>>();

export interface FileGuardStoreOptions extends LockOptions {
  /** Keep each key's lock from its first signing until close() (see the header). Default false. */
  readonly holdLocks?: boolean;
}

export class FileGuardStore implements GuardStateStore {
  readonly dir: string;
  readonly #held = new Set<string>();
  /** With holdLocks: the release of each key's lock taken so far. */
  readonly #kept = new Map<string, () => Promise<void>>();
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

  statePath(keyId: string): string {
    return join(this.dir, `${assertKeyId(keyId)}.json`);
  }

  async read(keyId: string): Promise<SignedState | undefined> {
    const path = this.statePath(keyId);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ENOENT') return undefined;
      throw new ConsensusError(
        'GUARD_STORE_FAILED',
        `cannot read guard state ${path}: ${String((err as { code?: unknown }).code ?? err)}`,
        { cause: err },
      );
    }
    return decodeState(text, path, keyId);
  }

  async compareAndSwap(
    keyId: string,
    expected: SignedState | undefined,
    next: SignedState,
    opts: { readonly hooks?: StoreWriteHooks } = {},
  ): Promise<boolean> {
    if (!this.#held.has(assertKeyId(keyId))) {
      throw new ConsensusError('CONSENSUS_INVALID_ARGUMENT', `compareAndSwap of key ${keyId} outside withKey`);
    }
    if (next.keyId !== keyId) throw new ConsensusError('CONSENSUS_INVALID_ARGUMENT', 'next.keyId must be the key being written');
    if (!sameState(await this.read(keyId), expected)) return false;
    await writeFileAtomic(this.statePath(keyId), encodeState(next), opts.hooks ? { hooks: opts.hooks } : {});
    return true;
  }

  async keyIds(): Promise<string[]> {
    const names = await readdir(this.dir);
    return names
      .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
      .map((n) => n.slice(0, -'.json'.length))
      .sort();
  }

  /** Runs `fn` holding this key's in-process queue and its lock file. */
  async withKey<T>(keyId: string, fn: () => Promise<T>): Promise<T> {
    const id = assertKeyId(keyId);
    const lockPath = join(this.dir, `${id}.lock`);
    const previous = queues.get(lockPath) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(async () => {
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
          if (fresh) await this.#removeCrashedTemps(id);
          return await fn();
        } finally {
          this.#held.delete(id);
          if (!hold) await release();
        }
      });
    queues.set(lockPath, run);
    try {
      return await run;
    } finally {
      if (queues.get(lockPath) === run) queues.delete(lockPath);
    }
  }

  /** Under the key's lock: temp files of this key's state are a crashed writer's (see the header). */
  async #removeCrashedTemps(keyId: string): Promise<void> {
    const prefix = `.${keyId}.json.`;
    for (const name of await readdir(this.dir)) {
      if (name.startsWith(prefix) && name.endsWith('.tmp')) await unlink(join(this.dir, name)).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    // Without holdLocks nothing is held open between calls.
    const kept = [...this.#kept.values()];
    this.#kept.clear();
    for (const release of kept) await release();
  }
}
