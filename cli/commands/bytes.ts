/**
 * `hrng bytes N`: N bytes from a freshly created, health-checked `Rng`, as hex (default), base64, raw
 * binary, or JSON. Written in chunks that respect backpressure, so N up to 1 GiB does not sit in memory.
 */
import { Rng } from '../../crypto/index.js';
import { parseCount, parseOptions } from '../args.js';
import { EXIT_OK, type Command } from '../command.js';
import { CliUsageError } from '../errors.js';
import { encodeBytes, writeChunk } from '../format.js';
import type { CliIo } from '../io.js';
import { selectSources } from '../sources.js';
import { cliLogger } from '../logger.js';

const MAX_BYTES = 2 ** 30;
const MAX_JSON_BYTES = 2 ** 20;
/** A multiple of 3, so base64 chunks concatenate without padding in the middle. */
const CHUNK = 3 * 16384;

async function bytes(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    options: {
      hex: { type: 'boolean', default: false },
      base64: { type: 'boolean', default: false },
      raw: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      source: { type: 'string', multiple: true },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new CliUsageError(`expected one argument N (the number of bytes), got ${positionals.length}`);
  const n = parseCount(positionals[0], 'N', 0, MAX_BYTES);
  const chosen = (['hex', 'base64', 'raw'] as const).filter((k) => values[k]);
  if (chosen.length > 1) throw new CliUsageError(`choose one of --hex, --base64, --raw (got ${chosen.map((c) => `--${c}`).join(', ')})`);
  const encoding = chosen[0] ?? 'hex';
  if (values.json && encoding === 'raw') throw new CliUsageError('--json cannot carry --raw bytes; use --hex or --base64');
  if (values.json && n > MAX_JSON_BYTES) throw new CliUsageError(`--json output is limited to ${MAX_JSON_BYTES} bytes`);

  const selected = await selectSources(values.source, io);
  try {
    const rng = await Rng.create({ sources: selected.sources, logger: cliLogger(io) });
    try {
      if (values.json) {
        const data = rng.randomBytes(n);
        const text = encodeBytes(data, encoding === 'base64' ? 'base64' : 'hex');
        data.fill(0);
        const seed = rng.health().seed;
        io.stdout.write(JSON.stringify({ bytes: n, encoding, data: text, state: rng.state, seed }) + '\n');
        return EXIT_OK;
      }
      for (let at = 0; at < n; at += CHUNK) {
        const chunk = rng.randomBytes(Math.min(CHUNK, n - at));
        const out = encoding === 'raw' ? chunk : encodeBytes(chunk, encoding);
        if (encoding !== 'raw') chunk.fill(0);
        if (!(await writeChunk(io.stdout, out))) return EXIT_OK;
      }
      if (encoding !== 'raw') await writeChunk(io.stdout, '\n');
      return EXIT_OK;
    } finally {
      rng.destroy();
    }
  } finally {
    await selected.close();
  }
}

export const bytesCommand: Command = {
  name: 'bytes',
  summary: 'N random bytes from a health-checked generator (hex, base64, raw or JSON)',
  usage: [
    'usage: hrng bytes N [--hex | --base64 | --raw] [--json] [--source ID]...',
    `  N            number of bytes, 0..${MAX_BYTES}`,
    '  --hex        lowercase hex and a newline (the default)',
    '  --base64     base64 and a newline',
    '  --raw        the bytes themselves, nothing else',
    `  --json       {"bytes", "encoding", "data", "state", "seed"} (up to ${MAX_JSON_BYTES} bytes)`,
    '  --source ID  restrict to / add entropy sources, as for hrng status',
  ].join('\n'),
  run: bytes,
};
