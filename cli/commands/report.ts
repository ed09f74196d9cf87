/**
 * `hrng report`: the evidence page an operator files — the SP 800-22 battery over the generator's output
 * (or a FILE) with the §4.2 assessment, the SP 800-90B min-entropy estimates of every available raw
 * noise source (samples read straight from the source, before conditioning), and the generator's health
 * counters. Markdown (default) or one self-contained HTML page with plots (server/report).
 */
import { parseArgs } from 'node:util';
import { assessNonIid } from '../../crypto/entropy/index.js';
import { writeFileAtomic } from '../../crypto/fs/index.js';
import { Rng } from '../../crypto/index.js';
import { renderHtml, renderMarkdown, type EntropyEstimate, type ReportData } from '../../server/index.js';
import { CliUsageError, EXIT_OK, type Command } from '../command.js';
import { parseCount, writeChunk } from '../format.js';
import type { CliIo } from '../io.js';
import { cliLogger } from '../logger.js';
import { selectSources } from '../sources.js';
import { progressBar } from '../progress.js';
import { openSequences, runOver, SEQUENCE_OPTIONS, workersOption } from './test.js';

const MAX_ENTROPY_SAMPLES = 1_000_000;
const CHUNK = 65536;

/** SP 800-90B estimates for each available raw source (conditioned ones are skipped: see hrng probe). */
export async function estimateRawSources(ids: readonly string[] | undefined, samples: number, io: CliIo): Promise<EntropyEstimate[]> {
  if (samples === 0) return [];
  const selected = await selectSources(ids, io);
  try {
    const out: EntropyEstimate[] = [];
    for (const source of selected.sources) {
      if (source.kind !== 'raw' || !source.available()) continue;
      const buf = new Uint8Array(samples);
      const bar = progressBar(io, `reading ${source.id}`, Math.ceil(samples / CHUNK));
      for (let at = 0, i = 1; at < samples; at += CHUNK, i++) {
        buf.set(source.read(Math.min(CHUNK, samples - at)), at);
        bar.tick(i);
      }
      bar.end();
      out.push({ source: source.id, samples, assessment: assessNonIid(buf, { bitsPerSymbol: 8 }) });
    }
    return out;
  } finally {
    await selected.close();
  }
}

async function report(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      ...SEQUENCE_OPTIONS,
      format: { type: 'string', default: 'md' },
      out: { type: 'string' },
      'entropy-samples': { type: 'string', default: '100000' },
      title: { type: 'string', default: 'hardened-rng randomness report' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 1) throw new CliUsageError(`expected at most one FILE, got ${positionals.length}`);
  const format = values.format;
  if (format !== 'md' && format !== 'html') throw new CliUsageError(`--format must be md or html, got '${format}'`);
  const entropySamples = parseCount(values['entropy-samples'], '--entropy-samples', 0, MAX_ENTROPY_SAMPLES);
  const file = positionals[0];
  const src = await openSequences({ ...values, rng: values.rng || file === undefined, ...(file !== undefined ? { file } : {}) }, io, {
    sequences: 100,
  });
  let data: ReportData;
  try {
    const run = await runOver(src, io, workersOption(values.workers));
    const entropy = await estimateRawSources(values.source, entropySamples, io);
    // Health counters: the generator that made the bits, or (for a FILE) a fresh one on the same sources.
    let health = src.health();
    if (!health) {
      const selected = await selectSources(values.source, io);
      try {
        const rng = await Rng.create({ sources: selected.sources, logger: cliLogger(io) });
        health = rng.health();
        rng.destroy();
      } finally {
        await selected.close();
      }
    }
    data = {
      title: values.title,
      generatedAt: new Date().toISOString(),
      input: src.input,
      bitsPerSequence: src.bits,
      alpha: 0.01,
      results: run.results,
      assessment: run.assessment,
      wallSeconds: run.wallSeconds,
      entropy,
      health,
    };
  } finally {
    await src.close();
  }
  const text = format === 'html' ? renderHtml(data) : renderMarkdown(data);
  if (values.out !== undefined) {
    await writeFileAtomic(values.out, new TextEncoder().encode(text), { mode: 0o644 });
    io.stdout.write(`wrote ${values.out}\n`);
  } else await writeChunk(io.stdout, text);
  return EXIT_OK;
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'SP 800-22 battery, SP 800-90B estimates of raw sources and health counters, as Markdown or HTML',
  usage: [
    'usage: hrng report [FILE | --rng] [--sequences N] [--bits N] [--format md|html] [--out FILE] [--entropy-samples N] [--workers N] [--source ID]...',
    '  (no FILE)            test the generator: 100 sequences of 10^6 bits by default',
    '  --format md|html     Markdown (default) or a self-contained HTML page with plots',
    '  --out FILE           write the report there (atomically) instead of stdout',
    `  --entropy-samples N  raw samples per raw source for the SP 800-90B estimates (default 100000, 0 = skip, max ${MAX_ENTROPY_SAMPLES})`,
  ].join('\n'),
  run: report,
};
