/**
 * Height, round, step: the position of a vote or proposal in Tendermint-style BFT consensus, ordered
 * lexicographically. Safe integers (< 2^53) bound all three: at one block a second a height never gets
 * there. Interchange files carry them as decimal strings, as EIP-3076 does for slots and epochs.
 */
import { GuardArgumentError } from './guard-errors.js';

export interface Hrs {
  readonly height: number;
  readonly round: number;
  readonly step: number;
}

export function assertHrs(hrs: Hrs): Hrs {
  if (typeof hrs !== 'object' || hrs === null) throw new GuardArgumentError('height/round/step must be an object');
  for (const k of ['height', 'round', 'step'] as const) {
    const v = hrs[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw new GuardArgumentError(`${k} must be a non-negative safe integer (got ${String(v)})`);
    }
  }
  return { height: hrs.height, round: hrs.round, step: hrs.step };
}

/** < 0, 0, > 0 as `a` is below, at, or above `b`. */
export function compareHrs(a: Hrs, b: Hrs): number {
  return a.height !== b.height ? Math.sign(a.height - b.height) : a.round !== b.round ? Math.sign(a.round - b.round) : Math.sign(a.step - b.step);
}

export function formatHrs(hrs: Hrs): string {
  return `height ${hrs.height} round ${hrs.round} step ${hrs.step}`;
}
