/**
 * A warning when a file holding a secret (a passphrase, a PIN) can be read by the file's group or by
 * others: the secret is then not the operator's alone. A warning, not a refusal, because some setups
 * (a secrets volume mounted 0640 for a service group) do it on purpose; it is shown by default and under
 * `--quiet` (cli/logger.ts). POSIX mode bits only: on Windows, where they mean nothing, it says nothing.
 */
import { statSync } from 'node:fs';
import type { CliIo } from './io.js';
import { warn } from './logger.js';

/** Whether `mode` lets the group or others read (or write, or execute) the file. */
export function groupOrOtherCanAccess(mode: number): boolean {
  return (mode & 0o077) !== 0;
}

/**
 * Writes one warning line if `path` (named on the command line as `what`, e.g. `--passphrase-file`) is
 * readable by group or others; returns whether it warned. A file that cannot be stat'ed is left to the
 * read that follows, which reports it.
 */
export function warnIfGroupOrOtherReadable(path: string, what: string, io: CliIo): boolean {
  if (process.platform === 'win32') return false;
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    return false;
  }
  if (!groupOrOtherCanAccess(mode)) return false;
  const octal = (mode & 0o777).toString(8).padStart(4, '0');
  warn(io, `${what} ${path} is readable by group or others (mode ${octal}); chmod 600 it`);
  return true;
}
