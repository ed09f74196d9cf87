/**
 * `hrng monitor`: a live terminal view of one health-checked Rng — its state, every source's state,
 * start-up result, reads and read rate, alarms, and the reseed counters — redrawn every --interval ms
 * with plain ANSI escapes (no curses library). Keys: `r` reseeds now, `q` (or Ctrl-C) quits. When stdout
 * is not a terminal, or with --once, it prints one plain snapshot and exits.
 */
import { parseArgs } from 'node:util';
import { Rng, type HealthReport } from '../../crypto/index.js';
import { EXIT_OK, type Command } from '../command.js';
import { parseCount, si, table } from '../format.js';
import type { CliIo } from '../io.js';
import { cliLogger } from '../logger.js';
import { selectSources } from '../sources.js';

const CLEAR = '\x1b[H\x1b[2J';
const COLOURS: Record<string, string> = { healthy: '\x1b[32m', degraded: '\x1b[33m', failed: '\x1b[31m' };
const RESET = '\x1b[0m';

/** The screen for one health report; `prev` gives the read rates. Pure, for tests. */
export function renderMonitor(h: HealthReport, prev: HealthReport | undefined, seconds: number, ansi: boolean): string {
  const colour = (s: string): string => (ansi ? `${COLOURS[s] ?? ''}${s}${RESET}` : s);
  const rate = (id: string, bytes: number): string => {
    const before = prev?.sources.find((s) => s.id === id)?.bytesRead;
    return before === undefined || seconds <= 0 ? '—' : `${si((bytes - before) / seconds)}B/s`;
  };
  const lines = [
    `hrng monitor — state ${colour(h.state)} (${h.reason})`,
    `HMAC_DRBG ${h.hash}; reseeds ${h.counters.reseeds}; requests ${h.counters.requests}; bytes ${h.counters.bytes}; seed draw ${h.seed?.drawCounter ?? '—'} (${h.seed?.purpose ?? '—'}), ${Math.round(h.counters.sinceSeed.ms / 1000)} s old`,
    '',
    table([
      ['source', 'kind', 'state', 'start-up', 'credit', 'reads', 'bytes read', 'rate', 'alarms'],
      ...h.sources.map((s) => [
        s.id,
        s.kind,
        colour(s.state),
        s.startup,
        s.creditBitsPerByte.toFixed(2),
        String(s.reads),
        String(s.bytesRead),
        rate(s.id, s.bytesRead),
        String(s.alarms),
      ]),
    ]),
    '',
    ansi ? 'keys: r reseed now · q quit' : '',
  ];
  return lines.join('\n') + '\n';
}

async function monitor(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      interval: { type: 'string', default: '1000' },
      once: { type: 'boolean', default: false },
      source: { type: 'string', multiple: true },
    },
    strict: true,
  });
  const interval = parseCount(values.interval, '--interval', 50, 60_000);
  const tty = (io.stdout as NodeJS.WritableStream & { isTTY?: boolean }).isTTY === true;
  const selected = await selectSources(values.source, io);
  try {
    const rng = await Rng.create({ sources: selected.sources, logger: cliLogger(io) });
    try {
      if (values.once || !tty) {
        io.stdout.write(renderMonitor(rng.health(), undefined, 0, false));
        return EXIT_OK;
      }
      const stdin = io.stdin as NodeJS.ReadableStream & { setRawMode?: (raw: boolean) => void };
      const raw = io.interactive && typeof stdin.setRawMode === 'function';
      if (raw) stdin.setRawMode?.(true);
      let prev: HealthReport | undefined;
      let last = performance.now();
      const draw = (): void => {
        const now = performance.now();
        const h = rng.health();
        io.stdout.write(CLEAR + renderMonitor(h, prev, (now - last) / 1000, true));
        prev = h;
        last = now;
      };
      draw();
      await new Promise<void>((resolve) => {
        const timer = setInterval(draw, interval);
        const quit = (): void => {
          clearInterval(timer);
          stdin.off('data', onKey);
          process.off('SIGINT', quit);
          process.off('SIGTERM', quit);
          resolve();
        };
        const onKey = (chunk: Buffer | string): void => {
          const k = chunk.toString();
          if (k === 'q' || k === '\x03') {
            quit();
            return;
          }
          if (k === 'r') {
            try {
              rng.reseed();
            } catch {
              // a failed reseed shows in the state line
            }
            draw();
          }
        };
        stdin.on('data', onKey);
        stdin.resume();
        process.on('SIGINT', quit);
        process.on('SIGTERM', quit);
      });
      if (raw) stdin.setRawMode?.(false);
      stdin.pause();
      io.stdout.write('hrng monitor: stopped\n');
      return EXIT_OK;
    } finally {
      rng.destroy();
    }
  } finally {
    await selected.close();
  }
}

export const monitorCommand: Command = {
  name: 'monitor',
  summary: 'live terminal view of generator and source health, read rates and reseeds (r reseeds, q quits)',
  usage:
    'usage: hrng monitor [--interval MS] [--once] [--source ID]...\n  --interval MS  redraw period (default 1000)\n  --once         print one snapshot and exit (also when stdout is not a terminal)',
  run: monitor,
};
