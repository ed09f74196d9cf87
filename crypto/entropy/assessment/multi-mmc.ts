/**
 * SP 800-90B §6.3.9, the Multi Markov Model with Counting prediction estimate: sixteen predictors
 * model the next sample as a Markov chain of order 1..16 (at most 100 000 (x, y) entries each); the
 * best-scoring so far makes the prediction that counts. Binary data takes the same algorithm on flat
 * count tables (as ea_non_iid does), which bitstrings of millions of bits need.
 */
import type { Estimate } from './bound.js';
import { ContextKey, PostfixCounts } from './postfix-counts.js';
import { predictorEstimate } from './prediction.js';

const D = 16;
const MAX_ENTRIES = 100_000;

export function multiMmcEstimate(s: Uint8Array, alphabetSize: number): Estimate | undefined {
  if (s.length < 3) return undefined;
  const r = alphabetSize === 2 ? binaryMultiMmc(s) : generalMultiMmc(s, alphabetSize);
  return predictorEstimate('MultiMMC', '6.3.9', { correct: r.correct, predictions: s.length - 2, longestRun: r.longestRun, alphabetSize });
}

interface Tally {
  correct: number;
  longestRun: number;
}

function generalMultiMmc(s: Uint8Array, k: number): Tally {
  const len = s.length;
  const n = len - 2;
  const dicts = Array.from({ length: D }, () => new Map<number | string, PostfixCounts>());
  const entries = new Int32Array(D);
  const score = new Float64Array(D);
  const key = new ContextKey(s, k);
  for (let d = 0; d < D && d < n; d++) {
    key.reset(d + 1);
    let x: number | string = 0;
    for (let l = 0; l <= d; l++) x = key.extend();
    const c = new PostfixCounts();
    c.increment(s[d + 1]!, true);
    dicts[d]!.set(x, c);
    entries[d] = 1;
  }
  let winner = 0;
  let correct = 0;
  let run = 0;
  let longestRun = 0;
  for (let i = 2; i < len; i++) {
    const y = s[i]!;
    const current = winner;
    let found = false;
    key.reset(i);
    for (let d = 0; d < D && d <= i - 2; d++) {
      const x = key.extend();
      let dict: PostfixCounts | undefined;
      if (d === 0 || found) {
        dict = dicts[d]!.get(x);
        found = dict !== undefined;
      }
      if (dict !== undefined) {
        if (dict.prediction === y) {
          if (++score[d]! >= score[winner]!) winner = d;
          if (d === current) {
            correct++;
            if (++run > longestRun) longestRun = run;
          }
        } else if (d === current) run = 0;
        if (dict.increment(y, entries[d]! < MAX_ENTRIES)) entries[d]!++;
      } else if (entries[d]! < MAX_ENTRIES) {
        const map = dicts[d]!;
        let c = map.get(x);
        if (c === undefined) {
          c = new PostfixCounts();
          map.set(x, c);
        }
        c.increment(y, true);
        entries[d]!++;
      }
    }
  }
  return { correct, longestRun };
}

function binaryMultiMmc(s: Uint8Array): Tally {
  const len = s.length;
  // table[d][(pattern << 1) | y]: pattern = the d+1 previous bits, the most recent in bit 0.
  const table = Array.from({ length: D }, (_, d) => new Int32Array(1 << (d + 2)));
  const entries = new Int32Array(D);
  const score = new Float64Array(D);
  let pattern = 0;
  for (let d = 0; d < D; d++) {
    pattern = ((pattern << 1) | (s[d]! & 1)) >>> 0;
    const mask = (1 << (d + 1)) - 1;
    table[d]![((pattern & mask) << 1) | (s[d + 1]! & 1)] = 1;
    entries[d] = 1;
  }
  let winner = 0;
  let correct = 0;
  let run = 0;
  let longestRun = 0;
  for (let i = 2; i < len; i++) {
    const y = s[i]! & 1;
    const current = winner;
    let found = false;
    pattern = 0;
    for (let d = 0; d < D && d <= i - 2; d++) {
      pattern |= (s[i - d - 1]! & 1) << d;
      const t = table[d]!;
      const at = pattern << 1;
      if (d === 0 || found) {
        const c0 = t[at]!;
        const c1 = t[at + 1]!;
        const prediction = c0 > c1 ? 0 : 1;
        found = (c0 > c1 ? c0 : c1) !== 0;
        if (found) {
          if (prediction === y) {
            if (++score[d]! >= score[winner]!) winner = d;
            if (d === current) {
              correct++;
              if (++run > longestRun) longestRun = run;
            }
          } else if (d === current) run = 0;
        }
      }
      if (found) {
        if (t[at + y] !== 0) t[at + y]!++;
        else if (entries[d]! < MAX_ENTRIES) {
          t[at + y] = 1;
          entries[d]!++;
        }
      } else if (entries[d]! < MAX_ENTRIES) {
        t[at + y] = 1;
        entries[d]!++;
      }
    }
  }
  return { correct, longestRun };
}
