/**
 * The command line's logger. By default the library's warnings — the ones that protect the operator: a
 * PIN file others can read, a degraded generator, a source's health alarm, a token one PIN attempt from
 * locking — go to stderr as one line of text each (`hrng CMD: warning: …`); nothing else does, so stdout
 * stays the command's output alone and `--quiet` (which silences progress) never hides them.
 * With HRNG_LOG_LEVEL naming a level (debug, info, warn, error), every record at that level or above is
 * written instead as pino's structured JSON lines on stderr. The library hands the logger identifiers,
 * test names, observed values and cutoffs — never secret bytes.
 */
import { pino } from 'pino';
import type { Logger } from '../crypto/index.js';
import { CliUsageError } from './errors.js';
import type { CliIo } from './io.js';

export const LOG_LEVEL_ENV = 'HRNG_LOG_LEVEL';
const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

const ignore = (): void => {};

/** `{ a: 1, b: 'x y' }` → `a=1 b="x y"`: short enough for one line, unambiguous enough to grep. */
function fields(obj: object): string {
  return Object.entries(obj)
    .map(([k, v]) => `${k}=${typeof v === 'string' && /^[\w.:/@+-]+$/.test(v) ? v : JSON.stringify(v)}`)
    .join(' ');
}

/** One line per warning on stderr: the message, then its fields. */
export function warningLogger(io: Pick<CliIo, 'stderr' | 'command'>): Logger {
  const prefix = io.command === undefined ? 'hrng' : `hrng ${io.command}`;
  return {
    debug: ignore,
    info: ignore,
    error: ignore,
    warn: (obj, msg) => {
      const detail = fields(obj);
      io.stderr.write(`${prefix}: warning: ${msg ?? 'warning'}${detail === '' ? '' : ` (${detail})`}\n`);
    },
  };
}

export function cliLogger(io: CliIo): Logger {
  const level = io.env[LOG_LEVEL_ENV];
  if (level === undefined || level === '') return warningLogger(io);
  if (!(LEVELS as readonly string[]).includes(level)) {
    throw new CliUsageError(`${LOG_LEVEL_ENV}='${level}' is not one of ${LEVELS.join(', ')}`);
  }
  return pino({ level, base: { name: 'hrng' } }, io.stderr);
}
