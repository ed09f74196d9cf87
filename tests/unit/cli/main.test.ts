/**
 * What `hrng` does for every command, centrally in cli/main.ts: --version, help in both spellings for
 * each command in commands/index.ts (so a command added later is covered without a new test), unknown
 * commands and help topics (exit 2), the exit statuses in the help text, --quiet, and one-line failures.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../cli/commands/index.js';
import { HardenedRngError } from '../../../crypto/index.js';
import { applyGlobalOptions, commandHelp, describeFailure, packageVersion, run } from '../../../cli/main.js';
import { CliUsageError } from '../../../cli/errors.js';
import { hrng, makeIo } from '../../helpers/cli.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

describe('hrng (the dispatcher)', () => {
  it.each([['--version'], ['-V'], ['version']])('%s prints the version in package.json', async (flag) => {
    const r = await hrng([flag]);
    expect([r.code, r.stdout.toString(), r.stderr]).toEqual([0, `hrng ${pkg.version}\n`, '']);
    expect(packageVersion()).toBe(pkg.version);
  });

  it('every command answers CMD --help, CMD -h and help CMD with its usage and the exit statuses, exit 0', async () => {
    expect(commands.length).toBeGreaterThanOrEqual(9);
    for (const c of commands) {
      const expected = commandHelp(c);
      expect(expected.startsWith(c.usage)).toBe(true);
      expect(expected).toMatch(/^exit status:\n {2}0 {2}success\n {2}1 {2}.*\n {2}2 {2}.*\n {2}3 {2}/m);
      for (const argv of [
        [c.name, '--help'],
        [c.name, '-h'],
        ['help', c.name],
        [c.name, 'x', '--help'],
      ]) {
        const r = await hrng(argv);
        expect([argv, r.code, r.stdout.toString(), r.stderr]).toEqual([argv, 0, expected, '']);
      }
    }
  });

  it('--help after a -- terminator is an argument, not a request for help', async () => {
    const r = await hrng(['bytes', '--', '--help']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hrng bytes: N must be a whole number from 0 to \d+, got '--help' \(see 'hrng help bytes'\)\n$/);
  });

  it('hrng help NOSUCH and hrng NOSUCH exit 2 with one line on stderr', async () => {
    const topic = await hrng(['help', 'nosuch']);
    expect([topic.code, topic.stdout.length, topic.stderr]).toEqual([2, 0, "hrng help: unknown command 'nosuch' (try 'hrng help')\n"]);
    const cmd = await hrng(['nosuch']);
    expect([cmd.code, cmd.stderr]).toEqual([2, "hrng: unknown command 'nosuch' (try 'hrng help')\n"]);
  });

  it('hrng help lists every command and every exit status, 0 to 5', async () => {
    for (const argv of [[], ['help'], ['--help'], ['-h']]) {
      const r = await hrng(argv);
      expect(r.code).toBe(0);
      const text = r.stdout.toString();
      for (const c of commands)
        expect(text).toMatch(new RegExp(`^ {2}${c.name} +${c.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
      const statuses = [...text.slice(text.indexOf('exit status:')).matchAll(/^ {2}(\d) {2}/gm)].map((m) => Number(m[1]));
      expect(statuses).toEqual([0, 1, 2, 3, 4, 5]);
      expect(text).toMatch(/^ {2}-q, --quiet +no progress lines on stderr \(warnings are still shown\)$/m);
    }
  });

  it('--quiet / -q anywhere before -- turns progress off and is not passed to the command', () => {
    const { io } = makeIo();
    expect(applyGlobalOptions(['bytes', '4'], io)).toEqual({ args: ['bytes', '4'], io });
    for (const argv of [
      ['--quiet', 'bytes', '4'],
      ['bytes', '-q', '4'],
      ['bytes', '4', '--quiet'],
    ]) {
      const got = applyGlobalOptions(argv, io);
      expect([got.args, got.io.progress, got.io.stdout === io.stdout]).toEqual([['bytes', '4'], false, true]);
    }
    expect(applyGlobalOptions(['stream', '--', '--quiet'], io).args).toEqual(['stream', '--', '--quiet']);
  });

  it('--quiet after a command whose usage documents --quiet is left for that command to parse', () => {
    const { io } = makeIo();
    const own = commands.find((c) => c.usage.includes('--quiet'));
    const other = commands.find((c) => !c.usage.includes('--quiet')) as (typeof commands)[number];
    expect(applyGlobalOptions([other.name, '--quiet'], io).args).toEqual([other.name]);
    if (own !== undefined) {
      const got = applyGlobalOptions(['-q', own.name, '--quiet'], io);
      expect([got.args, got.io.progress]).toEqual([[own.name, '--quiet'], false]);
    }
  });

  it('the command gets its name in the io (for the "hrng CMD: warning:" prefix)', async () => {
    const { io } = makeIo();
    let seen: string | undefined;
    const probe = { name: 'probe-io', summary: '', usage: '', run: async (_a: readonly string[], i: typeof io) => ((seen = i.command), 0) };
    (commands as (typeof probe)[]).push(probe);
    try {
      const t = makeIo();
      expect(await run(['probe-io'], t.io)).toBe(0);
      expect(seen).toBe('probe-io');
    } finally {
      (commands as (typeof probe)[]).pop();
    }
  });

  it('hrng --quiet bytes 4 still works', async () => {
    const r = await hrng(['--quiet', 'bytes', '4']);
    expect([r.code, r.stdout.toString()]).toEqual([0, expect.stringMatching(/^[0-9a-f]{8}\n$/)]);
  });

  it('failures map to one line and an exit status', () => {
    const eisdir = Object.assign(new Error('EISDIR: illegal operation on a directory, read'), {
      code: 'EISDIR',
      errno: -21,
      syscall: 'read',
    });
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open '/x/y'"), {
      code: 'ENOENT',
      errno: -2,
      syscall: 'open',
      path: '/x/y',
    });
    const ambiguous = Object.assign(
      new Error("Option '--samples' argument is ambiguous.\nDid you forget to specify the option argument for '--samples'?"),
      {
        code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE',
      },
    );
    const cases: [unknown, number, string][] = [
      [new CliUsageError('missing --out'), 2, "hrng x: missing --out (see 'hrng help x')"],
      [ambiguous, 2, "hrng x: --samples: negative numbers are not accepted, got '-5' (see 'hrng help x')"],
      [new HardenedRngError('GUARD_DOUBLE_SIGN', 'refused: already signed'), 3, 'hrng x: GUARD_DOUBLE_SIGN: refused: already signed'],
      [new HardenedRngError('GUARD_REGRESSION', 'refused: below'), 3, 'hrng x: GUARD_REGRESSION: refused: below'],
      [new HardenedRngError('RNG_FAILED', 'two\nlines'), 1, 'hrng x: RNG_FAILED: two; lines'],
      [eisdir, 1, 'hrng x: read: is a directory, not a file (EISDIR)'],
      [enoent, 1, 'hrng x: open /x/y: no such file or directory (ENOENT)'],
      [new Error('plain\n  text'), 1, 'hrng x: plain; text'],
      ['a string', 1, 'hrng x: a string'],
    ];
    for (const [err, status, line] of cases) expect(describeFailure(err, 'x', ['--samples', '-5'])).toEqual({ status, line });
  });

  it('EISDIR without a path names the one argument that is a directory', () => {
    const eisdir = Object.assign(new Error('EISDIR: illegal operation on a directory, read'), {
      code: 'EISDIR',
      errno: -21,
      syscall: 'read',
    });
    const dir = tmpdir();
    expect(describeFailure(eisdir, 'sign', ['--key', dir, '--height', '1']).line).toBe(
      `hrng sign: read ${dir}: is a directory, not a file (EISDIR)`,
    );
    expect(describeFailure(eisdir, 'sign', [`--key=${dir}`]).line).toBe(`hrng sign: read ${dir}: is a directory, not a file (EISDIR)`);
    expect(describeFailure(eisdir, 'sign', ['--key', dir, '--out', '.']).line).toBe('hrng sign: read: is a directory, not a file (EISDIR)');
  });

  it('the README lists the same exit statuses as hrng help', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const rows = [...readme.matchAll(/^\| (\d) \| (.+) \|$/gm)].map((m) => Number(m[1]));
    const help = (await hrng(['help'])).stdout.toString();
    const listed = [...help.slice(help.indexOf('exit status:')).matchAll(/^ {2}(\d) {2}/gm)].map((m) => Number(m[1]));
    expect(rows).toEqual(listed);
  });

  it('a command that calls node:util parseArgs itself gets the same one-line messages (probe)', async () => {
    const r = await hrng(['probe', 'jitter', '--samples', '-5', '--out', 'x']);
    expect([r.code, r.stderr]).toEqual([2, "hrng probe: --samples: negative numbers are not accepted, got '-5' (see 'hrng help probe')\n"]);
    const missing = await hrng(['probe', 'jitter', '--out']);
    expect([missing.code, missing.stderr]).toEqual([2, "hrng probe: missing value for --out (see 'hrng help probe')\n"]);
  });
});
