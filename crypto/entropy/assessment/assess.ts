/**
 * SP 800-90B §3.1.3 / §6.1, the non-IID track of an initial entropy estimate: run the §6.3 estimators
 * on the samples as they are (H_original) and, for samples wider than one bit, on their bitstring
 * (H_bitstring, per bit); the assessed min-entropy per sample is min(H_original, width × H_bitstring).
 * Collision, Markov and Compression apply to binary data only, so for multi-bit samples they run on
 * the bitstring. H_submitter, the designer's own claim that §3.1.3 also
 * takes the minimum with, is the caller's business.
 *
 * This is an implementation of the estimators, not NIST's validated tool: docs/entropy.md says how to
 * run ea_non_iid on the same file for an independent check.
 */
import type { Estimate } from './bound.js';
import { collisionEstimate } from './collision.js';
import { compressionEstimate } from './compression.js';
import { lagEstimate } from './lag.js';
import { lz78yEstimate } from './lz78y.js';
import { markovEstimate } from './markov.js';
import { mostCommonValueEstimate } from './most-common-value.js';
import { multiMcwEstimate } from './multi-mcw.js';
import { multiMmcEstimate } from './multi-mmc.js';
import { prepareSamples } from './samples.js';
import { tupleEstimates } from './tuple.js';

export interface NonIidAssessment {
  readonly samples: number;
  readonly bitsPerSymbol: number;
  readonly alphabetSize: number;
  /** Estimates on the samples as they are; min over these is H_original. */
  readonly original: readonly Estimate[];
  /** Estimates on the bitstring (per bit); empty for 1-bit samples. */
  readonly bitstring: readonly Estimate[];
  readonly hOriginal: number;
  /** Per bit; 1 when there is no bitstring (1-bit samples). */
  readonly hBitstring: number;
  /** min(H_original, bitsPerSymbol × H_bitstring): the assessed min-entropy per sample. */
  readonly minEntropy: number;
  /** The estimator that set `minEntropy`, e.g. 'LZ78Y' or 'bitstring:MultiMMC'. */
  readonly limitedBy: string;
}

export interface AssessOptions {
  /** Symbol width in bits (default: the highest bit in use, as ea_non_iid infers it). */
  readonly bitsPerSymbol?: number;
  /** Assess only the first this-many bits of the bitstring (ea_non_iid's -t uses 1 000 000). */
  readonly bitstringLimit?: number;
}

function runAll(s: Uint8Array, k: number, binary: boolean): Estimate[] {
  const out: Estimate[] = [mostCommonValueEstimate(s)];
  if (binary) {
    out.push(collisionEstimate(s), markovEstimate(s));
    const compression = compressionEstimate(s);
    if (compression !== undefined) out.push(compression);
  }
  const { tTuple, lrs } = tupleEstimates(s);
  for (const e of [tTuple, lrs, multiMcwEstimate(s, k), lagEstimate(s, k), multiMmcEstimate(s, k), lz78yEstimate(s, k)]) {
    if (e !== undefined) out.push(e);
  }
  return out;
}

function minimum(estimates: readonly Estimate[], ceiling: number): { h: number; by: string } {
  let h = ceiling;
  let by = 'ceiling';
  for (const e of estimates) {
    if (e.minEntropy < h) {
      h = e.minEntropy;
      by = e.estimator;
    }
  }
  return { h, by };
}

export function assessNonIid(raw: Uint8Array, options: AssessOptions = {}): NonIidAssessment {
  const prepared = prepareSamples(raw, options.bitsPerSymbol);
  const { symbols, alphabetSize, bitsPerSymbol } = prepared;
  if (alphabetSize < 2) {
    // One symbol only: ea_non_iid refuses to award any entropy, and so do we.
    return {
      samples: raw.length,
      bitsPerSymbol,
      alphabetSize,
      original: [],
      bitstring: [],
      hOriginal: 0,
      hBitstring: 0,
      minEntropy: 0,
      limitedBy: 'single symbol',
    };
  }
  const original = runAll(symbols, alphabetSize, alphabetSize === 2);
  let bitstring: Estimate[] = [];
  if (bitsPerSymbol > 1) {
    const limit = options.bitstringLimit ?? prepared.bits.length;
    bitstring = runAll(prepared.bits.subarray(0, Math.min(limit, prepared.bits.length)), 2, true);
  }
  const o = minimum(original, bitsPerSymbol);
  const b = minimum(bitstring, 1);
  const fromBits = bitsPerSymbol * b.h;
  const minEntropy = Math.min(o.h, fromBits);
  return {
    samples: raw.length,
    bitsPerSymbol,
    alphabetSize,
    original,
    bitstring,
    hOriginal: o.h,
    hBitstring: b.h,
    minEntropy,
    limitedBy: fromBits < o.h ? `bitstring:${b.by}` : o.by,
  };
}
