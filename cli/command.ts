/**
 * One `hrng` subcommand, and the exit statuses all commands share (listed by `hrng help` and README.md):
 * 0 success; 1 the operation failed (a token refused, a file could not be read, the generator failed);
 * 2 bad arguments; 3 refused by the double-sign guard; 4 and 5 `hrng status` only: the generator is
 * degraded (4) or failed (5), so a monitoring check can tell them apart from a crash (1).
 */
import type { CliIo } from './io.js';

export { CliUsageError } from './errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_REFUSED = 3;
export const EXIT_DEGRADED = 4;
export const EXIT_GENERATOR_FAILED = 5;

/** The statuses every command may exit with, for `hrng help`. */
export const COMMON_EXIT_STATUSES: readonly (readonly [number, string])[] = [
  [EXIT_OK, 'success'],
  [EXIT_FAILED, 'the operation failed (the message says why)'],
  [EXIT_USAGE, 'bad arguments (the message names the argument)'],
  [EXIT_REFUSED, 'refused by the double-sign guard'],
];

export interface Command {
  readonly name: string;
  /** One line for `hrng help`. */
  readonly summary: string;
  /** Usage text shown by `hrng help NAME` and `hrng NAME --help`. */
  readonly usage: string;
  /** Exit statuses particular to this command (beyond 0–3), shown under its usage. */
  readonly exitStatuses?: readonly (readonly [number, string])[];
  run(args: readonly string[], io: CliIo): Promise<number>;
}
