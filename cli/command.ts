/**
 * One `hrng` subcommand. Exit statuses are shared by all commands:
 * 0 success; 1 the operation failed (e.g. the generator is failed, a token refused); 2 bad arguments;
 * 3 refused by the double-sign guard.
 */
import { HardenedRngError } from '../crypto/errors.js';
import type { CliIo } from './io.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_REFUSED = 3;

export interface Command {
  readonly name: string;
  /** One line for `hrng help`. */
  readonly summary: string;
  /** Usage text shown with a usage error and by `hrng help NAME`. */
  readonly usage: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Bad arguments: exit status 2 with a one-line message and the command's usage. */
export class CliUsageError extends HardenedRngError {
  constructor(message: string) {
    super('CLI_USAGE', message);
  }
}
