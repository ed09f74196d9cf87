/**
 * The error codes of the `cli/` layer (see crypto/errors.ts for the model), and the one translation of a
 * Node file-system failure into a one-line message that names the path and what it was for.
 *
 * `CLI_INVALID_ARGUMENT` is the layer's one invalid-argument code: a missing or malformed argument,
 * option or environment variable. `hrng` exits 2 on it and prints the command's help hint.
 */
import { HardenedRngError, type ErrorCodeTable } from '../crypto/errors.js';

export const CLI_ERROR_CODES = {
  CLI_INVALID_ARGUMENT: 'a command-line argument, option or environment variable is missing or malformed; the message names it (exit 2)',
  CLI_FILE_UNREADABLE: 'a file named on the command line cannot be read (missing, a directory, no permission); the message names it',
  CLI_FILE_UNWRITABLE: 'a file named on the command line cannot be written (its directory is missing, no permission, a directory)',
} as const satisfies ErrorCodeTable;

export type CliErrorCode = keyof typeof CLI_ERROR_CODES;

/** An error of the `cli/` layer. */
export class CliError extends HardenedRngError {
  declare readonly code: CliErrorCode;
  constructor(code: CliErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}

/**
 * `new CliError('CLI_INVALID_ARGUMENT', message)` under the name the commands have always used. Kept so
 * that every command file need not change at once; it carries nothing of its own.
 */
export class CliUsageError extends CliError {
  constructor(message: string) {
    super('CLI_INVALID_ARGUMENT', message);
  }
}

/** Whether `err` is a usage error (exit status 2). */
export function isUsageError(err: unknown): err is CliError {
  return err instanceof CliError && err.code === 'CLI_INVALID_ARGUMENT';
}

/** What Node's system error codes mean, in the words an operator reads. */
const FS_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'already exists',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EMFILE: 'too many open files',
  EBUSY: 'the file is busy',
};

/** A Node system error (`ENOENT`, `EISDIR`, …) as thrown by node:fs. */
export function isSystemError(err: unknown): err is NodeJS.ErrnoException & { code: string } {
  return (
    err instanceof Error &&
    typeof (err as NodeJS.ErrnoException).code === 'string' &&
    typeof (err as NodeJS.ErrnoException).syscall === 'string'
  );
}

/** The one-line reason for a system error: "is a directory, not a file (EISDIR)" rather than "EISDIR: illegal operation on a directory, read". */
export function systemErrorReason(err: NodeJS.ErrnoException & { code: string }): string {
  const reason = FS_REASONS[err.code];
  return reason === undefined ? `${err.syscall ?? 'system call'} failed (${err.code})` : `${reason} (${err.code})`;
}

/**
 * `err` (from reading or writing `path`, the `what` of the command) as a one-line CliError; errors that
 * are not system errors pass through unchanged.
 */
export function fileError(err: unknown, path: string, what: string, access: 'read' | 'write' = 'read'): unknown {
  if (!isSystemError(err)) return err;
  const code: CliErrorCode = access === 'write' ? 'CLI_FILE_UNWRITABLE' : 'CLI_FILE_UNREADABLE';
  return new CliError(code, `${what} ${path}: ${systemErrorReason(err)}`, { cause: err });
}
