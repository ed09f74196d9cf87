/**
 * SP 800-22 Rev. 1a §2.5: binary matrix rank. N = ⌊n / 1024⌋ disjoint 32×32 matrices (row i, column j =
 * ε_{1024k + 32i + j}); ranks over GF(2) classed 32, 31, ≤ 30 against the §3.5 probabilities computed as
 * STS 2.1.2 computes them; P = e^(−χ²/2). Only M = Q = 32 is supported (the STS default).
 */
import type { Bits } from './bits.js';
import { applicable, notApplicable, type StsResult } from './result.js';

const SIZE = 32;

function rankProbability(r: number): number {
  let product = 1;
  for (let i = 0; i < r; i++) product *= ((1 - 2 ** (i - SIZE)) * (1 - 2 ** (i - SIZE))) / (1 - 2 ** (i - r));
  return 2 ** (r * (2 * SIZE - r) - SIZE * SIZE) * product;
}

const P32 = rankProbability(32);
const P31 = rankProbability(31);
const P30 = 1 - (P32 + P31);

/** Rank over GF(2) of 32 rows given as 32-bit words (the array is consumed). */
export function gf2Rank(rows: Uint32Array): number {
  let rank = 0;
  for (let col = 0; col < SIZE && rank < rows.length; col++) {
    const bit = 1 << col;
    let pivot = -1;
    for (let r = rank; r < rows.length; r++) {
      if (((rows[r] as number) & bit) !== 0) {
        pivot = r;
        break;
      }
    }
    if (pivot < 0) continue;
    const p = rows[pivot] as number;
    rows[pivot] = rows[rank] as number;
    rows[rank] = p;
    for (let r = rank + 1; r < rows.length; r++) if (((rows[r] as number) & bit) !== 0) rows[r] = (rows[r] as number) ^ p;
    rank++;
  }
  return rank;
}

export function rankTest(bits: Bits): StsResult {
  const matrices = Math.floor(bits.length / (SIZE * SIZE));
  if (matrices < 1) return notApplicable('rank', `n = ${bits.length} < 1024`);
  let f32 = 0;
  let f31 = 0;
  const rows = new Uint32Array(SIZE);
  for (let k = 0; k < matrices; k++) {
    for (let i = 0; i < SIZE; i++) {
      let w = 0;
      const start = k * SIZE * SIZE + i * SIZE;
      for (let j = 0; j < SIZE; j++) w |= (bits[start + j] as number) << j;
      rows[i] = w >>> 0;
    }
    const r = gf2Rank(rows);
    if (r === 32) f32++;
    else if (r === 31) f31++;
  }
  const rest = matrices - f32 - f31;
  const chi2 =
    (f32 - matrices * P32) ** 2 / (matrices * P32) +
    (f31 - matrices * P31) ** 2 / (matrices * P31) +
    (rest - matrices * P30) ** 2 / (matrices * P30);
  return applicable('rank', [Math.exp(-chi2 / 2)], ['32x32']);
}
