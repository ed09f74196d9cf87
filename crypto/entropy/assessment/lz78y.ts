/**
 * SP 800-90B §6.3.10, the LZ78Y prediction estimate: a dictionary of contexts of length 1..16 (at most
 * 65 536 entries in all) built as the data goes by; the prediction is the most frequent follower of
 * whichever matching context has the highest count. Binary data takes the same algorithm on flat
 * count tables (as ea_non_iid does).
 */
import type { Estimate } from './bound.js';
import { ContextKey, PostfixCounts } from './postfix-counts.js';
import { predictorEstimate } from './prediction.js';

const B = 16;
const MAX_DICTIONARY = 65_536;

export function lz78yEstimate(s: Uint8Array, alphabetSize: number): Estimate | undefined {
  if (s.length < B + 2) return undefined;
  const r = alphabetSize === 2 ? binaryLz78y(s) : generalLz78y(s, alphabetSize);
  return predictorEstimate('LZ78Y', '6.3.10', {
    correct: r.correct,
    predictions: s.length - B - 1,
    longestRun: r.longestRun,
    alphabetSize,
  });
}

interface Tally {
  correct: number;
  longestRun: number;
}

function generalLz78y(s: Uint8Array, k: number): Tally {
  const len = s.length;
  const dicts = Array.from({ length: B + 1 }, () => new Map<number | string, PostfixCounts>());
  const key = new ContextKey(s, k);
  const keys: (number | string)[] = new Array<number | string>(B + 1).fill(0);
  let size = 0;
  key.reset(B);
  for (let j = 1; j <= B; j++) {
    const c = new PostfixCounts();
    c.increment(s[B]!, true);
    dicts[j]!.set(key.extend(), c);
    size++;
  }
  let correct = 0;
  let run = 0;
  let longestRun = 0;
  for (let i = B + 1; i < len; i++) {
    const y = s[i]!;
    key.reset(i);
    for (let j = 1; j <= B; j++) keys[j] = key.extend();
    let havePrediction = false;
    let prediction = 0;
    let maxCount = 0;
    for (let j = B; j > 0; j--) {
      const map = dicts[j]!;
      const x = keys[j]!;
      const dict = map.get(x);
      if (dict !== undefined) {
        if (dict.predictionCount > maxCount) {
          maxCount = dict.predictionCount;
          prediction = dict.prediction;
          havePrediction = true;
        }
        dict.increment(y, true);
      } else if (size < MAX_DICTIONARY) {
        const c = new PostfixCounts();
        c.increment(y, true);
        map.set(x, c);
        size++;
      }
    }
    if (havePrediction && prediction === y) {
      correct++;
      if (++run > longestRun) longestRun = run;
    } else run = 0;
  }
  return { correct, longestRun };
}

function binaryLz78y(s: Uint8Array): Tally {
  const len = s.length;
  // table[j][(pattern << 1) | y]: pattern = the j previous bits, the most recent in bit 0.
  const table = Array.from({ length: B + 1 }, (_, j) => new Int32Array(j === 0 ? 0 : 1 << (j + 1)));
  let size = 0;
  let pattern = 0;
  for (let j = 1; j <= B; j++) {
    pattern |= (s[B - j]! & 1) << (j - 1);
    table[j]![(pattern << 1) | (s[B]! & 1)] = 1;
    size++;
  }
  let correct = 0;
  let run = 0;
  let longestRun = 0;
  for (let i = B + 1; i < len; i++) {
    const y = s[i]! & 1;
    let full = 0;
    for (let j = 1; j <= B; j++) full |= (s[i - j]! & 1) << (j - 1);
    let havePrediction = false;
    let prediction = 0;
    let maxCount = 0;
    for (let j = B; j > 0; j--) {
      const t = table[j]!;
      const at = (full & ((1 << j) - 1)) << 1;
      const c0 = t[at]!;
      const c1 = t[at + 1]!;
      const count = c0 > c1 ? c0 : c1;
      if (count !== 0) {
        if (count > maxCount) {
          maxCount = count;
          prediction = c0 > c1 ? 0 : 1;
          havePrediction = true;
        }
        t[at + y]!++;
      } else if (size < MAX_DICTIONARY) {
        t[at + y] = 1;
        size++;
      }
    }
    if (havePrediction && prediction === y) {
      correct++;
      if (++run > longestRun) longestRun = run;
    } else run = 0;
  }
  return { correct, longestRun };
}
