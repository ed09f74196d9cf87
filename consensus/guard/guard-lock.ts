/**
 * A per-key lock file, so that two processes (two `hrng sign` runs, a signer and an import) never
 * interleave their read-check-write of the same key's history. The lock is created whole with link(2)
 * (atomic, fails if it exists) and holds the owner's pid.
 *
 * A lock whose owner is dead (a crash) is taken over under a second lock, `<lock>.break`, taken the same
 * way: only its holder may remove a lock it does not own, and only after re-reading that the lock still
 * names the dead owner. So a live lock is never moved or removed by anyone but its owner — contenders
 * that both saw the same stale lock cannot remove each other's fresh one and let a third process in.
 * A lock held by a live process, one that cannot be read, or a `.break` left by a crash mid-takeover is
 * refused (fail closed: an operator removes it by hand after checking no signer runs).
 */
import { constants } from 'node:fs';
import { link, open, readFile, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConsensusError } from '../errors.js';

const locked = (path: string, why: string): ConsensusError => new ConsensusError('GUARD_LOCKED', `guard lock ${path} is held (${why})`);

let counter = 0;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: unknown }).code === 'EPERM';
  }
}

async function ownerOf(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8');
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

async function tryCreate(path: string): Promise<boolean> {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${counter}.tmp`);
  const fh = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    await fh.writeFile(`${process.pid}\n`);
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

/** Takes the lock at `path`; resolves to the function that releases it. */
export async function acquireLock(path: string): Promise<() => Promise<void>> {
  const release = async (): Promise<void> => {
    await unlink(path).catch(() => undefined);
  };
  if (await tryCreate(path)) return release;
  let owner: number | undefined;
  try {
    owner = await ownerOf(path);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT' && (await tryCreate(path))) return release;
    throw locked(path, 'unreadable');
  }
  if (owner === undefined) throw locked(path, 'it names no owner');
  if (owner === process.pid || alive(owner)) throw locked(path, `by running process ${owner}`);
  // Stale: take it over, but only under the breaker lock, and only if it still names the dead owner.
  const breaker = `${path}.break`;
  if (!(await tryCreate(breaker))) throw locked(path, `another process is taking over a stale lock (${breaker})`);
  try {
    let current: number | undefined;
    try {
      current = await ownerOf(path);
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ENOENT') throw locked(path, 'unreadable');
      current = undefined;
    }
    if (current !== undefined) {
      if (current !== owner || current === process.pid || alive(current)) throw locked(path, 'taken over by another process');
      await unlink(path).catch((err: unknown) => {
        if ((err as { code?: unknown }).code !== 'ENOENT') throw locked(path, 'could not remove the stale lock');
      });
    }
    if (await tryCreate(path)) return release;
    throw locked(path, 'taken over by another process');
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}
