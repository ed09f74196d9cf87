/**
 * The logger every layer takes by injection. pino's `Logger` satisfies it as is; tests pass a recorder.
 * Log records carry identifiers, test names, counters and cutoffs — never secret bytes.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const ignore = (): void => {};

/** A logger that drops everything: the default, so that a library never writes to stdout unasked. */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
