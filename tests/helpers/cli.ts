import { PassThrough } from 'node:stream';
import type { CliIo } from '../../cli/io.js';
import { run } from '../../cli/main.js';

export interface RunResult {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** CLI streams that collect stdout and stderr as text; `stdin` is ended with the given text if there is one. */
export function makeIo(opts: { interactive?: boolean; stdin?: string } = {}): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (c: Buffer) => (o += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (e += c.toString('utf8')));
  if (opts.stdin !== undefined) stdin.end(opts.stdin);
  return { io: { stdout, stderr, stdin, env: {}, interactive: opts.interactive ?? false }, out: () => o, err: () => e };
}

/** Runs `hrng argv…` in-process with PassThrough streams and collects what it wrote. */
export async function hrng(argv: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<RunResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const io: CliIo = { stdout, stderr, stdin: new PassThrough(), env, interactive: false };
  const code = await run(argv, io);
  return { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') };
}
