/**
 * `hrng stream`: random bytes to stdout until the reader goes away (`hrng stream | dieharder -g 200 -a`).
 * Waits on backpressure; a closed pipe (EPIPE, 'close') is the normal end and exits 0. The generator
 * reseeds by its usual policy while streaming; if it fails, the stream stops with exit 1 and the reason.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { HmacDrbg, Rng } from '../../crypto/index.js';
import { parseCount, parseOptions } from '../args.js';
import { EXIT_OK, type Command } from '../command.js';
import { CliUsageError } from '../errors.js';
import { isBrokenPipe, writeChunk } from '../format.js';
import type { CliIo } from '../io.js';
import { selectSources } from '../sources.js';
import { cliLogger } from '../logger.js';

async function stream(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    options: { bytes: { type: 'string' }, source: { type: 'string', multiple: true } },
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new CliUsageError(`unexpected argument '${positionals[0] ?? ''}'`);
  const limit = values.bytes === undefined ? Infinity : parseCount(values.bytes, '--bytes', 0, Number.MAX_SAFE_INTEGER);
  const selected = await selectSources(values.source, io);
  // A stream error arrives asynchronously; without a listener it would be uncaught. Remember it: a
  // broken pipe is the reader leaving (exit 0), anything else fails the command after the loop stops.
  let streamError: unknown;
  const recordError = (err: unknown): void => {
    streamError ??= err;
  };
  io.stdout.on('error', recordError);
  try {
    const rng = await Rng.create({ sources: selected.sources, logger: cliLogger(io) });
    try {
      for (let sent = 0; sent < limit; ) {
        const n = Math.min(HmacDrbg.MAX_BYTES_PER_REQUEST, limit - sent);
        if (streamError !== undefined || !(await writeChunk(io.stdout, rng.randomBytes(n)))) break;
        sent += n;
        await yieldToLoop();
      }
      if (streamError !== undefined && !isBrokenPipe(streamError)) throw streamError;
      return EXIT_OK;
    } finally {
      rng.destroy();
    }
  } finally {
    io.stdout.removeListener('error', recordError);
    await selected.close();
  }
}

export const streamCommand: Command = {
  name: 'stream',
  summary: 'random bytes to stdout until the reader closes (for dieharder, PractRand)',
  usage: [
    'usage: hrng stream [--bytes N] [--source ID]...',
    '  --bytes N    stop after N bytes (default: until the reader closes the pipe)',
    '  --source ID  restrict to / add entropy sources, as for hrng status',
  ].join('\n'),
  run: stream,
};
