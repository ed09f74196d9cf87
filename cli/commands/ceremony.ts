/**
 * `hrng ceremony`: a contribution secret for a multi-party ceremony (server/ceremony.ts), drawn from a
 * freshly created, health-checked Rng, optionally mixed with text typed at a prompt (never echoed, never
 * taken from argv). Written to a new 0600 file with --out (refused if it exists), or printed on stdout.
 * Before anything is handed out its hash goes into the commitment log (--log, default
 * ~/.hrng/ceremony-commitments.jsonl); a hash already there is refused. The transcript (--transcript FILE,
 * or stderr as JSON) records sources, credits, health and the hash — never the secret.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../../crypto/fs/index.js';
import { Rng } from '../../crypto/index.js';
import {
  CEREMONY_FORMATS,
  CommitmentLog,
  contributionHash,
  drawContribution,
  formatContribution,
  transcript,
  type CeremonyFormat,
} from '../../server/index.js';
import { CliUsageError, EXIT_OK, type Command } from '../command.js';
import type { CliIo } from '../io.js';
import { cliLogger } from '../logger.js';
import { selectSources } from '../sources.js';

const MAX_INPUT = 4096;

/**
 * One line typed at the terminal with echo off (raw mode, nothing written back), or read from a pipe
 * when stdin is not a terminal. Bytes only; the caller zeroes them.
 */
export async function promptHidden(io: CliIo, prompt: string): Promise<Uint8Array> {
  const stdin = io.stdin as NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => void };
  const raw = io.interactive && typeof stdin.setRawMode === 'function';
  io.stderr.write(prompt);
  if (raw) stdin.setRawMode?.(true);
  const buf = new Uint8Array(MAX_INPUT);
  let n = 0;
  try {
    return await new Promise<Uint8Array>((resolve, reject) => {
      const finish = (): void => {
        stdin.off('data', onData);
        stdin.off('end', finish);
        io.stderr.write('\n');
        resolve(buf.slice(0, n));
      };
      const onData = (chunk: Buffer | string): void => {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        for (const b of bytes) {
          if (b === 0x0a || b === 0x0d) {
            finish();
            return;
          }
          if (b === 0x03) {
            stdin.off('data', onData);
            reject(new CliUsageError('cancelled'));
            return;
          }
          if (b === 0x7f || b === 0x08) n = Math.max(0, n - 1);
          else if (n < MAX_INPUT) buf[n++] = b;
        }
        bytes.fill(0);
      };
      stdin.on('data', onData);
      stdin.once('end', finish);
      stdin.resume();
    });
  } finally {
    buf.fill(0);
    if (raw) stdin.setRawMode?.(false);
    stdin.pause();
  }
}

async function ceremony(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      format: { type: 'string', default: 'snarkjs' },
      out: { type: 'string' },
      log: { type: 'string' },
      transcript: { type: 'string' },
      'operator-input': { type: 'boolean', default: false },
      source: { type: 'string', multiple: true },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0)
    throw new CliUsageError('hrng ceremony takes no arguments (operator input is typed at a prompt, never given in argv)');
  const format = values.format as CeremonyFormat;
  if (!(CEREMONY_FORMATS as readonly string[]).includes(format))
    throw new CliUsageError(`--format must be one of ${CEREMONY_FORMATS.join(', ')}`);
  if (values.out !== undefined && existsSync(values.out))
    throw new CliUsageError(`--out ${values.out} exists; a contribution is only ever written to a new file`);
  const logPath = values.log ?? join(io.env.HOME ?? homedir(), '.hrng', 'ceremony-commitments.jsonl');
  mkdirSync(dirname(logPath), { recursive: true, mode: 0o700 });
  const log = new CommitmentLog(logPath);
  log.records(); // a malformed log is refused before any secret exists
  const input = values['operator-input'] ? await promptHidden(io, 'extra entropy (typed text, not echoed; Enter to finish): ') : undefined;
  const selected = await selectSources(values.source, io);
  try {
    const rng = await Rng.create({ sources: selected.sources, logger: cliLogger(io) });
    try {
      const secret = drawContribution(rng, input);
      input?.fill(0);
      try {
        const hash = contributionHash(secret);
        const now = new Date();
        const text = formatContribution(secret, format);
        log.commit(hash, format, now);
        const t = transcript({ health: rng.health(), hash, format, operatorInput: input !== undefined, now });
        if (values.out !== undefined) {
          await writeFileAtomic(values.out, new TextEncoder().encode(text + '\n'), { mode: 0o600, noClobber: true });
        }
        if (values.transcript !== undefined)
          await writeFileAtomic(values.transcript, new TextEncoder().encode(JSON.stringify(t, null, 2) + '\n'), {
            mode: 0o644,
            noClobber: true,
          });
        else io.stderr.write(JSON.stringify(t) + '\n');
        if (values.out === undefined) io.stdout.write(text + '\n');
        else io.stdout.write(`wrote the contribution to ${values.out} (mode 0600); hash ${hash}\n`);
        return EXIT_OK;
      } finally {
        secret.fill(0);
      }
    } finally {
      rng.destroy();
    }
  } finally {
    await selected.close();
  }
}

export const ceremonyCommand: Command = {
  name: 'ceremony',
  summary: 'contribution entropy for Powers of Tau (snarkjs) or the Ethereum KZG ceremony, never handed out twice',
  usage: [
    'usage: hrng ceremony [--format snarkjs|kzg|hex] [--out FILE] [--log FILE] [--transcript FILE] [--operator-input] [--source ID]...',
    '  --format snarkjs   128 hex digits for `snarkjs powersoftau contribute IN OUT -e=...` (default)',
    '  --format kzg       the 4 secrets of the Ethereum KZG ceremony, one 0x-hex scalar per line',
    '  --out FILE         write a new 0600 file instead of stdout (refused if FILE exists)',
    '  --log FILE         commitment log of contribution hashes (default ~/.hrng/ceremony-commitments.jsonl)',
    '  --transcript FILE  sources, credits, health, contribution hash (default: JSON on stderr)',
    '  --operator-input   also mix in text typed at a prompt (not echoed)',
  ].join('\n'),
  run: ceremony,
};
