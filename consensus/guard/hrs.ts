/**
 * Height, round, step: the position of a vote or proposal in Tendermint-style BFT consensus, ordered
 * lexicographically. Safe integers (< 2^53) bound all three: at one block a second a height never gets
 * there. Interchange files carry them as decimal strings, as EIP-3076 does for slots and epochs.
 */
import { check } from './guard-check.js';

export interface Hrs {
  readonly height: number;
  readonly round: number;
  readonly step: number;
}

export function assertHrs(hrs: Hrs): Hrs {
  const r = check.record(hrs, 'height/round/step');
  return { height: check.integer(r.height, 'height'), round: check.integer(r.round, 'round'), step: check.integer(r.step, 'step') };
}

/** < 0, 0, > 0 as `a` is below, at, or above `b`. */
export function compareHrs(a: Hrs, b: Hrs): number {
  return a.height !== b.height
    ? Math.sign(a.height - b.height)
    : a.round !== b.round
      ? Math.sign(a.round - b.round)
      : Math.sign(a.step - b.step);
}

export function formatHrs(hrs: Hrs): string {
  return `height ${hrs.height} round ${hrs.round} step ${hrs.step}`;
}
