/**
 * Files named on the command line fail with one line naming the option and the path; warnings that
 * protect the operator (a passphrase file others can read) are shown by default and under --quiet;
 * progress goes only where it is wanted.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError, fileError } from '../../../cli/errors.js';
import { groupOrOtherCanAccess, warnIfGroupOrOtherReadable } from '../../../cli/file-permissions.js';
import { cliLogger, warningLogger } from '../../../cli/logger.js';
import { kdfProgress, readPassphrase, readPassphraseFile } from '../../../cli/passphrase.js';
import { makeIo } from '../../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hrng-cli-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rejection(p: Promise<unknown>): Promise<[string, string]> {
  try {
    await p;
    return ['resolved', ''];
  } catch (err) {
    return err instanceof CliError ? [err.code, err.message] : ['not a CliError', String(err)];
  }
}

describe('files named on the command line', () => {
  it('a directory, a missing file, an empty file: one line naming --passphrase-file and the path', async () => {
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n', { mode: 0o600 });
    expect(await rejection(readPassphraseFile(dir))).toEqual([
      'CLI_FILE_UNREADABLE',
      `--passphrase-file ${dir}: is a directory, not a file (EISDIR)`,
    ]);
    expect(await rejection(readPassphraseFile(join(dir, 'nope')))).toEqual([
      'CLI_FILE_UNREADABLE',
      `--passphrase-file ${join(dir, 'nope')}: no such file or directory (ENOENT)`,
    ]);
    expect(await rejection(readPassphraseFile(empty))).toEqual(['CLI_INVALID_ARGUMENT', `--passphrase-file ${empty} is empty`]);
  });

  it('fileError passes other errors through and names writes as unwritable', () => {
    const other = new Error('x');
    expect(fileError(other, '/p', '--out')).toBe(other);
    const eacces = Object.assign(new Error('EACCES'), { code: 'EACCES', syscall: 'open' });
    const err = fileError(eacces, '/p', '--out', 'write') as CliError;
    expect([err.code, err.message, err.cause]).toEqual(['CLI_FILE_UNWRITABLE', '--out /p: permission denied (EACCES)', eacces]);
  });
});

describe('warnings that protect the operator', () => {
  it('a passphrase file readable by group or others warns by default, one line, and is still read', async () => {
    const file = join(dir, 'pass-open');
    writeFileSync(file, 'correct horse\n');
    chmodSync(file, 0o644);
    const t = makeIo();
    const bytes = await readPassphrase(t.io, { file });
    expect(new TextDecoder().decode(bytes)).toBe('correct horse');
    expect(t.err()).toBe(`hrng: warning: --passphrase-file ${file} is readable by group or others (mode 0644); chmod 600 it\n`);
  });

  it('a file only its owner can read, or one that does not exist, gives no warning', () => {
    const file = join(dir, 'pass-closed');
    writeFileSync(file, 'x', { mode: 0o600 });
    chmodSync(file, 0o600);
    const t = makeIo();
    expect([
      warnIfGroupOrOtherReadable(file, '--passphrase-file', t.io),
      warnIfGroupOrOtherReadable(join(dir, 'none'), 'x', t.io),
      t.err(),
    ]).toEqual([false, false, '']);
  });

  it.each([
    [0o600, false],
    [0o400, false],
    [0o640, true],
    [0o604, true],
    [0o620, true],
    [0o601, true],
  ])('mode %o: group or other access %s', (mode, expected) => {
    expect(groupOrOtherCanAccess(mode)).toBe(expected);
  });

  it('the default logger writes warnings as one line each and drops debug, info and error records', () => {
    const t = makeIo();
    const log = warningLogger(t.io);
    log.debug({ a: 1 }, 'debug');
    log.info({ a: 1 }, 'info');
    log.error({ a: 1 }, 'error');
    log.warn({ token: 'val-1', left: 1, why: 'two words' }, 'token reports one PIN attempt left before it locks');
    expect(t.err()).toBe('hrng: warning: token reports one PIN attempt left before it locks (token=val-1 left=1 why="two words")\n');
  });

  it('cliLogger: warnings by default, pino JSON with HRNG_LOG_LEVEL', () => {
    const plain = makeIo();
    cliLogger(plain.io).warn({ source: 'jitter' }, 'random generator degraded');
    expect(plain.err()).toBe('hrng: warning: random generator degraded (source=jitter)\n');
    const json = makeIo();
    cliLogger({ ...json.io, env: { HRNG_LOG_LEVEL: 'warn' } }).warn({ source: 'jitter' }, 'random generator degraded');
    expect(JSON.parse(json.err()) as object).toMatchObject({ level: 40, name: 'hrng', source: 'jitter', msg: 'random generator degraded' });
  });

  it('under --quiet (progress off) warnings are still written, progress lines are not', async () => {
    const file = join(dir, 'pass-quiet');
    writeFileSync(file, 'p');
    chmodSync(file, 0o640);
    const t = makeIo();
    const quiet = { ...t.io, progress: false };
    await readPassphrase(quiet, { file });
    const report = kdfProgress(quiet, 'encrypting');
    report(0.5);
    report(1);
    expect(t.err()).toBe(`hrng: warning: --passphrase-file ${file} is readable by group or others (mode 0640); chmod 600 it\n`);
  });

  it('progress: one line per 25 % when wanted (absent means yes), none when not (stderr not a TTY)', () => {
    const on = makeIo();
    const report = kdfProgress(on.io, 'encrypting');
    for (const f of [0, 0.1, 0.3, 0.5, 0.99, 1]) report(f);
    expect(on.err()).toBe('encrypting: 0%\nencrypting: 25%\nencrypting: 50%\nencrypting: 75%\nencrypting: 100%\n');
    const off = makeIo();
    kdfProgress({ ...off.io, progress: false }, 'encrypting')(1);
    expect(off.err()).toBe('');
  });
});
