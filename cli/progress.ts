/**
 * Progress bars for long work (`hrng probe`, `hrng test`, `hrng report`, `hrng bench`):
 * `label [##########....................] done/total`, redrawn in place (carriage return) on stderr.
 *
 * Shown only when stderr is a terminal and progress is not turned off (`CliIo.progress`, false under
 * --quiet or when the caller says so). Piped or redirected, a bar writes nothing at all — not even the
 * final newline — so scripts and logs see exactly the command's output. A bar redraws only when its
 * text changes, so calling `tick` in a tight loop costs a comparison.
 */
import { wantsProgress, type CliIo } from './io.js';

export interface Progress {
  /** `done` of `total` units finished (clamped to 0..total). */
  tick(done: number): void;
  /** Ends the bar's line (only if the bar drew anything). */
  end(): void;
}

export const BAR_WIDTH = 30;

const NONE: Progress = Object.freeze({ tick: () => {}, end: () => {} });

/** Whether `io` shows progress: stderr is a terminal and progress was not turned off. */
export function showsProgress(io: CliIo): boolean {
  return wantsProgress(io) && (io.stderr as NodeJS.WritableStream & { isTTY?: boolean }).isTTY === true;
}

/** The bar's text for `done` of `total` (pure; tested by a table). */
export function barText(label: string, done: number, total: number): string {
  const d = Math.max(0, Math.min(total, Math.floor(done)));
  const filled = total > 0 ? Math.floor((BAR_WIDTH * d) / total) : BAR_WIDTH;
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${d}/${total}`;
}

/** A progress bar on stderr when it is a terminal; a no-op otherwise (and for totals under 2). */
export function progressBar(io: CliIo, label: string, total: number): Progress {
  if (!showsProgress(io) || !(total > 1)) return NONE;
  let shown = '';
  return {
    tick(done) {
      const text = barText(label, done, total);
      if (text === shown) return;
      shown = text;
      io.stderr.write(`\r${text}`);
    },
    end() {
      if (shown !== '') io.stderr.write('\n');
      shown = '';
    },
  };
}
