/**
 * Liveness (partial synchrony): once the network is synchronous (GST), partitions have healed and
 * faulty nodes are back or gone — from `stableMs` — every honest node that is up commits a block it
 * had not committed at `stableMs`, within `boundMs`. The bound the harness states for chained HotStuff:
 * (f + 4) views at the largest timeout (8 × base) plus 10 δ — enough for f faulty leaders in a row,
 * a view change, and the three views of a three-chain (docs/simulation.md).
 */
import type { CommitRecord } from './ledger.js';
import type { Violation } from './violation.js';

export function livenessBoundMs(f: number, timeoutMs: number, deltaMs: number): number {
  return (f + 4) * 8 * timeoutMs + 10 * deltaMs;
}

export interface LivenessInput {
  readonly commits: readonly CommitRecord[];
  /** Honest slots that must make progress (up at the end). */
  readonly slots: readonly number[];
  readonly stableMs: number;
  readonly boundMs: number;
}

/** The slots that have committed a new height after `stableMs`, by the time they did. */
export function progressAfter(commits: readonly CommitRecord[], stableMs: number): Map<number, number> {
  const before = new Map<number, number>();
  const done = new Map<number, number>();
  for (const c of commits) {
    if (c.timeMs <= stableMs) before.set(c.slot, Math.max(before.get(c.slot) ?? 0, c.height));
    else if (!done.has(c.slot) && c.height > (before.get(c.slot) ?? 0)) done.set(c.slot, c.timeMs);
  }
  return done;
}

export function checkLiveness(input: LivenessInput): Violation[] {
  const done = progressAfter(input.commits, input.stableMs);
  const late = input.slots.filter((s) => {
    const t = done.get(s);
    return t === undefined || t > input.stableMs + input.boundMs;
  });
  if (late.length === 0) return [];
  return [
    { check: 'liveness', message: `slots ${late.join(',')} committed nothing new within ${input.boundMs} ms after ${input.stableMs} ms` },
  ];
}
