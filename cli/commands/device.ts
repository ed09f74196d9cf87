/**
 * `hrng device PATH`: a named pipe that hands DRBG output to any reader (`head -c 32 PATH`). Creates the
 * FIFO (mode 0600 by default) if PATH does not exist, refuses a PATH that exists and is not a FIFO, and
 * serves readers one after another: each open gets a fresh stream of bytes until it closes its end.
 * `--once` stops after the first reader (scripts, tests). Stops on SIGINT/SIGTERM and removes a FIFO it
 * created. The bytes come from one health-checked Rng; if it fails, the reader's stream ends (never
 * weaker bytes).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, createWriteStream, lstatSync, openSync, unlinkSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Rng } from '../../crypto/index.js';
import { ServerError } from '../../server/index.js';
import { CliUsageError, EXIT_OK, type Command } from '../command.js';
import type { CliIo } from '../io.js';
import { cliLogger } from '../logger.js';
import { selectSources } from '../sources.js';

const CHUNK = 65536;

/** Writes DRBG bytes into the FIFO until the reader goes away; resolves with the byte count. */
function serveOneReader(path: string, rng: Rng, stopped: () => boolean): Promise<number> {
  return new Promise((resolve) => {
    const out = createWriteStream(path, { flags: 'w' });
    let sent = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      out.destroy();
      resolve(sent);
    };
    out.on('error', finish); // EPIPE: the reader closed
    out.on('close', finish);
    const pump = (): void => {
      while (!done && !stopped()) {
        let chunk: Uint8Array;
        try {
          chunk = rng.randomBytes(CHUNK);
        } catch {
          finish();
          return;
        }
        sent += chunk.length;
        if (!out.write(chunk)) {
          out.once('drain', pump);
          return;
        }
      }
      finish();
    };
    out.on('open', pump);
  });
}

async function device(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      once: { type: 'boolean', default: false },
      mode: { type: 'string', default: '600' },
      source: { type: 'string', multiple: true },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new CliUsageError(`expected one PATH, got ${positionals.length}`);
  const path = positionals[0] as string;
  if (!/^[0-7]{3}$/.test(values.mode)) throw new CliUsageError('--mode must be three octal digits, e.g. 600');
  let created = false;
  let st: ReturnType<typeof lstatSync> | undefined;
  try {
    st = lstatSync(path);
  } catch {
    st = undefined;
  }
  if (st && !st.isFIFO()) throw new ServerError('DEVICE_NOT_FIFO', `${path} exists and is not a named pipe`);
  if (!st) {
    execFileSync('mkfifo', ['-m', values.mode, '--', path]);
    created = true;
  }
  const selected = await selectSources(values.source, io);
  let stop = false;
  const onSignal = (): void => {
    stop = true;
    // Unblock a pending open(2) on the FIFO by opening the read end ourselves.
    try {
      closeSync(openSync(path, constants.O_RDONLY | constants.O_NONBLOCK));
    } catch {
      // nothing was waiting
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const rng = await Rng.create({ sources: selected.sources, logger: cliLogger(io) });
    try {
      io.stdout.write(`${path}\n`);
      let readers = 0;
      while (!stop) {
        const sent = await serveOneReader(path, rng, () => stop);
        if (stop) break;
        readers++;
        cliLogger(io).info({ reader: readers, bytes: sent }, 'hrng device: reader done');
        if (values.once) break;
        if (rng.state === 'failed') break;
      }
      return EXIT_OK;
    } finally {
      rng.destroy();
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await selected.close();
    if (created) {
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    }
  }
}

export const deviceCommand: Command = {
  name: 'device',
  summary: 'a named pipe (FIFO) at PATH handing DRBG bytes to any reader',
  usage: [
    'usage: hrng device PATH [--once] [--mode 600] [--source ID]...',
    '  PATH     created as a FIFO if missing (removed again on exit); an existing non-FIFO is refused',
    '  --once   stop after the first reader closes',
    '  --mode   the FIFO permissions when created (default 600)',
  ].join('\n'),
  run: device,
};
