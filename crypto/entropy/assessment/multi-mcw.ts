/**
 * SP 800-90B §6.3.7, the Multi Most Common in Window prediction estimate: four predictors guess the
 * most common value in the last 63, 255, 1023 and 4095 samples (ties: the most recently seen); the
 * one with the best score so far makes the prediction that counts.
 */
import type { Estimate } from './bound.js';
import { predictorEstimate } from './prediction.js';

const WINDOWS = [63, 255, 1023, 4095] as const;

export function multiMcwEstimate(s: Uint8Array, alphabetSize: number): Estimate | undefined {
  const len = s.length;
  const last = WINDOWS[WINDOWS.length - 1]!;
  if (len < last + 1) return undefined;
  const w = WINDOWS.length;
  const k = alphabetSize;
  const counts = WINDOWS.map(() => new Int32Array(k));
  const lastSeen = WINDOWS.map(() => new Float64Array(k));
  const maxCount = new Int32Array(w);
  const frequent = new Int32Array(w);
  const score = new Float64Array(w);
  let winner = 0;
  let correct = 0;
  let run = 0;
  let longestRun = 0;

  for (let i = 0; i < last; i++) {
    const x = s[i]!;
    for (let j = 0; j < w; j++) {
      if (i < WINDOWS[j]!) {
        const c = ++counts[j]![x]!;
        if (maxCount[j]! <= c) {
          maxCount[j] = c;
          frequent[j] = x;
        }
        lastSeen[j]![x] = i;
      }
    }
  }

  for (let i = WINDOWS[0]; i < len; i++) {
    const x = s[i]!;
    if (frequent[winner] === x) {
      correct++;
      if (++run > longestRun) longestRun = run;
    } else run = 0;

    for (let j = 0; j < w; j++) {
      if (i >= WINDOWS[j]! && frequent[j] === x) {
        if (++score[j]! >= score[winner]!) winner = j;
      }
    }

    for (let j = 0; j < w; j++) {
      const win = WINDOWS[j]!;
      if (i < win) continue;
      const cnt = counts[j]!;
      const pos = lastSeen[j]!;
      const leaving = s[i - win]!;
      cnt[leaving]!--;
      cnt[x]!++;
      pos[x] = i;
      if (leaving !== frequent[j] && maxCount[j]! <= cnt[x]!) {
        maxCount[j] = cnt[x]!;
        frequent[j] = x;
      } else if (leaving === frequent[j]) {
        maxCount[j]!--;
        let bestPos = i - win;
        for (let y = 0; y < k; y++) {
          if (maxCount[j]! < cnt[y]! || (maxCount[j] === cnt[y] && bestPos <= pos[y]!)) {
            maxCount[j] = cnt[y]!;
            frequent[j] = y;
            bestPos = pos[y]!;
          }
        }
      }
    }
  }
  return predictorEstimate('MultiMCW', '6.3.7', { correct, predictions: len - WINDOWS[0], longestRun, alphabetSize: k });
}
