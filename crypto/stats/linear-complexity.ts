/**
 * SP 800-22 Rev. 1a §2.10: linear complexity. N = ⌊n/M⌋ blocks (M = 500 by default), each block's linear
 * complexity by Berlekamp–Massey over GF(2), T_i = (−1)^M (L_i − μ) + 2/9 classed into K + 1 = 7 classes
 * with the §3.10 probabilities, P = igamc(K/2, χ²/2). Berlekamp–Massey runs on 32-bit words: the
 * connection polynomials and the block (reversed, so a discrepancy is one word-wise AND and a parity).
 */
import type { Bits } from './bits.js';
import { applicable, notApplicable, type StsResult } from './result.js';
import { igamc } from './special.js';

const PI = [0.01047, 0.03125, 0.125, 0.5, 0.25, 0.0625, 0.020833];

function parity32(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  return (0x6996 >>> (x & 0xf)) & 1;
}

/** 32 bits of `words` starting at bit `offset` (LSB-first packing), zeros past the end. */
function bitsAt(words: Uint32Array, offset: number): number {
  const q = offset >>> 5;
  const s = offset & 31;
  const lo = (words[q] ?? 0) >>> s;
  return s === 0 ? lo : (lo | ((words[q + 1] ?? 0) << (32 - s))) >>> 0;
}

/** The linear complexity of ε[start, start + m), by Berlekamp–Massey. */
export function linearComplexity(bits: Bits, start: number, m: number): number {
  const wordsLen = (m >>> 5) + 2;
  // r[j] = ε_{start + m − 1 − j}: the block reversed, so Σ_{i=0..L} c_i ε_{N−i} reads r from M − 1 − N.
  const r = new Uint32Array(wordsLen);
  for (let j = 0; j < m; j++) if (bits[start + m - 1 - j] === 1) r[j >>> 5] = (r[j >>> 5] as number) | (1 << (j & 31));
  const c = new Uint32Array(wordsLen);
  let b = new Uint32Array(wordsLen);
  let t = new Uint32Array(wordsLen);
  c[0] = 1;
  b[0] = 1;
  let l = 0;
  let lastM = -1;
  for (let nIdx = 0; nIdx < m; nIdx++) {
    const base = m - 1 - nIdx;
    let acc = 0;
    const top = l >>> 5;
    for (let w = 0; w <= top; w++) {
      let cw = c[w] as number;
      if (w === top) cw &= (l & 31) === 31 ? 0xffffffff : (1 << ((l & 31) + 1)) - 1;
      acc ^= cw & bitsAt(r, base + 32 * w);
    }
    if (parity32(acc) === 0) continue;
    t.set(c);
    // C ← C + x^(N − m) B
    const shift = nIdx - lastM;
    const ws = shift >>> 5;
    const bs = shift & 31;
    for (let w = wordsLen - 1; w >= ws; w--) {
      const hi = b[w - ws] as number;
      const lo = w - ws - 1 >= 0 ? (b[w - ws - 1] as number) : 0;
      const v = bs === 0 ? hi : ((hi << bs) | (lo >>> (32 - bs))) >>> 0;
      c[w] = ((c[w] as number) ^ v) >>> 0;
    }
    if (l <= nIdx / 2) {
      l = nIdx + 1 - l;
      lastM = nIdx;
      const swap = b;
      b = t;
      t = swap;
    }
  }
  return l;
}

export function linearComplexityTest(bits: Bits, blockLength = 500): StsResult {
  const blocks = Math.floor(bits.length / blockLength);
  if (blocks < 1) return notApplicable('linear-complexity', `n = ${bits.length} < M = ${blockLength}`);
  const m = blockLength;
  const signMu = (m + 1) % 2 === 0 ? -1 : 1;
  const mu = m / 2 + (9 + signMu) / 36 - (1 / 2 ** m) * (m / 3 + 2 / 9);
  const signT = m % 2 === 0 ? 1 : -1;
  const nu = new Array<number>(7).fill(0);
  for (let i = 0; i < blocks; i++) {
    const l = linearComplexity(bits, i * m, m);
    const t = signT * (l - mu) + 2 / 9;
    const cls = t <= -2.5 ? 0 : t <= -1.5 ? 1 : t <= -0.5 ? 2 : t <= 0.5 ? 3 : t <= 1.5 ? 4 : t <= 2.5 ? 5 : 6;
    nu[cls] = (nu[cls] as number) + 1;
  }
  let chi2 = 0;
  for (let i = 0; i < 7; i++) chi2 += ((nu[i] as number) - blocks * (PI[i] as number)) ** 2 / (blocks * (PI[i] as number));
  return applicable('linear-complexity', [igamc(3, chi2 / 2)], [`M=${m}`]);
}
