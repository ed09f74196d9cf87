/**
 * `hrng probe SOURCE --samples N --out FILE`: N raw noise samples, one byte per sample, in the format
 * NIST's SP 800-90B tool reads (`ea_non_iid FILE 8`). Only raw sources: SP 800-90B §3.1 assesses the noise
 * source before conditioning, and a conditioned output (getrandom, RDSEED, an HSM) looks ideal to the
 * estimators whatever its noise source does — probing it would produce a meaningless, reassuring number.
 * The samples bypass the health tests (the assessment must see them as the noise source makes them) and
 * never reach a generator. The file is written to a temporary name, fsynced and renamed into place.
 *
 * `--restarts R` (jitter only) collects SP 800-90B §3.1.4's restart data instead: R restarts of the noise
 * source — each a new JitterSource on a freshly allocated buffer, from the same initial state — and the
 * first `--samples` samples after each, written as the row dataset (row i = restart i), then runs the
 * §3.1.4.3 sanity check on it against `--h-initial` (default: the assessed min-entropy the credit was
 * derived from). Exit 1 when the check fails; the file is kept for NIST's `ea_restart`.
 *
 * A progress bar (samples, or restarts) goes to stderr on a terminal only (../progress.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  EntropySourceError,
  JITTER_ASSESSED_BITS_PER_SAMPLE,
  JitterSource,
  restartSanityCheck,
  type EntropySource,
  type RestartSanityResult,
} from '../../crypto/entropy/index.js';
import { CliUsageError, EXIT_FAILED, EXIT_OK, type Command } from '../command.js';
import { parseCount } from '../format.js';
import type { CliIo } from '../io.js';
import { progressBar, type Progress } from '../progress.js';
import { selectOneSource } from '../sources.js';

const MAX_SAMPLES = 1_000_000_000;
const MAX_RESTARTS = 100_000;
const CHUNK = 1 << 16;

/** Writes `rows` to `out` atomically (temporary name, fsync, rename); returns the sha256 of what was written. */
function writeAtomically(out: string, rows: Iterable<Uint8Array>): string {
  const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const digest = createHash('sha256');
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    for (const chunk of rows) {
      writeSync(fd, chunk);
      digest.update(chunk);
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
  return digest.digest('hex');
}

function* sequential(source: EntropySource, samples: number, bar: Progress): Generator<Uint8Array> {
  for (let done = 0; done < samples; ) {
    const chunk = source.read(Math.min(CHUNK, samples - done));
    yield chunk;
    done += chunk.length;
    bar.tick(done);
  }
}

/** §3.1.4.1: one row per restart, each from a new source on a fresh buffer; kept for the sanity check. */
function* restartRows(restarts: number, samples: number, matrix: Uint8Array, bar: Progress): Generator<Uint8Array> {
  for (let i = 0; i < restarts; i++) {
    const fresh = new JitterSource({ freshWorkspace: true });
    const why = fresh.unavailableReason();
    if (why !== undefined) throw new EntropySourceError('ENTROPY_SOURCE_UNAVAILABLE', fresh.id, `restart ${i}: ${why}`);
    const row = fresh.read(samples);
    matrix.set(row, i * samples);
    yield row;
    bar.tick(i + 1);
  }
}

function restartText(r: RestartSanityResult): string {
  const verdict = r.passed ? 'passed' : 'FAILED';
  return (
    `SP 800-90B §3.1.4.3 restart sanity check ${verdict}: H_I ${r.hInitial}, X_cutoff ${r.cutoff} (α ${r.alpha.toExponential(3)}); ` +
    `most common value ${r.maxRowCount} times in row ${r.worstRow}, ${r.maxColumnCount} times in column ${r.worstColumn}\n` +
    `§3.1.4.2 (MCV only): rows ${r.mcvRows.toFixed(3)}, columns ${r.mcvColumns.toFixed(3)} bits/sample (need ≥ H_I/2 = ${(r.hInitial / 2).toFixed(3)})\n`
  );
}

async function probe(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      samples: { type: 'string' },
      out: { type: 'string' },
      restarts: { type: 'string' },
      'h-initial': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new CliUsageError(`expected one SOURCE, got ${positionals.length}`);
  const id = positionals[0] ?? '';
  const samples = parseCount(values.samples, '--samples', 1, MAX_SAMPLES);
  const out = values.out;
  if (out === undefined || out === '') throw new CliUsageError('--out FILE is required');
  const restarts = values.restarts === undefined ? undefined : parseCount(values.restarts, '--restarts', 2, MAX_RESTARTS);
  if (restarts !== undefined && samples < 2) throw new CliUsageError('--samples must be at least 2 with --restarts');
  if (restarts !== undefined && restarts * samples > MAX_SAMPLES)
    throw new CliUsageError(`--restarts × --samples must be at most ${MAX_SAMPLES}`);
  const hText = values['h-initial'];
  const hInitial = hText === undefined ? JITTER_ASSESSED_BITS_PER_SAMPLE : Number(hText);
  if (!/^\d+(\.\d+)?$/.test(hText ?? '0') || !(hInitial >= 0 && hInitial <= 8))
    throw new CliUsageError(`--h-initial must be a number from 0 to 8, got '${hText ?? ''}'`);

  const selected = await selectOneSource(id, io);
  try {
    const [source] = selected.sources;
    if (!source) throw new CliUsageError(`unknown source '${id}'`);
    if (source.kind !== 'raw') {
      throw new CliUsageError(
        `source '${id}' is conditioned: probe collects raw noise samples for SP 800-90B assessment, and conditioned output says nothing about its noise source`,
      );
    }
    if (!source.available()) {
      throw new EntropySourceError('ENTROPY_SOURCE_UNAVAILABLE', id, source.unavailableReason?.() ?? 'not available here');
    }
    if (restarts !== undefined) {
      if (id !== 'jitter')
        throw new CliUsageError(
          `--restarts is supported for 'jitter' only (it needs a source that can be restarted from its initial state)`,
        );
      const matrix = new Uint8Array(restarts * samples);
      const bar = progressBar(io, `probe ${id}: restarts`, restarts);
      let sha256: string;
      try {
        sha256 = writeAtomically(out, restartRows(restarts, samples, matrix, bar));
      } finally {
        bar.end();
      }
      const check = restartSanityCheck(matrix, { hInitial, rows: restarts, columns: samples });
      matrix.fill(0);
      const report = { source: id, restarts, samples, bitsPerSample: 8, out, sha256, restartSanityCheck: check };
      if (values.json) io.stdout.write(JSON.stringify(report) + '\n');
      else
        io.stdout.write(
          `wrote ${restarts} restarts × ${samples} raw samples from '${id}' (row dataset, SP 800-90B §3.1.4.1) to ${out}\nsha256 ${sha256}\n${restartText(check)}full validation: ea_restart -v ${out} 8 ${hInitial}\n`,
        );
      return check.passed ? EXIT_OK : EXIT_FAILED;
    }
    const bar = progressBar(io, `probe ${id}: samples`, samples);
    let sha256: string;
    try {
      sha256 = writeAtomically(out, sequential(source, samples, bar));
    } finally {
      bar.end();
    }
    const report = { source: id, samples, bitsPerSample: 8, creditBitsPerSample: source.creditBitsPerByte, out, sha256 };
    if (values.json) io.stdout.write(JSON.stringify(report) + '\n');
    else
      io.stdout.write(
        `wrote ${samples} raw samples from '${id}' (8 bits each, credited ${source.creditBitsPerByte} bits/sample) to ${out}\nsha256 ${sha256}\nassess with: ea_non_iid -v ${out} 8\n`,
      );
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
    '       hrng probe jitter --restarts R --samples N --out FILE [--h-initial H] [--json]',
    '  SOURCE       a raw noise source (jitter); conditioned sources are refused',
    `  --samples N  number of samples, 1..${MAX_SAMPLES} (SP 800-90B asks for 1 000 000)`,
    '  --out FILE   written atomically (temporary file, fsync, rename)',
    '  --restarts R SP 800-90B §3.1.4 restart data: R restarts × N samples (1000 × 1000), row per restart,',
    '               then the §3.1.4.3 sanity check (exit 1 when it fails)',
    `  --h-initial H  the initial entropy estimate for the check (default ${JITTER_ASSESSED_BITS_PER_SAMPLE}, the assessed value)`,
  ].join('\n'),
  run: probe,
};
