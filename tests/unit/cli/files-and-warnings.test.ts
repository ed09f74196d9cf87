/**
 * Files named on the command line fail with one line naming the option and the path; warnings that
 * protect the operator (the library's: a degraded generator, a PIN file others can read, a token about to
 * lock) are shown by default and under --quiet; progress goes only where it is wanted.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError, fileError } from '../../../cli/errors.js';
import { cliLogger, warningLogger } from '../../../cli/logger.js';
import { kdfProgress, readPassphraseFile } from '../../../cli/passphrase.js';
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
  it('the default logger writes warnings as one line each and drops debug, info and error records', () => {
    const t = makeIo();
    const log = warningLogger({ ...t.io, command: 'hsm' });
    log.debug({ a: 1 }, 'debug');
    log.info({ a: 1 }, 'info');
    log.error({ a: 1 }, 'error');
    log.warn({ token: 'val-1', left: 1, why: 'two words' }, 'token reports one PIN attempt left before it locks');
    expect(t.err()).toBe('hrng hsm: warning: token reports one PIN attempt left before it locks (token=val-1 left=1 why="two words")\n');
  });

  it('cliLogger: warnings by default (also with progress off, i.e. --quiet), pino JSON with HRNG_LOG_LEVEL', () => {
    const plain = makeIo();
    cliLogger({ ...plain.io, progress: false }).warn({ source: 'jitter' }, 'random generator degraded');
    expect(plain.err()).toBe('hrng: warning: random generator degraded (source=jitter)\n');
    const json = makeIo();
    cliLogger({ ...json.io, env: { HRNG_LOG_LEVEL: 'warn' } }).warn({ source: 'jitter' }, 'random generator degraded');
    expect(JSON.parse(json.err()) as object).toMatchObject({ level: 40, name: 'hrng', source: 'jitter', msg: 'random generator degraded' });
  });

  it('progress: one line per 25 % when wanted (absent means yes), none with progress off (not a TTY, or --quiet)', () => {
    const on = makeIo();
    const report = kdfProgress(on.io, 'encrypting');
    for (const f of [0, 0.1, 0.3, 0.5, 0.99, 1]) report(f);
    expect(on.err()).toBe('encrypting: 0%\nencrypting: 25%\nencrypting: 50%\nencrypting: 75%\nencrypting: 100%\n');
    const off = makeIo();
    kdfProgress({ ...off.io, progress: false }, 'encrypting')(1);
    expect(off.err()).toBe('');
  });
});
