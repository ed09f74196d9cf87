/**
 * SP 800-90B §6.3.8, the Lag prediction estimate: 128 predictors each guess that the next sample
 * repeats the one d samples back (d = 1..128); the best-scoring so far (ties: the larger d) counts.
 * It catches periodic structure, such as a timer whose deltas cycle.
 */
import type { Estimate } from './bound.js';
import { predictorEstimate } from './prediction.js';

const D = 128;

export function lagEstimate(s: Uint8Array, alphabetSize: number): Estimate | undefined {
  const len = s.length;
  if (len < 3) return undefined;
  const score = new Float64Array(D + 1);
  let winner = 1;
  let correct = 0;
  let run = 0;
  let longestRun = 0;
  for (let i = 1; i < len; i++) {
    const x = s[i]!;
    if (s[i - winner] === x) {
      correct++;
      if (++run > longestRun) longestRun = run;
    } else run = 0;
    const top = Math.min(D, i);
    for (let d = 1; d <= top; d++) {
      if (s[i - d] === x && ++score[d]! >= score[winner]!) winner = d;
    }
  }
  return predictorEstimate('Lag', '6.3.8', { correct, predictions: len - 1, longestRun, alphabetSize });
}
