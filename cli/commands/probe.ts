/**
 * `hrng probe SOURCE --samples N --out FILE`: N raw noise samples, one byte per sample, in the format
 * NIST's SP 800-90B tool reads (`ea_non_iid FILE 8`). Only raw sources: SP 800-90B §3.1 assesses the noise
 * source before conditioning, and a conditioned output (getrandom, RDSEED, an HSM) looks ideal to the
 * estimators whatever its noise source does — probing it would produce a meaningless, reassuring number.
 * The samples bypass the health tests (the assessment must see them as the noise source makes them) and
 * never reach a generator. The file is written to a temporary name, fsynced and renamed into place.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { EntropySourceError } from '../../crypto/entropy/source.js';
import { CliUsageError, EXIT_OK, type Command } from '../command.js';
import { parseCount } from '../format.js';
import type { CliIo } from '../io.js';
import { selectOneSource } from '../sources.js';

const MAX_SAMPLES = 1_000_000_000;
const CHUNK = 1 << 16;

async function probe(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { samples: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new CliUsageError(`expected one SOURCE, got ${positionals.length}`);
  const id = positionals[0] ?? '';
  const samples = parseCount(values.samples, '--samples', 1, MAX_SAMPLES);
  const out = values.out;
  if (out === undefined || out === '') throw new CliUsageError('--out FILE is required');

  const selected = await selectOneSource(id, io);
  try {
    const [source] = selected.sources;
    if (!source) throw new CliUsageError(`unknown source '${id}'`);
    if (source.kind !== 'raw') {
      throw new CliUsageError(`source '${id}' is conditioned: probe collects raw noise samples for SP 800-90B assessment, and conditioned output says nothing about its noise source`);
    }
    if (!source.available()) {
      throw new EntropySourceError('ENTROPY_SOURCE_UNAVAILABLE', id, source.unavailableReason?.() ?? 'not available here');
    }
    const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const digest = createHash('sha256');
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      for (let done = 0; done < samples; ) {
        const chunk = source.read(Math.min(CHUNK, samples - done));
        writeSync(fd, chunk);
        digest.update(chunk);
        done += chunk.length;
      }
      fsyncSync(fd);
      closeSync(fd);
      renameSync(tmp, out);
    } catch (err) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
      unlinkSync(tmp);
      throw err;
    }
    const report = { source: id, samples, bitsPerSample: 8, creditBitsPerSample: source.creditBitsPerByte, out, sha256: digest.digest('hex') };
    if (values.json) io.stdout.write(JSON.stringify(report) + '\n');
    else io.stdout.write(`wrote ${samples} raw samples from '${id}' (8 bits each, credited ${source.creditBitsPerByte} bits/sample) to ${out}\nsha256 ${report.sha256}\nassess with: ea_non_iid -v ${out} 8\n`);
    return EXIT_OK;
  } finally {
    await selected.close();
  }
}

export const probeCommand: Command = {
  name: 'probe',
  summary: "raw noise samples of a source, one byte each, for NIST's SP 800-90B ea_non_iid",
  usage: [
    'usage: hrng probe SOURCE --samples N --out FILE [--json]',
    '  SOURCE       a raw noise source (jitter); conditioned sources are refused',
    `  --samples N  number of samples, 1..${MAX_SAMPLES} (SP 800-90B asks for 1 000 000)`,
    '  --out FILE   written atomically (temporary file, fsync, rename)',
  ].join('\n'),
  run: probe,
};
