/**
 * Where the guard keeps its history: one small file per key, DIR/<keyId>.json, replaced atomically
 * (temp, fsync, rename, fsync of the directory — crypto/fs/atomic-file.ts), next to a lock file
 * DIR/<keyId>.lock while a signing for that key is in progress.
 */
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, type AtomicWriteHooks } from '../../crypto/fs/index.js';
import { acquireLock } from './guard-lock.js';
import { assertKeyId, decodeState, encodeState, type SignedState } from './guard-state.js';

// Serializes work on one key inside this process (the lock file serializes across processes).
const queues = new Map<string, Promise<unknown>>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: unknown }).code === 'EPERM';
  }
}

export class GuardStore {
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** Creates DIR (0700) if needed and removes temp files left by crashed processes. */
  static async open(dir: string): Promise<GuardStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    for (const name of await readdir(dir)) {
      const m = /^\..+\.(\d+)\.\d+\.tmp$/.exec(name) ?? /^.+\.lock\.stale\.(\d+)\.\d+$/.exec(name);
      if (m !== null && !pidAlive(Number(m[1]))) await unlink(join(dir, name)).catch(() => undefined);
    }
    return new GuardStore(dir);
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
      throw err;
    }
    return decodeState(text, path, keyId);
  }

  async write(state: SignedState, hooks?: AtomicWriteHooks): Promise<void> {
    await writeFileAtomic(this.statePath(state.keyId), encodeState(state), hooks ? { hooks } : {});
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
    const lockPath = join(this.dir, `${assertKeyId(keyId)}.lock`);
    const previous = queues.get(lockPath) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(async () => {
      const release = await acquireLock(lockPath);
      try {
        return await fn();
      } finally {
        await release();
      }
    });
    queues.set(lockPath, run);
    try {
      return await run;
    } finally {
      if (queues.get(lockPath) === run) queues.delete(lockPath);
    }
  }
}
