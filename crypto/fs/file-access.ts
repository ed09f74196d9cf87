/**
 * Whether a file holding a secret (a passphrase file, a PIN file) can be read by anyone but its owner:
 * the permission bits group and others have on it (POSIX stat(2) st_mode & 0o077), as ssh does for
 * private keys. Callers warn; refusing is their policy, not this function's.
 */
import { statSync } from 'node:fs';

export interface FileAccess {
  /** The permission bits (st_mode & 0o777). */
  readonly mode: number;
  /** Whether group or others have any permission on it (mode & 0o077). */
  readonly exposed: boolean;
}

/** The permission bits of `path`, or undefined when it cannot be stat'ed (the reader reports that). */
export function fileAccess(path: string): FileAccess | undefined {
  try {
    const mode = statSync(path).mode & 0o777;
    return { mode, exposed: (mode & 0o077) !== 0 };
  } catch {
    return undefined;
  }
}
