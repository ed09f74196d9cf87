/**
 * `hrng test FILE | --rng`: the NIST SP 800-22 Rev. 1a battery (crypto/stats) over one or more
 * sequences, with the §4.2 proportion and uniformity assessment when there are several. FILE is ASCII
 * '0'/'1' text (as the STS data sets) or raw bytes read MSB first (`--binary`; detected when the first
 * 4 KiB are not all '0', '1' and whitespace). `--rng` draws the sequences from a freshly created,
 * health-checked Rng. The battery runs on worker threads; a progress bar goes to stderr on a terminal only.
 * Also exports what `hrng report` and `hrng pool` share: the sequence reader and the battery run
 * (progress bars: ../progress.ts).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { Rng, stats } from '../../crypto/index.js';
import { CliUsageError, EXIT_FAILED, EXIT_OK, type Command } from '../command.js';
import { parseCount, table } from '../format.js';
import type { CliIo } from '../io.js';
import { cliLogger } from '../logger.js';
import { progressBar } from '../progress.js';
import { selectSources } from '../sources.js';

const MAX_FILE_BYTES = 2 ** 30;
const MAX_BITS = 2 ** 27;
const MAX_SEQUENCES = 10_000;

export interface SequenceSource {
  readonly input: string;
  readonly bits: number;
  readonly count: number;
  sequences(): AsyncGenerator<Uint8Array>;
  /** The generator's health report, when the bits came from an Rng. */
  health(): import('../../crypto/index.js').HealthReport | undefined;
  close(): Promise<void>;
}

export interface SequenceOptions {
  readonly file?: string;
  readonly rng: boolean;
  readonly bits?: string;
  readonly sequences?: string;
  readonly binary: boolean;
  readonly ascii: boolean;
  readonly source?: readonly string[];
}

function looksAscii(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 4096);
  if (head.length === 0) return false;
  return head.every((c) => c === 0x30 || c === 0x31 || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09);
}

/** Opens the bits `hrng test` / `hrng report` examine, from the parsed options. */
export async function openSequences(o: SequenceOptions, io: CliIo, defaults: { readonly sequences: number }): Promise<SequenceSource> {
  if ((o.file === undefined) === !o.rng) throw new CliUsageError('give either FILE or --rng');
  if (o.binary && o.ascii) throw new CliUsageError('choose one of --binary, --ascii');
  if (o.file !== undefined) {
    const raw = readFileSync(o.file);
    if (raw.length > MAX_FILE_BYTES) throw new CliUsageError(`FILE is larger than ${MAX_FILE_BYTES} bytes`);
    const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
    const all = o.ascii || (!o.binary && looksAscii(bytes)) ? stats.bitsFromAscii(bytes) : stats.bitsFromBytes(bytes);
    if (all.length === 0) throw new CliUsageError('FILE holds no bits');
    const bits = o.bits === undefined ? Math.min(1_000_000, all.length) : parseCount(o.bits, '--bits', 1, all.length);
    const available = Math.floor(all.length / bits);
    const count = o.sequences === undefined ? available : parseCount(o.sequences, '--sequences', 1, available);
    return {
      input: o.file,
      bits,
      count,
      async *sequences() {
        for (let i = 0; i < count; i++) yield all.slice(i * bits, (i + 1) * bits);
      },
      health: () => undefined,
      close: async () => {},
    };
  }
  const bits = o.bits === undefined ? 1_000_000 : parseCount(o.bits, '--bits', 8, MAX_BITS);
  const count = o.sequences === undefined ? defaults.sequences : parseCount(o.sequences, '--sequences', 1, MAX_SEQUENCES);
  const selected = await selectSources(o.source, io);
  let rng: Rng;
  try {
    rng = await Rng.create({ sources: selected.sources, logger: cliLogger(io) });
  } catch (err) {
    await selected.close();
    throw err;
  }
  return {
    input: 'rng (HMAC_DRBG output of a health-checked Rng)',
    bits,
    count,
    async *sequences() {
      for (let i = 0; i < count; i++) {
        const bytes = rng.randomBytes(Math.ceil(bits / 8));
        const seq = stats.bitsFromBytes(bytes, bits);
        bytes.fill(0);
        yield seq;
      }
    },
    health: () => rng.health(),
    close: async () => {
      rng.destroy();
      await selected.close();
    },
  };
}

export interface BatteryRun {
  readonly results: stats.TimedResult[][];
  readonly assessment: stats.SlotAssessment[];
  readonly wallSeconds: number;
}

export async function runOver(src: SequenceSource, io: CliIo, workers: number): Promise<BatteryRun> {
  const bar = progressBar(io, 'SP 800-22', src.count);
  const t0 = performance.now();
  const results = await stats.runBatteryParallel(src.sequences(), { workers, onProgress: (d) => bar.tick(d) });
  bar.end();
  return { results, assessment: stats.assessBattery(results), wallSeconds: (performance.now() - t0) / 1000 };
}

export const SEQUENCE_OPTIONS = {
  rng: { type: 'boolean', default: false },
  bits: { type: 'string' },
  sequences: { type: 'string' },
  binary: { type: 'boolean', default: false },
  ascii: { type: 'boolean', default: false },
  workers: { type: 'string' },
  source: { type: 'string', multiple: true },
} as const;

export function workersOption(text: string | undefined): number {
  return text === undefined ? Math.min(availableParallelism(), 8) : parseCount(text, '--workers', 1, 64);
}

async function test(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { ...SEQUENCE_OPTIONS, json: { type: 'boolean', default: false }, strict: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 1) throw new CliUsageError(`expected at most one FILE, got ${positionals.length}`);
  const src = await openSequences({ ...values, ...(positionals[0] !== undefined ? { file: positionals[0] } : {}) }, io, { sequences: 10 });
  try {
    const run = await runOver(src, io, workersOption(values.workers));
    const failing = run.assessment.filter((a) => !a.proportionOk || a.uniformityOk === false);
    if (values.json) {
      io.stdout.write(
        JSON.stringify({
          input: src.input,
          bitsPerSequence: src.bits,
          sequences: run.results.length,
          wallSeconds: run.wallSeconds,
          results: run.results.length === 1 ? run.results[0] : undefined,
          assessment: run.assessment,
          failingSlots: failing.length,
        }) + '\n',
      );
    } else {
      const rows: string[][] = [['test', 'slots', 'min P-value', 'min proportion', 'min P_T', 'out of bounds']];
      for (const name of stats.STS_TEST_NAMES) {
        const slots = run.assessment.filter((a) => a.test === name);
        const ps = run.results.flatMap((seq) => seq.filter((r) => r.test === name).flatMap((r) => [...r.pValues]));
        const uni = slots.filter((s) => s.uniformityP !== undefined).map((s) => s.uniformityP as number);
        rows.push([
          name,
          String(slots.length),
          ps.length ? Math.min(...ps).toFixed(6) : 'n/a',
          slots.length ? Math.min(...slots.map((s) => s.proportion)).toFixed(4) : 'n/a',
          uni.length ? Math.min(...uni).toFixed(6) : 'n/a',
          String(slots.filter((s) => !s.proportionOk || s.uniformityOk === false).length),
        ]);
      }
      io.stdout.write(
        `${src.input}: ${run.results.length} sequence(s) of ${src.bits} bits, ${run.wallSeconds.toFixed(1)} s\n${table(rows)}\n`,
      );
      if (run.results.length < stats.MIN_SEQUENCES_FOR_UNIFORMITY)
        io.stdout.write(
          `uniformity (§4.2.2) needs ${stats.MIN_SEQUENCES_FOR_UNIFORMITY}+ sequences; proportions of few sequences are weak evidence\n`,
        );
    }
    return values.strict && failing.length > 0 ? EXIT_FAILED : EXIT_OK;
  } finally {
    await src.close();
  }
}

export const testCommand: Command = {
  name: 'test',
  summary: 'NIST SP 800-22 battery over a file or the generator, with the §4.2 assessment',
  usage: [
    'usage: hrng test (FILE | --rng) [--bits N] [--sequences N] [--binary | --ascii] [--workers N] [--json] [--strict] [--source ID]...',
    "  FILE           ASCII '0'/'1' text (STS data sets) or raw bytes, MSB first (detected, or --binary/--ascii)",
    '  --rng          test the output of a freshly created, health-checked generator',
    '  --bits N       bits per sequence (default 10^6, or the whole file if shorter)',
    '  --sequences N  number of sequences (default: all the file holds; 10 with --rng — use 100+ for a verdict)',
    '  --workers N    worker threads (default: one per core)',
    '  --strict       exit 1 when any P-value slot is outside the §4.2 bounds',
  ].join('\n'),
  run: test,
};
