/**
 * A per-key lock file, so that two processes (two `hrng sign` runs, a signer and an import, two signer
 * replicas on a shared volume) never interleave their read-check-write of the same key's history. The
 * lock is created whole with link(2) — atomic, failing if the name exists, on local file systems and on
 * NFS alike (the classic NFS-safe recipe; O_EXCL was not on NFSv2) — and holds its owner's record
 * (lock-owner.ts: pid, boot id, pid namespace, start time, host).
 *
 * Why not flock/OFD locks: they need a native call (Node has none), and a lock that vanishes with its
 * holder is not what the guard needs most; it needs a live owner never to look dead. This lock is never
 * released but by its owner, and it is taken over only when its owner is PROVED dead: same boot of the
 * same host, same pid namespace, and its pid gone (or reused by a process with another start time).
 * A lock from another container, host or boot is refused unless the operator says the owner is gone
 * (`takeOverForeign`, the CLI's --take-over-lock): fail closed, at the price of an operator's step after
 * a crash elsewhere.
 *
 * A takeover happens under a second lock, `<lock>.break`, taken the same way: only its holder may
 * remove a lock it does not own, and only after re-reading that the lock still names the dead owner.
 * So a live lock is never moved or removed by anyone but its owner — contenders that both saw the same
 * stale lock cannot remove each other's fresh one and let a third process in. A `.break` left by a
 * crash mid-takeover is refused (an operator removes it by hand after checking no signer runs).
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, open, readFile, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConsensusError } from '../errors.js';
import { currentOwner, decodeOwner, encodeOwner, ownerLiveness, type LockOwner } from './lock-owner.js';

const locked = (path: string, why: string): ConsensusError => new ConsensusError('GUARD_LOCKED', `guard lock ${path} is held (${why})`);

export interface LockOptions {
  /** Take over a lock whose owner cannot be proved dead from here (another boot, host or pid namespace). */
  readonly takeOverForeign?: boolean;
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
  const me = currentOwner();
  const release = async (): Promise<void> => {
    // Remove the lock only while it is still ours (an operator may have broken it by hand).
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
  mayTakeOver(path, first, me, opts);
  // Stale: take it over, but only under the breaker lock, and only if it still names the same owner.
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
