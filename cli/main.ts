/**
 * `hrng`: dispatch to a subcommand and turn every failure into a one-line message and an exit status.
 *
 * Handled here, once, for every command in commands/index.ts (those that exist now and any added later):
 * `hrng --version`; `hrng help [CMD]`, `hrng CMD --help` / `-h`; the global `--quiet` / `-q` (no
 * progress lines; warnings are still shown); and the mapping of errors to exit statuses (command.ts):
 * usage errors and Node's `ERR_PARSE_ARGS_*` → 2 with a one-line message naming the argument,
 * double-sign refusals → 3, any other error → 1 as `hrng CMD: CODE: message` on one line.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HardenedRngError } from '../crypto/index.js';
import { usageErrorFromParseArgs } from './args.js';
import { COMMON_EXIT_STATUSES, EXIT_FAILED, EXIT_OK, EXIT_REFUSED, EXIT_USAGE, type Command } from './command.js';
import { commands } from './commands/index.js';
import { isSystemError, isUsageError, systemErrorReason } from './errors.js';
import type { CliIo } from './io.js';

/** Error codes that mean "refused by the double-sign guard" (exit 3), whichever command met them. */
const REFUSAL_CODES: ReadonlySet<string> = new Set(['GUARD_DOUBLE_SIGN', 'GUARD_REGRESSION']);

const HELP_FLAGS: ReadonlySet<string> = new Set(['--help', '-h']);
const QUIET_FLAGS: ReadonlySet<string> = new Set(['--quiet', '-q']);
const VERSION_FLAGS: ReadonlySet<string> = new Set(['--version', '-V']);

/** The version in package.json: two levels up from dist/cli/main.js, one from cli/main.ts. */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++, dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'hardened-rng' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not here; look one directory up
    }
  }
  return 'unknown';
}

function exitStatusLines(statuses: readonly (readonly [number, string])[]): string[] {
  return statuses.map(([code, meaning]) => `  ${code}  ${meaning}`);
}

/** Every exit status: the shared ones, then each command's own. */
function allExitStatuses(): (readonly [number, string])[] {
  const own = commands.flatMap((c) => (c.exitStatuses ?? []).map(([code, meaning]) => [code, `hrng ${c.name}: ${meaning}`] as const));
  return [...COMMON_EXIT_STATUSES, ...own];
}

export function helpText(): string {
  const width = Math.max(0, ...commands.map((c) => c.name.length));
  return (
    [
      'usage: hrng <command> [options]',
      "       hrng help <command> | hrng <command> --help   a command's options",
      '       hrng --version',
      '',
      'commands:',
      ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
      '',
      'global options:',
      '  -q, --quiet   no progress lines on stderr (warnings are still shown)',
      '',
      'exit status:',
      ...exitStatusLines(allExitStatuses()),
      '',
      'environment: HRNG_LOG_LEVEL=debug|info|warn|error writes structured JSON logs to stderr',
    ].join('\n') + '\n'
  );
}

export function commandHelp(command: Command): string {
  const statuses = [...COMMON_EXIT_STATUSES, ...(command.exitStatuses ?? [])];
  return [command.usage, '', 'exit status:', ...exitStatusLines(statuses)].join('\n') + '\n';
}

function find(name: string): Command | undefined {
  return commands.find((c) => c.name === name);
}

/** The arguments before a `--` terminator: where flags handled here are looked for. */
function beforeTerminator(args: readonly string[]): readonly string[] {
  const end = args.indexOf('--');
  return end < 0 ? args : args.slice(0, end);
}

/** Error text on one line: a message with line breaks would split a log record in two. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, '; ').trim();
}

/**
 * node:fs leaves the path out of EISDIR from `readFile` on a directory. When exactly one of the
 * command's arguments is a directory, that is the path the command tried to read as a file.
 */
function directoryArgument(err: NodeJS.ErrnoException, args: readonly string[]): string | undefined {
  if (err.code !== 'EISDIR') return undefined;
  const dirs = [...new Set(args.flatMap((a) => (a.startsWith('--') && a.includes('=') ? [a.slice(a.indexOf('=') + 1)] : [a])))].filter(
    (a) => {
      try {
        return !a.startsWith('-') && statSync(a).isDirectory();
      } catch {
        return false;
      }
    },
  );
  return dirs.length === 1 ? dirs[0] : undefined;
}

/** What a command's failure says, on one line, and the exit status it maps to. */
export function describeFailure(err: unknown, name: string, args: readonly string[]): { line: string; status: number } {
  const usage = isUsageError(err) ? err : usageErrorFromParseArgs(err, args);
  if (usage) return { line: `hrng ${name}: ${oneLine(usage.message)} (see 'hrng help ${name}')`, status: EXIT_USAGE };
  if (err instanceof HardenedRngError) {
    return { line: `hrng ${name}: ${err.code}: ${oneLine(err.message)}`, status: REFUSAL_CODES.has(err.code) ? EXIT_REFUSED : EXIT_FAILED };
  }
  if (isSystemError(err)) {
    const path = err.path ?? directoryArgument(err, args);
    const where = path === undefined ? err.syscall : `${err.syscall} ${path}`;
    return { line: `hrng ${name}: ${where}: ${systemErrorReason(err)}`, status: EXIT_FAILED };
  }
  return { line: `hrng ${name}: ${oneLine(err instanceof Error ? err.message : String(err))}`, status: EXIT_FAILED };
}

/** `hrng help [TOPIC]`. */
function help(topic: string | undefined, io: CliIo): number {
  if (topic === undefined) {
    io.stdout.write(helpText());
    return EXIT_OK;
  }
  const command = find(topic);
  if (!command) {
    io.stderr.write(`hrng help: unknown command '${topic}' (try 'hrng help')\n`);
    return EXIT_USAGE;
  }
  io.stdout.write(commandHelp(command));
  return EXIT_OK;
}

/**
 * The global options, wherever they stand before a `--`: `--quiet` / `-q` turns progress off in the io
 * the command gets. It is taken out of the arguments, except after the name of a command whose usage
 * documents `--quiet` itself (that command parses it, e.g. `hrng keygen --quiet`).
 */
export function applyGlobalOptions(argv: readonly string[], io: CliIo): { args: readonly string[]; io: CliIo } {
  const flags = beforeTerminator(argv);
  if (!flags.some((a) => QUIET_FLAGS.has(a))) return { args: argv, io };
  const nameAt = flags.findIndex((a) => !QUIET_FLAGS.has(a));
  const own = nameAt >= 0 && (find(flags[nameAt] as string)?.usage.includes('--quiet') ?? false);
  const args = argv.filter((a, i) => i >= flags.length || !QUIET_FLAGS.has(a) || (own && i > nameAt));
  return { args, io: { ...io, progress: false } };
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { args, io: cliIo } = applyGlobalOptions(argv, io);
  const [name, ...rest] = args;
  if (name === undefined || name === 'help' || HELP_FLAGS.has(name)) return help(name === 'help' ? rest[0] : undefined, cliIo);
  if (VERSION_FLAGS.has(name) || name === 'version') {
    io.stdout.write(`hrng ${packageVersion()}\n`);
    return EXIT_OK;
  }
  const command = find(name);
  if (!command) {
    io.stderr.write(`hrng: unknown command '${name}' (try 'hrng help')\n`);
    return EXIT_USAGE;
  }
  if (beforeTerminator(rest).some((a) => HELP_FLAGS.has(a))) {
    io.stdout.write(commandHelp(command));
    return EXIT_OK;
  }
  try {
    return await command.run(rest, { ...cliIo, command: name });
  } catch (err) {
    const { line, status } = describeFailure(err, name, rest);
    io.stderr.write(line + '\n');
    return status;
  }
}
