/**
 * Crash-safe replacement of a small file, the POSIX recipe (rename(2) is atomic within a directory;
 * fsync(2) of the file and then of the directory makes the new name durable): write a temp file in the
 * same directory, fsync it, rename (or link, to refuse clobbering) it over the target, fsync the
 * directory. A reader sees the old file or the new one, never a half-written one.
 *
 * `hooks.at(point)` runs after each step so tests can inject a failure or kill the process there.
 * Failures are CryptoError FS_EXISTS (noClobber and the target exists) or FS_WRITE_FAILED.
 */
import { constants } from 'node:fs';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CryptoError, HardenedRngError } from '../errors.js';

export type AtomicWritePoint = 'temp-written' | 'temp-synced' | 'renamed' | 'dir-synced';

export interface AtomicWriteHooks {
  at(point: AtomicWritePoint): void | Promise<void>;
}

export interface AtomicWriteOptions {
  /** File mode of the new file; 0o600 by default (keystores and signing history are private). */
  readonly mode?: number;
  /** Fail with FS_EXISTS instead of replacing an existing target (uses link(2), still atomic). */
  readonly noClobber?: boolean;
  readonly hooks?: AtomicWriteHooks;
}

const TEMP_SUFFIX = '.tmp';
let counter = 0;

/** True for names this module uses for its temp files (directory listings skip them). */
export function isAtomicTempName(name: string): boolean {
  return name.startsWith('.') && name.endsWith(TEMP_SUFFIX);
}

export async function writeFileAtomic(path: string, data: Uint8Array, opts: AtomicWriteOptions = {}): Promise<void> {
  const dir = dirname(path);
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  const temp = join(dir, `.${basename(path)}.${process.pid}.${counter}${TEMP_SUFFIX}`);
  let tempExists = false;
  try {
    const fh = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, opts.mode ?? 0o600);
    tempExists = true;
    try {
      let off = 0;
      while (off < data.length) {
        const { bytesWritten } = await fh.write(data, off, data.length - off);
        off += bytesWritten;
      }
      await opts.hooks?.at('temp-written');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await opts.hooks?.at('temp-synced');
    if (opts.noClobber === true) {
      await link(temp, path);
      await unlink(temp);
    } else {
      await rename(temp, path);
    }
    tempExists = false;
    await opts.hooks?.at('renamed');
    await fsyncDir(dir);
    await opts.hooks?.at('dir-synced');
  } catch (err) {
    if (tempExists) await unlink(temp).catch(() => undefined);
    if (err instanceof HardenedRngError) throw err;
    const code = (err as { code?: unknown }).code;
    if (opts.noClobber === true && code === 'EEXIST') {
      throw new CryptoError('FS_EXISTS', `refusing to replace existing file ${path}`, { cause: err });
    }
    throw new CryptoError('FS_WRITE_FAILED', `could not write ${path}: ${String(code ?? (err as Error).message)}`, {
      cause: err,
    });
  }
}

/** fsync(2) of a directory, so that a rename or unlink in it survives power loss. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
