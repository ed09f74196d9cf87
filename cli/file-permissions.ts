/**
 * The operator-protecting warning for a secret file (passphrase file, PIN file) that group or others
 * can read. Shown on stderr by default — not only with HRNG_LOG_LEVEL — and not silenced by `--quiet`,
 * which silences progress only. Shared by every command that reads such a file.
 */
import { fileAccess } from '../crypto/fs/index.js';
import type { CliIo } from './io.js';

/** The warning line for `path` (what: "passphrase file", "PIN file"), or undefined when it is private. */
export function exposedFileWarning(path: string, what: string): string | undefined {
  const access = fileAccess(path);
  if (access === undefined || !access.exposed) return undefined;
  return `warning: ${what} ${path} is readable by group or others (mode 0${access.mode.toString(8).padStart(3, '0')}); chmod 600 it`;
}

/** Writes the warning to stderr when there is one; returns whether it did. */
export function warnIfExposed(io: CliIo, command: string, path: string, what: string): boolean {
  const warning = exposedFileWarning(path, what);
  if (warning === undefined) return false;
  io.stderr.write(`hrng ${command}: ${warning}\n`);
  return true;
}
