/**
 * The command line's view of the outside world, injected so commands run in-process under test.
 */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdin is a terminal (an interactive prompt is possible). */
  readonly interactive: boolean;
  /**
   * Whether progress lines (a KDF's 25 % steps, a probe's count) go to stderr: only on a terminal, and
   * not under `--quiet`. Warnings are written regardless. Absent means yes (in-process callers and tests).
   */
  readonly progress?: boolean;
  /** The command being run (`hrng` sets it), for the `hrng CMD: warning: …` prefix. */
  readonly command?: string;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    interactive: Boolean(process.stdin.isTTY),
    progress: Boolean(process.stderr.isTTY),
  };
}

/** Whether `io` wants progress lines (see `CliIo.progress`). */
export function wantsProgress(io: CliIo): boolean {
  return io.progress !== false;
}
