/**
 * Runs `hrng` in-process (cli/main.ts's `run`) with captured stdout/stderr, no stdin and exactly the
 * environment given — so a test decides which HRNG_PKCS11_* variables the command sees.
 */
import { PassThrough, Writable } from 'node:stream';
import type { CliIo } from '../../../cli/io.js';
import { run } from '../../../cli/main.js';
import type { TestToken } from './tokens.js';

export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function sink(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

export async function hrng(argv: string[], env: Record<string, string | undefined>): Promise<Ran> {
  const out = sink();
  const err = sink();
  const io: CliIo = { stdout: out.stream, stderr: err.stream, stdin: new PassThrough(), env, interactive: false };
  const code = await run(argv, io);
  return { code, stdout: out.text(), stderr: err.text() };
}

/** The environment that points `hrng` at the SoftHSM2 test token, the PIN in a file. */
export function softhsmCliEnv(token: TestToken): Record<string, string | undefined> {
  return {
    SOFTHSM2_CONF: process.env['SOFTHSM2_CONF'],
    HRNG_PKCS11_LIBRARY: token.module,
    HRNG_PKCS11_TOKEN: token.label,
    HRNG_PKCS11_PIN_FILE: token.pinFile,
  };
}

export const fromHex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));
