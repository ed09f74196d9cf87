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

/**
 * `logger` with every call wrapped: an observer's exception (a full disk under pino, a buggy test
 * recorder) is dropped here and never changes the caller's control flow — a health alarm must quarantine
 * its source whether or not the log line about it could be written.
 */
export function guardedLogger(logger: Logger): Logger {
  const guard =
    (level: keyof Logger) =>
    (obj: object, msg?: string): void => {
      try {
        logger[level](obj, msg);
      } catch {
        // the observer failed; the observed decision stands
      }
    };
  return { debug: guard('debug'), info: guard('info'), warn: guard('warn'), error: guard('error') };
}

/** Calls `listener(value)`, dropping what it throws (see `guardedLogger`); `onError` hears of it if given. */
export function notify<T>(listener: (value: T) => void, value: T, onError?: (err: unknown) => void): void {
  try {
    listener(value);
  } catch (err) {
    try {
      onError?.(err);
    } catch {
      // nothing more to do
    }
  }
}
