/**
 * The command line's logger: pino, writing structured JSON lines to stderr, when HRNG_LOG_LEVEL names a
 * level (debug, info, warn, error); silent otherwise, so stdout stays the command's output alone. The
 * library hands it identifiers, test names, observed values and cutoffs — never secret bytes.
 */
import { pino } from 'pino';
import { silentLogger, type Logger } from '../crypto/log.js';
import { CliUsageError } from './command.js';
import type { CliIo } from './io.js';

export const LOG_LEVEL_ENV = 'HRNG_LOG_LEVEL';
const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export function cliLogger(io: CliIo): Logger {
  const level = io.env[LOG_LEVEL_ENV];
  if (level === undefined || level === '') return silentLogger;
  if (!(LEVELS as readonly string[]).includes(level)) {
    throw new CliUsageError(`${LOG_LEVEL_ENV}='${level}' is not one of ${LEVELS.join(', ')}`);
  }
  return pino({ level, base: { name: 'hrng' } }, io.stderr);
}
