/**
 * `hrng scan`: every entropy source this build knows (the built-ins and the openable ones), whether it
 * is usable here, and a trial read of each usable one (so "available" is shown to actually deliver).
 * `hrng bench` builds on `timeReads` below.
 */
import { parseArgs } from 'node:util';
import { defaultSources, type EntropySource } from '../../crypto/entropy/index.js';
import { HardenedRngError } from '../../crypto/index.js';
import { EXIT_OK, type Command } from '../command.js';
import { table } from '../format.js';
import type { CliIo } from '../io.js';
import { OPENABLE_SOURCES } from '../sources.js';

export interface ReadTiming {
  readonly bytes: number;
  readonly seconds: number;
  readonly error?: string;
}

/** Reads `chunk`-byte blocks from `source` for about `ms` milliseconds (at least one read). */
export function timeReads(source: EntropySource, ms: number, chunk: number): ReadTiming {
  const t0 = performance.now();
  let bytes = 0;
  try {
    do {
      const b = source.read(chunk);
      bytes += b.length;
      b.fill(0);
    } while (performance.now() - t0 < ms);
  } catch (err) {
    return {
      bytes,
      seconds: (performance.now() - t0) / 1000,
      error: err instanceof HardenedRngError ? `${err.code}: ${err.message}` : String(err),
    };
  }
  return { bytes, seconds: (performance.now() - t0) / 1000 };
}

async function scan(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { json: { type: 'boolean', default: false } }, strict: true });
  const rows = defaultSources().map((s) => {
    const available = s.available();
    const trial = available ? timeReads(s, 0, 64) : undefined;
    return {
      id: s.id,
      kind: s.kind,
      creditBitsPerByte: s.creditBitsPerByte,
      available,
      usable: available && trial?.error === undefined,
      ...(available ? {} : { reason: s.unavailableReason?.() ?? 'not available' }),
      ...(trial?.error !== undefined ? { reason: trial.error } : {}),
    };
  });
  const openable = Object.keys(OPENABLE_SOURCES).map((id) => ({
    id,
    kind: 'opened per command',
    note: `--source ${id} (configured through the environment; see docs)`,
  }));
  if (values.json) io.stdout.write(JSON.stringify({ sources: rows, openable }) + '\n');
  else {
    const t = [
      ['source', 'kind', 'credit bits/byte', 'usable here', 'why not'],
      ...rows.map((r) => [r.id, r.kind, r.creditBitsPerByte.toFixed(2), r.usable ? 'yes' : 'no', r.reason ?? '']),
    ];
    io.stdout.write(`${table(t)}\n${openable.map((o) => `${o.id}: ${o.note}`).join('\n')}\n`);
  }
  return EXIT_OK;
}

export const scanCommand: Command = {
  name: 'scan',
  summary: 'discover entropy sources and whether each is usable here (with a trial read)',
  usage: 'usage: hrng scan [--json]',
  run: scan,
};
