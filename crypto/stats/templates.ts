/**
 * SP 800-22 Rev. 1a §2.7 (non-overlapping template matching) and §2.8 (overlapping template matching).
 *
 * §2.7 runs every aperiodic template of length m (no proper prefix equals a suffix: the templates STS
 * ships in templates/template<m>, 148 for m = 9), in ascending order, over N = 8 blocks of M = ⌊n/8⌋ bits;
 * after a match the window jumps m bits. One P-value per template, labelled with the template.
 * §2.8 uses the all-ones template of length m over blocks of M = 1032 bits, K = 5 classes, with the
 * class probabilities STS 2.1.2 computes from its Pr(u, η) (Appendix B's 0.110434 for e needs them, not
 * §3.8's table). Only N = 8 (§2.7) and M = 1032, K = 5 (§2.8) are supported.
 */
import type { Bits } from './bits.js';
import { applicable, notApplicable, type StsResult } from './result.js';
import { igamc } from './special.js';

/** Aperiodic binary words of length m, ascending (as integers, first bit most significant). */
export function aperiodicTemplates(m: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < 1 << m; t++) {
    let periodic = false;
    for (let shift = 1; shift < m && !periodic; shift++) {
      // prefix of length m − shift equals the suffix of that length
      const len = m - shift;
      const prefix = t >>> shift;
      const suffix = t & ((1 << len) - 1);
      if (prefix === suffix) periodic = true;
    }
    if (!periodic) out.push(t);
  }
  return out;
}

/** w[i] = the m-bit word ε_i … ε_{i+m−1}, first bit most significant; length n − m + 1. */
function windows(bits: Bits, m: number): Int32Array {
  const count = bits.length - m + 1;
  const w = new Int32Array(Math.max(0, count));
  if (count <= 0) return w;
  const mask = (1 << m) - 1;
  let v = 0;
  for (let i = 0; i < m - 1; i++) v = (v << 1) | (bits[i] as number);
  for (let i = 0; i < count; i++) {
    v = ((v << 1) | (bits[i + m - 1] as number)) & mask;
    w[i] = v;
  }
  return w;
}

const templateCache = new Map<number, number[]>();

export function nonOverlappingTemplateTest(bits: Bits, m = 9): StsResult {
  const n = bits.length;
  const blocks = 8;
  const blockLength = Math.floor(n / blocks);
  if (blockLength < m) return notApplicable('non-overlapping-template', `n = ${n} too short for 8 blocks of at least m = ${m} bits`);
  let templates = templateCache.get(m);
  if (!templates) {
    templates = aperiodicTemplates(m);
    templateCache.set(m, templates);
  }
  const w = windows(bits, m);
  // Positions of each word inside the blocks, grouped by word (a counting sort), so each template only
  // visits its own occurrences instead of rescanning n bits 148 times.
  const size = 1 << m;
  const start = new Int32Array(size + 1);
  const perBlock = blockLength - m + 1;
  for (let b = 0; b < blocks; b++)
    for (let j = 0; j < perBlock; j++) {
      const k = (w[b * blockLength + j] as number) + 1;
      start[k] = (start[k] as number) + 1;
    }
  for (let t = 0; t < size; t++) start[t + 1] = (start[t + 1] as number) + (start[t] as number);
  const fill = start.slice(0, size);
  const positions = new Int32Array(start[size] as number);
  for (let b = 0; b < blocks; b++) {
    for (let j = 0; j < perBlock; j++) {
      const word = w[b * blockLength + j] as number;
      positions[fill[word] as number] = b * blockLength + j;
      fill[word] = (fill[word] as number) + 1;
    }
  }
  const lambda = (blockLength - m + 1) / 2 ** m;
  const variance = blockLength * (1 / 2 ** m - (2 * m - 1) / 2 ** (2 * m));
  const pValues: number[] = [];
  const labels: string[] = [];
  const counts = new Float64Array(blocks);
  for (const t of templates) {
    counts.fill(0);
    let next = -1; // first position a match may start at (after the previous match)
    for (let i = start[t] as number; i < (start[t + 1] as number); i++) {
      const pos = positions[i] as number;
      const block = Math.floor(pos / blockLength);
      if (pos < next && Math.floor(next / blockLength) === block) continue;
      counts[block] = (counts[block] as number) + 1;
      next = pos + m;
    }
    let chi2 = 0;
    for (let b = 0; b < blocks; b++) chi2 += ((counts[b] as number) - lambda) ** 2 / variance;
    pValues.push(igamc(blocks / 2, chi2 / 2));
    labels.push(t.toString(2).padStart(m, '0'));
  }
  return applicable('non-overlapping-template', pValues, labels);
}

/** STS 2.1.2 Pr(u, η): probability of u overlapping matches in a block (Poisson-compound). */
function overlapProbability(u: number, eta: number): number {
  if (u === 0) return Math.exp(-eta);
  let sum = 0;
  for (let l = 1; l <= u; l++)
    sum += Math.exp(-eta - u * Math.LN2 + l * Math.log(eta) - lgammaInt(l + 1) + lgammaInt(u) - lgammaInt(l) - lgammaInt(u - l + 1));
  return sum;
}

/** ln Γ(k) for small positive integers k: ln (k − 1)!. */
function lgammaInt(k: number): number {
  let s = 0;
  for (let i = 2; i < k; i++) s += Math.log(i);
  return s;
}

export function overlappingTemplateTest(bits: Bits, m = 9): StsResult {
  const n = bits.length;
  const blockLength = 1032;
  const classes = 5;
  const blocks = Math.floor(n / blockLength);
  if (blocks < 1) return notApplicable('overlapping-template', `n = ${n} < M = ${blockLength}`);
  const lambda = (blockLength - m + 1) / 2 ** m;
  const eta = lambda / 2;
  const pi: number[] = [];
  let sum = 0;
  for (let i = 0; i < classes; i++) {
    const p = overlapProbability(i, eta);
    pi.push(p);
    sum += p;
  }
  pi.push(1 - sum);
  const nu = new Array<number>(classes + 1).fill(0);
  for (let b = 0; b < blocks; b++) {
    let matches = 0;
    let run = 0;
    const startBit = b * blockLength;
    // An all-ones window ends at every position where the current run of ones is ≥ m.
    for (let j = 0; j < blockLength; j++) {
      if (bits[startBit + j] === 1) {
        run++;
        if (run >= m) matches++;
      } else run = 0;
    }
    const cls = Math.min(matches, classes);
    nu[cls] = (nu[cls] as number) + 1;
  }
  let chi2 = 0;
  for (let i = 0; i <= classes; i++) chi2 += ((nu[i] as number) - blocks * (pi[i] as number)) ** 2 / (blocks * (pi[i] as number));
  return applicable('overlapping-template', [igamc(classes / 2, chi2 / 2)], [`m=${m}`]);
}
