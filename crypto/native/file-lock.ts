/**
 * An OS advisory lock on an open file, through the native helper (src/cpu_random.cc `lockFile`): an
 * exclusive, non-blocking lock of the whole file as an open-file-description lock (fcntl F_OFD_SETLK,
 * POSIX.1-2024 / Linux ≥ 3.15), or flock(2) where the kernel or file system refuses OFD locks. Either
 * belongs to the open file description, so it lasts exactly as long as the holder keeps the file open
 * and the kernel drops it when the holder dies, kill -9 included — which no lock file can do. It
 * conflicts with every other open file description of the same file, in this process too.
 *
 * Node has no such call, so where the helper is not built (no compiler, not x86-64) `fileLocker()`
 * says so (`available: false` and why) rather than pretending: the caller then relies on what else it
 * has (the guard: its owner record, consensus/guard/guard-lock.ts).
 *
 * Not supported: shared (read) locks, byte ranges, blocking waits; mixing this lock with a program that
 * takes only classic POSIX record locks on the same file (OFD and POSIX locks do conflict on Linux; flock
 * locks conflict with neither on a local file system, so the fallback is for kernels or file systems
 * without OFD locks only, where every holder falls back alike).
 */
import { constants } from 'node:os';
import { loadCpuRandom } from './cpu-random.js';

export type FileLockMechanism = 'ofd' | 'flock';

/** What one attempt gave: held (and how), busy (another open file description holds it), or an errno. */
export type FileLockAttempt =
  | { readonly locked: true; readonly mechanism: FileLockMechanism }
  | { readonly locked: false; readonly busy: true }
  | { readonly locked: false; readonly busy: false; readonly error: string };

export interface FileLocker {
  /** Whether the helper can lock; when not, `reason` says why. */
  readonly available: boolean;
  readonly reason?: string;
  /** Tries to lock the file open at `fd`, never waiting. */
  tryLock(fd: number): FileLockAttempt;
  /** Releases the lock `tryLock(fd)` took (closing `fd` does too); an errno name on failure. */
  unlock(fd: number, mechanism: FileLockMechanism): string | undefined;
}

const errnoName = (n: number): string => Object.entries(constants.errno).find(([, v]) => v === n)?.[0] ?? `errno ${n}`;

/** A locker that cannot lock, saying why (also what tests use to exercise a caller's fallback). */
export function unavailableFileLocker(reason: string): FileLocker {
  const attempt: FileLockAttempt = { locked: false, busy: false, error: `no OS file lock: ${reason}` };
  return { available: false, reason, tryLock: () => attempt, unlock: () => undefined };
}

let cached: FileLocker | undefined;

export function fileLocker(): FileLocker {
  if (cached !== undefined) return cached;
  const load = loadCpuRandom();
  if (!load.loaded || load.addon.lockFile === undefined || load.addon.unlockFile === undefined) {
    cached = unavailableFileLocker(
      load.loaded ? 'the native helper predates lockFile; rebuild it: node crypto/native/build.mjs' : load.reason,
    );
    return cached;
  }
  const { lockFile, unlockFile } = load.addon;
  cached = {
    available: true,
    tryLock(fd: number): FileLockAttempt {
      if (!Number.isSafeInteger(fd) || fd < 0) return { locked: false, busy: false, error: 'EBADF' };
      const r = lockFile(fd);
      if (r === 1) return { locked: true, mechanism: 'ofd' };
      if (r === 2) return { locked: true, mechanism: 'flock' };
      if (r === 0) return { locked: false, busy: true };
      return { locked: false, busy: false, error: errnoName(-r) };
    },
    unlock(fd: number, mechanism: FileLockMechanism): string | undefined {
      const r = unlockFile(fd, mechanism === 'ofd' ? 1 : 2);
      return r === 0 ? undefined : errnoName(-r);
    },
  };
  return cached;
}
