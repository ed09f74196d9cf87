/**
 * Waiting for the operator to stop a long-running command (POSIX SIGINT/SIGTERM). Not supported: other
 * signals, or Windows console events beyond what Node maps to SIGINT.
 */

/** Resolves with the signal's name on SIGINT or SIGTERM; both handlers are removed first, so a second signal gets Node's default. */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(sig);
    };
    const onInt = (): void => on('SIGINT');
    const onTerm = (): void => on('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}
