import type { Clock } from '../../../../crypto/clock.js';
import type { Logger } from '../../../../crypto/log.js';

export interface LogRecord {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly obj: Record<string, unknown>;
  readonly msg: string | undefined;
}

export function recordingLogger(): Logger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  const at =
    (level: LogRecord['level']) =>
    (obj: object, msg?: string): void => {
      records.push({ level, obj: obj as Record<string, unknown>, msg });
    };
  return { records, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * A clock the test moves: `advance` moves both clocks (time passing), `jumpWall` moves only the wall
 * clock (what a VM snapshot restore or CRIU restore looks like from inside the process).
 */
export function manualClock(): Clock & { advance(ms: number): void; jumpWall(ms: number): void } {
  let now = 10_000;
  let wallOffset = 1_800_000_000_000;
  return {
    monotonicMs: () => now,
    wallMs: () => wallOffset + now,
    advance: (ms) => void (now += ms),
    jumpWall: (ms) => void (wallOffset += ms),
  };
}
