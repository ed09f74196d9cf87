/**
 * `hrng status`: the entropy sources (available, kind, credit, start-up result, measured rate), the
 * generator's state, the last seed's provenance, and a 32-byte sample — or the same as JSON. The exit
 * status tells a monitoring check the state without parsing: 0 healthy, 4 degraded, 5 failed (saying
 * why on stderr); 1 is left for a status that could not be taken at all (a token that will not open).
 */
// sourceReport is in no package entry yet (see tests/unit/shape/import-rules.test.ts, ALLOWED_EDGES).
import { sourceReport } from '../../crypto/drbg/monitor.js';
import { InsufficientEntropyError, type EntropySource, type SourceStatus } from '../../crypto/entropy/index.js';
import { Rng, RngFailedError, type HealthReport, type SourceReport } from '../../crypto/index.js';
import { parseOptions } from '../args.js';
import { EXIT_DEGRADED, EXIT_GENERATOR_FAILED, EXIT_OK, type Command } from '../command.js';
import { encodeBytes, si, table } from '../format.js';
import type { CliIo } from '../io.js';
import { selectSources } from '../sources.js';
import { cliLogger } from '../logger.js';

const RATE_PROBE_BYTES = 4096;

/** The exit status for each generator state, so `hrng status` works as a monitoring check. */
export const STATE_EXIT: Readonly<Record<HealthReport['state'], number>> = {
  healthy: EXIT_OK,
  degraded: EXIT_DEGRADED,
  failed: EXIT_GENERATOR_FAILED,
};

interface Rate {
  readonly bytesPerSecond: number;
  readonly creditedBitsPerSecond: number;
}

/** A short timed read per source (its output discarded and zeroed): an indication, not a benchmark. */
function measureRate(source: EntropySource): Rate | undefined {
  try {
    if (!source.available()) return undefined;
    // An untimed warm-up read first: the first samples pay for JIT compilation and cache warm-up, which
    // made a steady 2 M samples/s jitter source look like 130 k.
    source.read(RATE_PROBE_BYTES / 4).fill(0);
    const t0 = performance.now();
    const out = source.read(RATE_PROBE_BYTES);
    const seconds = (performance.now() - t0) / 1000;
    out.fill(0);
    const bytesPerSecond = RATE_PROBE_BYTES / Math.max(seconds, 1e-9);
    return { bytesPerSecond, creditedBitsPerSecond: bytesPerSecond * source.creditBitsPerByte };
  } catch {
    return undefined;
  }
}

type SourceLine = SourceReport & { rateBytesPerSecond?: number; creditedBitsPerSecond?: number };

function withRate(r: SourceReport, rate: Rate | undefined): SourceLine {
  return rate
    ? { ...r, rateBytesPerSecond: Math.round(rate.bytesPerSecond), creditedBitsPerSecond: Math.round(rate.creditedBitsPerSecond) }
    : r;
}

/** What the text and JSON outputs show; a generator that failed to start has no policy, seed or sample. */
interface StatusView {
  readonly state: string;
  readonly reason: string;
  readonly generator?: Pick<HealthReport, 'hash' | 'predictionResistance' | 'policy' | 'selfTests'>;
  readonly sources: readonly SourceLine[];
  readonly seed?: HealthReport['seed'];
  readonly sample?: string;
}

function render(view: StatusView): string {
  const rows = [['source', 'kind', 'available', 'credit', 'start-up', 'state', 'rate', 'credited']];
  for (const s of view.sources) {
    const failure = s.lastFailure
      ? ` (${s.lastFailure.test}${s.lastFailure.test === 'read-error' ? '' : ` ${s.lastFailure.observed}/${s.lastFailure.cutoff}`})`
      : '';
    rows.push([
      s.id,
      s.kind,
      s.available ? 'yes' : `no${s.unavailableReason ? ` (${s.unavailableReason})` : ''}`,
      `${s.creditBitsPerByte} bits/${s.kind === 'raw' ? 'sample' : 'byte'}`,
      s.startup,
      s.state + failure,
      s.rateBytesPerSecond === undefined ? '-' : `${si(s.rateBytesPerSecond)}${s.kind === 'raw' ? 'samples' : 'B'}/s`,
      s.creditedBitsPerSecond === undefined ? '-' : `${si(s.creditedBitsPerSecond)}bit/s`,
    ]);
  }
  const lines = [`generator: ${view.state} — ${view.reason}`];
  const g = view.generator;
  if (g) {
    lines.push(
      `HMAC_DRBG-${g.hash.toUpperCase()}, prediction resistance ${g.predictionResistance ? 'on' : 'off'}; policy: ≥ ${g.policy.minCreditedBits} bits from each of ≥ ${g.policy.minSources} healthy credited sources per seed`,
    );
    lines.push(`self-tests: ${g.selfTests.length} known-answer tests passed (${g.selfTests.map((t) => t.name).join('; ')})`);
  }
  lines.push('', table(rows), '');
  if (view.seed) {
    const parts = view.seed.contributions.map(
      (c) => `${c.id} ${c.creditedBits} bits (${c.bytesRead} ${c.kind === 'raw' ? 'samples' : 'bytes'})`,
    );
    lines.push(
      `last seed: draw #${view.seed.drawCounter} (${view.seed.purpose}), ${view.seed.claimedBits} bits claimed; ${parts.join(', ')}`,
    );
  }
  if (view.sample !== undefined) lines.push(`sample (32 bytes): ${view.sample}`);
  return lines.join('\n') + '\n';
}

async function status(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(args, {
    options: { json: { type: 'boolean', default: false }, source: { type: 'string', multiple: true } },
    allowPositionals: false,
  });
  const selected = await selectSources(values.source, io);
  try {
    const rates = new Map(selected.sources.map((s) => [s.id, measureRate(s)]));
    let rng: Rng;
    try {
      rng = await Rng.create({ sources: selected.sources, logger: cliLogger(io) });
    } catch (err) {
      if (!(err instanceof RngFailedError)) throw err;
      const statuses =
        err.cause instanceof InsufficientEntropyError ? (err.cause.sources as readonly SourceStatus[]).map(sourceReport) : [];
      const view: StatusView = { state: 'failed', reason: err.reason, sources: statuses.map((s) => withRate(s, rates.get(s.id))) };
      io.stdout.write(values.json ? JSON.stringify(view, null, 2) + '\n' : render(view));
      io.stderr.write(`hrng status: ${err.code}: ${err.message}\n`);
      return EXIT_GENERATOR_FAILED;
    }
    try {
      const sampleBytes = rng.randomBytes(32);
      const sample = encodeBytes(sampleBytes, 'hex');
      sampleBytes.fill(0);
      const report = rng.health();
      const sources = report.sources.map((s) => withRate(s, rates.get(s.id)));
      io.stdout.write(
        values.json
          ? JSON.stringify({ ...report, sources, sample }, null, 2) + '\n'
          : render({
              state: report.state,
              reason: report.reason,
              generator: report,
              sources,
              ...(report.seed ? { seed: report.seed } : {}),
              sample,
            }),
      );
      return STATE_EXIT[report.state];
    } finally {
      rng.destroy();
    }
  } finally {
    await selected.close();
  }
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'entropy sources, generator health, last seed provenance and a sample',
  usage: [
    'usage: hrng status [--json] [--source ID]...',
    '  --json        the report as one JSON object (sources[]: id, kind, creditBitsPerSample for raw sources, …)',
    '  --source ID   use only the named built-in sources (os, rdseed, rdrand, jitter, auxiliary); repeatable;',
    '                sources that need opening (e.g. an HSM token) are added to the built-ins',
  ].join('\n'),
  exitStatuses: [
    [EXIT_DEGRADED, 'the generator is degraded (it serves, but a source or the policy needs attention)'],
    [EXIT_GENERATOR_FAILED, 'the generator is failed (it refuses to serve; stderr says why)'],
  ],
  run: status,
};
