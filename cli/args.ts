/**
 * Argument parsing shared by every `hrng` command: node:util `parseArgs` with its errors turned into
 * one-line usage errors that name the option ("missing value for --out", "--samples: negative numbers
 * are not accepted, got '-5'") instead of Node's multi-line text, and whole-number arguments.
 *
 * Commands that call `parseArgs` themselves still get the same messages: `hrng`'s dispatcher passes any
 * `ERR_PARSE_ARGS_*` error through `usageErrorFromParseArgs`.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliUsageError } from './errors.js';

/** `parseArgs` in strict mode over `args`, throwing CliUsageError with a one-line message. */
export function parseOptions<T extends Omit<ParseArgsConfig, 'args' | 'strict'>>(
  args: readonly string[],
  config: T,
): ReturnType<typeof parseArgs<T & { strict: true }>> {
  try {
    return parseArgs<T & { strict: true }>({ ...config, args: [...args], strict: true });
  } catch (err) {
    throw usageErrorFromParseArgs(err, args) ?? err;
  }
}

const NEGATIVE = /^-[0-9]/;

/** The long option a parseArgs message names: "Option '-s, --samples <value>' …" → "--samples". */
function optionIn(message: string): string | undefined {
  const m = /^Option '(?:-[^,' ]+, )?(-{1,2}[^' <]+)/.exec(message);
  return m?.[1];
}

/** The token after `option` in `args` (its value), if any. */
function valueAfter(args: readonly string[], option: string): string | undefined {
  const i = args.indexOf(option);
  return i >= 0 ? args[i + 1] : undefined;
}

/**
 * A parseArgs failure (`ERR_PARSE_ARGS_*`) as a one-line usage error; undefined for anything else.
 * `args` are the arguments that were parsed, to name the value Node's message leaves out.
 */
export function usageErrorFromParseArgs(err: unknown, args: readonly string[]): CliUsageError | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS') || !(err instanceof Error)) return undefined;
  const first = err.message.split('\n')[0] ?? '';
  const quoted = /'([^']*)'/.exec(first)?.[1] ?? '';
  const option = optionIn(first);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return new CliUsageError(NEGATIVE.test(quoted) ? `negative numbers are not accepted, got '${quoted}'` : `unknown option '${quoted}'`);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return new CliUsageError(`unexpected argument '${quoted}'`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option !== undefined) {
    if (first.endsWith('argument missing')) return new CliUsageError(`missing value for ${option}`);
    if (first.endsWith('does not take an argument')) return new CliUsageError(`${option} does not take a value`);
    if (first.includes('ambiguous')) {
      const value = valueAfter(args, option) ?? '';
      return new CliUsageError(
        NEGATIVE.test(value)
          ? `${option}: negative numbers are not accepted, got '${value}'`
          : `${option} needs a value; to give one starting with '-', write ${option}=${value}`,
      );
    }
  }
  return new CliUsageError(first.replace(/\.$/, ''));
}

/**
 * A decimal whole-number argument within [min, max], or a usage error naming it: "missing --samples",
 * "N must be a whole number from 0 to 1073741824, got 'abc'".
 */
export function parseCount(text: string | undefined, what: string, min: number, max: number): number {
  const range = `${what} must be a whole number from ${min} to ${max}`;
  if (text === undefined || text === '') throw new CliUsageError(`missing ${what} (${range})`);
  if (NEGATIVE.test(text)) throw new CliUsageError(`${range}, got '${text}' (negative numbers are not accepted)`);
  if (!/^[0-9]+$/.test(text)) throw new CliUsageError(`${range}, got '${text}'`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new CliUsageError(`${what} must be from ${min} to ${max}, got ${text}`);
  return n;
}
