/**
 * SP 800-22 Rev. 1a §2.11 (serial) and §2.12 (approximate entropy): both count the overlapping m-bit
 * patterns of ε extended cyclically by its first m − 1 bits.
 * §2.11: ψ²_m = 2^m/n Σ ν² − n, ∇ψ² = ψ²_m − ψ²_{m−1}, ∇²ψ² = ψ²_m − 2ψ²_{m−1} + ψ²_{m−2},
 * P1 = igamc(2^(m−2), ∇ψ²/2), P2 = igamc(2^(m−3), ∇²ψ²/2) (m = 16 by default).
 * §2.12: ApEn(m) = φ^(m) − φ^(m+1), φ^(m) = Σ π_i ln π_i, χ² = 2n(ln 2 − ApEn), P = igamc(2^(m−1), χ²/2)
 * (m = 10 by default). m ≤ 24 here (the counts are one array of 2^m).
 */
import type { Bits } from './bits.js';
import { applicable, notApplicable, type StsResult } from './result.js';
import { igamc } from './special.js';

/** ν: counts of each cyclic overlapping m-bit pattern (first bit most significant). */
export function cyclicPatternCounts(bits: Bits, m: number): Float64Array {
  const n = bits.length;
  const counts = new Float64Array(2 ** m);
  if (m === 0) {
    counts[0] = n;
    return counts;
  }
  const mask = 2 ** m - 1;
  let v = 0;
  for (let i = 0; i < m - 1; i++) v = (v << 1) | (bits[i % n] as number);
  for (let i = 0; i < n; i++) {
    v = ((v << 1) | (bits[(i + m - 1) % n] as number)) & mask;
    counts[v] = (counts[v] as number) + 1;
  }
  return counts;
}

function psiSquared(bits: Bits, m: number): number {
  if (m <= 0) return 0;
  const n = bits.length;
  const counts = cyclicPatternCounts(bits, m);
  let sum = 0;
  for (let i = 0; i < counts.length; i++) sum += (counts[i] as number) ** 2;
  return (sum * 2 ** m) / n - n;
}

export function serialTest(bits: Bits, m = 16): StsResult {
  if (m < 2 || m > 24) return notApplicable('serial', `m = ${m} outside 2..24`);
  if (bits.length < m) return notApplicable('serial', `n = ${bits.length} < m = ${m}`);
  const p0 = psiSquared(bits, m);
  const p1 = psiSquared(bits, m - 1);
  const p2 = psiSquared(bits, m - 2);
  const del1 = p0 - p1;
  const del2 = p0 - 2 * p1 + p2;
  return applicable('serial', [igamc(2 ** (m - 1) / 2, del1 / 2), igamc(2 ** (m - 2) / 2, del2 / 2)], ['P1', 'P2']);
}

function phi(bits: Bits, m: number): number {
  const n = bits.length;
  const counts = cyclicPatternCounts(bits, m);
  let sum = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] as number;
    if (c > 0) sum += c * Math.log(c / n);
  }
  return sum / n;
}

export function approximateEntropyTest(bits: Bits, m = 10): StsResult {
  if (m < 1 || m > 23) return notApplicable('approximate-entropy', `m = ${m} outside 1..23`);
  const n = bits.length;
  if (n < m + 1) return notApplicable('approximate-entropy', `n = ${n} < m + 1 = ${m + 1}`);
  const apEn = phi(bits, m) - phi(bits, m + 1);
  const chi2 = 2 * n * (Math.LN2 - apEn);
  return applicable('approximate-entropy', [igamc(2 ** (m - 1), chi2 / 2)], [`m=${m}`]);
}
