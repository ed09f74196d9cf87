/**
 * `hrng bench`: every usable source's read rate and credited entropy rate (bytes/s × credit), ranked by
 * credited bits/s, plus the generator's own output rate. A progress bar on a terminal only.
 */
import { parseArgs } from 'node:util';
import { Rng } from '../../crypto/index.js';
import { defaultSources } from '../../crypto/entropy/index.js';
import { EXIT_OK, type Command } from '../command.js';
import { parseCount, si, table } from '../format.js';
import type { CliIo } from '../io.js';
import { cliLogger } from '../logger.js';
import { progressBar } from '../progress.js';
import { timeReads } from './scan.js';

async function bench(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { ms: { type: 'string', default: '500' }, json: { type: 'boolean', default: false } },
    strict: true,
  });
  const ms = parseCount(values.ms, '--ms', 1, 60_000);
  const sources = defaultSources().filter((s) => s.available());
  const bar = progressBar(io, 'bench', sources.length + 1);
  const rows = sources.map((s, i) => {
    const t = timeReads(s, ms, s.kind === 'raw' ? 256 : 4096);
    bar.tick(i + 1);
    const rate = t.bytes / t.seconds;
    return {
      id: s.id,
      kind: s.kind,
      bytesPerSecond: rate,
      creditedBitsPerSecond: rate * s.creditBitsPerByte,
      ...(t.error !== undefined ? { error: t.error } : {}),
    };
  });
  rows.sort((a, b) => b.creditedBitsPerSecond - a.creditedBitsPerSecond || b.bytesPerSecond - a.bytesPerSecond);
  const rng = await Rng.create({ logger: cliLogger(io) });
  let out = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) out += rng.randomBytes(65536).length;
  const rngRate = out / ((performance.now() - t0) / 1000);
  rng.destroy();
  bar.tick(sources.length + 1);
  bar.end();
  if (values.json) io.stdout.write(JSON.stringify({ sources: rows, rng: { bytesPerSecond: rngRate } }) + '\n');
  else {
    const t = [
      ['rank', 'source', 'kind', 'read rate', 'credited entropy', 'error'],
      ...rows.map((r, i) => [
        String(i + 1),
        r.id,
        r.kind,
        `${si(r.bytesPerSecond)}B/s`,
        `${si(r.creditedBitsPerSecond)}bit/s`,
        r.error ?? '',
      ]),
    ];
    io.stdout.write(`${table(t)}\nRng output (HMAC_DRBG, 64 KiB requests): ${si(rngRate)}B/s\n`);
  }
  return EXIT_OK;
}

export const benchCommand: Command = {
  name: 'bench',
  summary: "every source's read rate and credited bits/s, ranked, and the generator's output rate",
  usage: 'usage: hrng bench [--ms N] [--json]\n  --ms N  milliseconds per source (default 500)',
  run: bench,
};
