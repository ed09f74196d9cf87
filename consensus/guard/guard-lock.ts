/**
 * A per-key lock file, so that two processes (two `hrng sign` runs, a signer and an import) never
 * interleave their read-check-write of the same key's history. The lock is created whole with link(2)
 * (atomic, fails if it exists) and holds the owner's pid. A lock whose owner is dead (a crash) is taken
 * over: it is first renamed away — atomic, so only one contender moves it — and taken over only if the
 * moved file still names the dead owner. A lock held by a live process, or one that cannot be read,
 * is refused (fail closed: an operator removes it by hand).
 */
import { constants } from 'node:fs';
import { link, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GuardLockedError } from './guard-errors.js';

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
    throw new GuardLockedError(path, 'unreadable');
  }
  if (owner === undefined) throw new GuardLockedError(path, 'it names no owner');
  if (owner === process.pid || alive(owner)) throw new GuardLockedError(path, `by running process ${owner}`);
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  const moved = `${path}.stale.${process.pid}.${counter}`;
  try {
    await rename(path, moved);
  } catch {
    throw new GuardLockedError(path, 'taken over by another process');
  }
  const movedOwner = await ownerOf(moved).catch(() => undefined);
  if (movedOwner !== owner) {
    // We moved a lock someone else took in between: put it back and refuse.
    await link(moved, path).catch(() => undefined);
    await unlink(moved).catch(() => undefined);
    throw new GuardLockedError(path, 'taken over by another process');
  }
  await unlink(moved);
  if (await tryCreate(path)) return release;
  throw new GuardLockedError(path, 'taken over by another process');
}
