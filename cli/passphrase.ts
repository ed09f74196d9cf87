/**
 * Passphrases for keystores (EIP-2335 treats them as bytes; so do we): from a file, or typed at a
 * terminal with echo off — never from an argument, where `ps` and shell history would see it. Bytes stay
 * in Uint8Arrays and are never decoded to strings; the caller zeroes the result after use.
 */
import { readFile } from 'node:fs/promises';
import { ct } from '../crypto/index.js';
import { CliUsageError, fileError } from './errors.js';
import { wantsProgress, type CliIo } from './io.js';

export interface PassphraseOptions {
  /** Path given with --passphrase-file. */
  readonly file?: string | undefined;
  /** Ask twice and require both to match (when creating a keystore). */
  readonly confirm?: boolean;
}

/**
 * The file's bytes without one trailing newline (LF or CRLF), which editors add. A file that cannot be
 * read fails with one line naming it (`--passphrase-file /x: is a directory, not a file (EISDIR)`). The
 * warning for a file that group or others can read is the command's (cli/file-permissions.ts).
 */
export async function readPassphraseFile(path: string): Promise<Uint8Array> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    throw fileError(err, path, '--passphrase-file');
  }
  let end = buf.length;
  if (end > 0 && buf[end - 1] === 0x0a) end--;
  if (end > 0 && buf[end - 1] === 0x0d) end--;
  const out = new Uint8Array(end);
  out.set(buf.subarray(0, end));
  buf.fill(0);
  if (out.length === 0) throw new CliUsageError(`--passphrase-file ${path} is empty`);
  return out;
}

interface RawModeStream {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

/**
 * Reads one line of bytes per prompt from stdin with echo off (raw mode on a TTY), handling backspace
 * and Ctrl-C. All lines are read in one listening session so bytes typed ahead are not lost.
 */
async function promptLines(io: CliIo, prompts: readonly string[]): Promise<Uint8Array[]> {
  const stdin = io.stdin as NodeJS.ReadableStream & RawModeStream;
  const raw = stdin.isTTY === true && typeof stdin.setRawMode === 'function';
  if (raw) stdin.setRawMode?.(true);
  const lines: Uint8Array[] = [];
  let buf = new Uint8Array(64);
  let len = 0;
  io.stderr.write(prompts[0] ?? '');
  try {
    return await new Promise<Uint8Array[]>((resolve, reject) => {
      let done = false;
      const finish = (err?: Error): void => {
        done = true;
        stdin.removeListener('data', onData);
        stdin.removeListener('end', onEnd);
        stdin.pause();
        if (err) reject(err);
        else resolve(lines);
      };
      const endLine = (): void => {
        lines.push(buf.slice(0, len));
        buf.fill(0);
        len = 0;
        io.stderr.write('\n');
        if (lines.length === prompts.length) finish();
        else io.stderr.write(prompts[lines.length] ?? '');
      };
      const onEnd = (): void => {
        if (len > 0) endLine();
        if (!done) finish(new CliUsageError('stdin ended before the passphrase was entered'));
      };
      const onData = (chunk: Uint8Array | string): void => {
        const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
        try {
          for (const b of bytes) {
            if (done) return;
            if (b === 0x0a || b === 0x0d) {
              endLine();
              continue;
            }
            if (b === 0x03) return finish(new CliUsageError('passphrase entry interrupted'));
            if (b === 0x7f || b === 0x08) {
              if (len > 0) buf[--len] = 0;
              continue;
            }
            if (len === buf.length) {
              const bigger = new Uint8Array(buf.length * 2);
              bigger.set(buf);
              buf.fill(0);
              buf = bigger;
            }
            buf[len++] = b;
          }
        } finally {
          bytes.fill(0);
        }
      };
      stdin.on('data', onData);
      stdin.on('end', onEnd);
      stdin.resume();
    });
  } catch (err) {
    for (const l of lines) l.fill(0);
    throw err;
  } finally {
    buf.fill(0);
    if (raw) stdin.setRawMode?.(false);
  }
}

export async function readPassphrase(io: CliIo, opts: PassphraseOptions): Promise<Uint8Array> {
  if (opts.file !== undefined) return readPassphraseFile(opts.file);
  if (!io.interactive) throw new CliUsageError('--passphrase-file is required when stdin is not a terminal');
  const confirm = opts.confirm === true;
  const [first, second] = await promptLines(io, confirm ? ['passphrase: ', 'passphrase (again): '] : ['passphrase: ']);
  if (first === undefined || first.length === 0) {
    second?.fill(0);
    throw new CliUsageError('empty passphrase');
  }
  if (confirm) {
    const same = second !== undefined && ct.equal(first, second);
    second?.fill(0);
    if (!same) {
      first.fill(0);
      throw new CliUsageError('the passphrases do not match');
    }
  }
  return first;
}

/**
 * A KDF progress reporter for stderr: one line per 25 %, so logs stay short; nothing when the io wants
 * no progress (stderr is not a terminal, or `--quiet`).
 */
export function kdfProgress(io: CliIo, what: string): (fraction: number) => void {
  let shown = -1;
  if (!wantsProgress(io)) return () => {};
  return (fraction) => {
    const step = Math.floor(fraction * 4);
    if (step > shown) {
      shown = step;
      io.stderr.write(`${what}: ${step * 25}%\n`);
    }
  };
}
