/**
 * A per-key lock, so that two processes (two `hrng sign` runs, a signer and an import, two signer
 * replicas on a shared volume) never interleave their read-check-write of the same key's history. Two
 * locks, taken in this order and both held until release:
 *
 * 1. **An OS advisory lock** on `<lock>.os` (created by the taker, removed by the holder before it
 *    unlocks; a taker checks it locked the file the name still leads to): an open-file-description lock (fcntl F_OFD_SETLK), or flock(2) where OFD
 *    locks are refused, through the native helper (crypto/native/file-lock.ts). The kernel holds it for
 *    as long as the holder keeps the file open and drops it when the holder dies (kill -9 included), and
 *    no record, forged or stale, can take it from a live holder on this host (nor, on NFS with working
 *    lockd, on another). Where the helper is not built the lock says so (`osLock` in the status and the
 *    refusal messages) and only the owner record below protects the key.
 * 2. **The owner record** `<lock>`, created whole with link(2) — atomic, failing if the name exists, on
 *    local file systems and on NFS alike — holding its owner's identity (lock-owner.ts: pid, boot id, pid
 *    namespace, start time, host): the evidence across hosts and file systems where the OS lock may not
 *    reach (NFS without lockd, a network file system ignoring advisory locks), and what errors name.
 *
 * The record is never released but by its owner, and it is taken over only when its owner is PROVED
 * dead: same boot of the same host, same pid namespace, and its pid gone (or reused by a process with
 * another start time) — the OS lock being free does not by itself prove a record's owner dead (it may
 * live on another host). A record from another container, host or boot is refused unless the operator
 * says the owner is gone (`takeOverForeign`, the CLI's --take-over-lock): fail closed, at the price of
 * an operator's step after a crash elsewhere.
 *
 * A takeover happens under a second record, `<lock>.break`, taken the same way: only its holder may
 * remove a record it does not own, and only after re-reading that the record still names the dead owner.
 * So a live record is never moved or removed by anyone but its owner — contenders that both saw the same
 * stale record cannot remove each other's fresh one and let a third process in. A `.break` left by a
 * crash mid-takeover is refused (an operator removes it by hand after checking no signer runs).
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, lstat, open, readFile, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileLocker, type FileLocker, type FileLockMechanism } from '../../crypto/fs/index.js';
import { ConsensusError } from '../errors.js';
import { currentOwner, decodeOwner, encodeOwner, ownerLiveness, type LockOwner } from './lock-owner.js';

const locked = (path: string, why: string): ConsensusError => new ConsensusError('GUARD_LOCKED', `guard lock ${path} is held (${why})`);

export interface LockOptions {
  /** Take over a lock whose owner cannot be proved dead from here (another boot, host or pid namespace). */
  readonly takeOverForeign?: boolean;
  /** The OS lock; default the native helper's (tests inject an unavailable one to exercise the fallback). */
  readonly locker?: FileLocker;
}

/** Which OS lock protects a guard lock: the mechanism, or why there is none. */
export type OsLockStatus =
  | { readonly osLock: FileLockMechanism | 'available' }
  | { readonly osLock: 'unavailable'; readonly reason: string };

export interface HeldLock {
  readonly status: OsLockStatus;
  release(): Promise<void>;
}

/** What a lock taken with `locker` would rest on, before it is taken ('available': OFD or flock, decided per file system). */
export function osLockStatus(locker: FileLocker = fileLocker()): OsLockStatus {
  return locker.available ? { osLock: 'available' } : { osLock: 'unavailable', reason: locker.reason ?? 'unknown' };
}

/**
 * The OS lock on `<path>.os`, held open; undefined where the helper cannot lock. Throws GUARD_LOCKED when
 * busy. The holder removes the file before it lets the lock go (so the directory holds only the guard's
 * own files between signings); a contender may therefore lock a file that was just removed, so after
 * locking it checks that the name still leads to the very file it locked (same device and inode) and
 * starts again if not — the usual lock-then-verify recipe for lock files that are removed.
 */
async function takeOsLock(
  path: string,
  locker: FileLocker,
): Promise<{ readonly fh: FileHandle; readonly mechanism: FileLockMechanism; readonly osPath: string } | undefined> {
  if (!locker.available) return undefined;
  const osPath = `${path}.os`;
  for (let attempt = 0; attempt < 8; attempt++) {
    const fh = await open(osPath, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
    const got = locker.tryLock(fh.fd);
    if (got.locked) {
      const [mine, named] = await Promise.all([fh.stat(), lstat(osPath).catch(() => undefined)]);
      if (named !== undefined && named.ino === mine.ino && named.dev === mine.dev) return { fh, mechanism: got.mechanism, osPath };
      // Locked a file its holder removed on release: not the lock any more; open the name again.
      locker.unlock(fh.fd, got.mechanism);
      await fh.close().catch(() => undefined);
      continue;
    }
    await fh.close().catch(() => undefined);
    if (got.busy) {
      const seen = await ownerOf(path);
      const who = seen.kind === 'owner' ? `; its record names pid ${seen.owner.pid} on ${seen.owner.host}` : '';
      throw locked(path, `a live process holds its OS lock ${osPath}${who}`);
    }
    throw new ConsensusError('GUARD_STORE_FAILED', `cannot take the OS lock ${osPath}: ${got.error}; refusing to sign without it`);
  }
  throw locked(path, `its OS lock file ${osPath} kept being replaced while this process took it`);
}

let counter = 0;

async function tryCreate(path: string, me: LockOwner): Promise<boolean> {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  // Our own temp name: pid and counter are not enough (processes in two pid namespaces can share a pid,
  // and both start counting at 1), so 96 random bits too. Only we remove it.
  const temp = join(dirname(path), `.${basename(path)}.${me.pid}.${counter}.${randomBytes(12).toString('hex')}.tmp`);
  const fh = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    await fh.writeFile(encodeOwner(me));
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await link(temp, path);
    return true;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

type Seen =
  | { readonly kind: 'absent' }
  | { readonly kind: 'owner'; readonly owner: LockOwner; readonly text: string }
  | { readonly kind: 'unknown' };

async function ownerOf(path: string): Promise<Seen> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return { kind: 'absent' };
    return { kind: 'unknown' };
  }
  const owner = decodeOwner(text);
  return owner === undefined ? { kind: 'unknown' } : { kind: 'owner', owner, text };
}

/** Whether the lock named by `seen` may be taken over; throws GUARD_LOCKED saying why not. */
function mayTakeOver(path: string, seen: Seen, me: LockOwner, opts: LockOptions): void {
  if (seen.kind === 'unknown') {
    if (opts.takeOverForeign === true) return;
    throw locked(path, 'it names no owner in a known format; remove it by hand once no signer runs');
  }
  if (seen.kind === 'absent') return;
  if (seen.owner.pid === me.pid && seen.owner.bootId === me.bootId && seen.owner.pidNamespace === me.pidNamespace) {
    throw locked(path, 'by this process');
  }
  const l = ownerLiveness(seen.owner, me);
  if (l.dead) return;
  const foreign = seen.owner.bootId !== me.bootId || seen.owner.pidNamespace !== me.pidNamespace;
  if (foreign && opts.takeOverForeign === true) return;
  throw locked(path, foreign ? `${l.why}; if that signer is gone, take the lock over explicitly` : l.why);
}

/** Takes the lock at `path`; resolves to the function that releases it. */
export async function acquireLock(path: string, opts: LockOptions = {}): Promise<() => Promise<void>> {
  return (await acquireLockDetailed(path, opts)).release;
}

/** As acquireLock, also saying which OS lock holds it. */
export async function acquireLockDetailed(path: string, opts: LockOptions = {}): Promise<HeldLock> {
  const locker = opts.locker ?? fileLocker();
  const os = await takeOsLock(path, locker);
  const status: OsLockStatus = os === undefined ? osLockStatus(locker) : { osLock: os.mechanism };
  const dropOs = async (): Promise<void> => {
    if (os === undefined) return;
    // Removed while still locked, so nobody can lock this file and take it for the current one (see takeOsLock).
    await unlink(os.osPath).catch(() => undefined);
    locker.unlock(os.fh.fd, os.mechanism);
    await os.fh.close().catch(() => undefined);
  };
  try {
    const releaseRecord = await takeRecord(path, opts, status);
    return {
      status,
      release: async () => {
        try {
          await releaseRecord();
        } finally {
          await dropOs();
        }
      },
    };
  } catch (err) {
    await dropOs();
    throw err;
  }
}

async function takeRecord(path: string, opts: LockOptions, status: OsLockStatus): Promise<() => Promise<void>> {
  const me = currentOwner();
  const release = async (): Promise<void> => {
    // Remove the record only while it is still ours (an operator may have broken it by hand).
    const seen = await ownerOf(path);
    if (
      seen.kind === 'owner' &&
      seen.owner.pid === me.pid &&
      seen.owner.bootId === me.bootId &&
      seen.owner.pidNamespace === me.pidNamespace &&
      seen.owner.startTime === me.startTime
    ) {
      await unlink(path).catch(() => undefined);
    }
  };
  if (await tryCreate(path, me)) return release;
  const first = await ownerOf(path);
  if (first.kind === 'absent' && (await tryCreate(path, me))) return release;
  try {
    mayTakeOver(path, first, me, opts);
  } catch (err) {
    // Without the OS lock, say so: the record is then all that stood between two signers.
    if (status.osLock === 'unavailable' && err instanceof ConsensusError) {
      throw new ConsensusError('GUARD_LOCKED', `${err.message}; no OS lock here (${status.reason})`);
    }
    throw err;
  }
  // Stale: take it over, but only under the breaker record, and only if it still names the same owner.
  const breaker = `${path}.break`;
  // A breaker left by a crash mid-takeover is never removed automatically: two contenders removing a
  // dead breaker could each remove the other's fresh one and then both remove the fresh lock.
  if (!(await tryCreate(breaker, me))) throw locked(path, `another process is taking over a stale lock, or crashed doing so (${breaker})`);
  try {
    const current = await ownerOf(path);
    if (current.kind !== 'absent') {
      const same = first.kind === 'owner' ? current.kind === 'owner' && current.text === first.text : current.kind === 'unknown';
      if (!same) throw locked(path, 'taken over by another process');
      await unlink(path).catch((err: unknown) => {
        if ((err as { code?: unknown }).code !== 'ENOENT') throw locked(path, 'could not remove the stale lock');
      });
    }
    if (await tryCreate(path, me)) return release;
    throw locked(path, 'taken over by another process');
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}
