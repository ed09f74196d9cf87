/**
 * `hrng serve`: the entropy server (server/) on a health-checked Rng. Loopback by default; the first line
 * on stdout is the URL it listens on (so `--port 0` can be used by scripts); HTTPS with --cert/--key;
 * API tokens from a file (NAME:TOKEN[:RATE] per line, compared in constant time). Stops on SIGINT or
 * SIGTERM, closing the listener and destroying the Rng.
 */
import { parseArgs } from 'node:util';
import { Rng } from '../../crypto/index.js';
import { createEntropyServer, readTokenFile } from '../../server/index.js';
import { CliUsageError, EXIT_OK, type Command } from '../command.js';
import { parseCount } from '../format.js';
import type { CliIo } from '../io.js';
import { cliLogger } from '../logger.js';
import { selectSources } from '../sources.js';

async function serve(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      cert: { type: 'string' },
      key: { type: 'string' },
      tokens: { type: 'string' },
      rate: { type: 'string', default: '100' },
      burst: { type: 'string' },
      'max-stream': { type: 'string', default: String(64 * 1024 * 1024) },
      source: { type: 'string', multiple: true },
    },
    strict: true,
    allowPositionals: false,
  });
  void positionals;
  const port = parseCount(values.port, '--port', 0, 65535);
  const rate = parseCount(values.rate, '--rate', 1, 1_000_000);
  const burst = values.burst === undefined ? undefined : parseCount(values.burst, '--burst', 1, 10_000_000);
  const maxStream = parseCount(values['max-stream'], '--max-stream', 1, 2 ** 30);
  if ((values.cert === undefined) !== (values.key === undefined)) throw new CliUsageError('--cert and --key go together');
  const tokens = values.tokens === undefined ? undefined : readTokenFile(values.tokens);
  const selected = await selectSources(values.source, io);
  const logger = cliLogger(io);
  try {
    const rng = await Rng.create({ sources: selected.sources, logger });
    try {
      const server = await createEntropyServer({
        rng,
        host: values.host,
        port,
        rate,
        ...(burst !== undefined ? { burst } : {}),
        maxStreamBytes: maxStream,
        logger,
        ...(tokens ? { tokens } : {}),
        ...(values.cert !== undefined && values.key !== undefined ? { tls: { certFile: values.cert, keyFile: values.key } } : {}),
      });
      io.stdout.write(`${server.url}\n`);
      logger.info({ url: server.url, tokens: tokens?.length ?? 0, tls: values.cert !== undefined }, 'hrng serve listening');
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await server.close();
      return EXIT_OK;
    } finally {
      rng.destroy();
    }
  } finally {
    await selected.close();
  }
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'HTTP(S) entropy server: ANU QRNG-compatible endpoints, /v1/random, /v1/stream, /health, /metrics',
  usage: [
    'usage: hrng serve [--host H] [--port N] [--cert FILE --key FILE] [--tokens FILE] [--rate R] [--burst B] [--max-stream BYTES] [--source ID]...',
    '  --host H          address to listen on (default 127.0.0.1; loopback unless you say otherwise)',
    '  --port N          port, 0 = any free port (default); the first stdout line is the URL',
    '  --cert/--key      serve HTTPS with this PEM certificate and key',
    '  --tokens FILE     require an API token: lines NAME:TOKEN[:RATE] (x-api-key or Authorization: Bearer)',
    '  --rate R          requests per second per token (or for all anonymous clients together), default 100',
    '  --max-stream N    largest /v1/stream response in bytes (default 64 MiB)',
  ].join('\n'),
  run: serve,
};
