/**
 * The shared argument parsing (cli/args.ts): node:util parseArgs errors as one line naming the option,
 * and whole numbers that say "missing --samples" rather than "must be a whole number, got ''".
 */
import { describe, expect, it } from 'vitest';
import { parseCount, parseOptions, usageErrorFromParseArgs } from '../../../cli/args.js';
import { CliError } from '../../../cli/errors.js';
import { caught } from '../../helpers/thrown.js';

const config = { options: { samples: { type: 'string', short: 's' }, json: { type: 'boolean' } }, allowPositionals: false } as const;

function message(fn: () => unknown): [string, string] {
  const err = caught(fn);
  if (!(err instanceof CliError)) return ['not a CliError', String(err)];
  return [err.code, err.message];
}

describe('parseOptions', () => {
  it.each([
    [['--samples', '-5'], "--samples: negative numbers are not accepted, got '-5'"],
    [['-s', '-5'], "-s: negative numbers are not accepted, got '-5'"],
    [['--samples', '--json'], "--samples needs a value; to give one starting with '-', write --samples=--json"],
    [['--samples'], 'missing value for --samples'],
    [['--json=yes'], '--json does not take a value'],
    [['--nope'], "unknown option '--nope'"],
    [['-7'], "negative numbers are not accepted, got '-7'"],
    [['extra'], "unexpected argument 'extra'"],
  ])('%j → %s', (args, expected) => {
    expect(message(() => parseOptions(args, config))).toEqual(['CLI_INVALID_ARGUMENT', expected]);
  });

  it('parses what is valid, including a negative value written --opt=-5', () => {
    expect(parseOptions(['--samples=-5', '--json'], config).values).toEqual({ samples: '-5', json: true });
  });

  it('leaves errors that are not parseArgs errors alone', () => {
    expect(usageErrorFromParseArgs(new Error('x'), [])).toBeUndefined();
    expect(usageErrorFromParseArgs(Object.assign(new Error('x'), { code: 'ENOENT' }), [])).toBeUndefined();
    expect(usageErrorFromParseArgs(null, [])).toBeUndefined();
  });
});

describe('parseCount', () => {
  it.each([
    [undefined, 'missing --samples (--samples must be a whole number from 1 to 100)'],
    ['', 'missing --samples (--samples must be a whole number from 1 to 100)'],
    ['-5', "--samples must be a whole number from 1 to 100, got '-5' (negative numbers are not accepted)"],
    ['abc', "--samples must be a whole number from 1 to 100, got 'abc'"],
    ['1.5', "--samples must be a whole number from 1 to 100, got '1.5'"],
    ['0', '--samples must be from 1 to 100, got 0'],
    ['101', '--samples must be from 1 to 100, got 101'],
    ['99999999999999999999', '--samples must be from 1 to 100, got 99999999999999999999'],
  ])('%j → %s', (text, expected) => {
    expect(message(() => parseCount(text, '--samples', 1, 100))).toEqual(['CLI_INVALID_ARGUMENT', expected]);
  });

  it('accepts the bounds', () => {
    expect([parseCount('1', 'N', 1, 100), parseCount('100', 'N', 1, 100), parseCount('007', 'N', 1, 100)]).toEqual([1, 100, 7]);
  });
});
