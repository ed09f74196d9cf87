/**
 * Constant-time lexicographic comparison of two equal-length byte strings (the order of
 * `Buffer.compare`, i.e. of big-endian unsigned integers): -1, 0 or 1.
 *
 * Every byte is visited, last to first; a differing byte overwrites the running result through a mask,
 * so the most significant difference wins without a branch, an early exit or a data-dependent index.
 * Unequal lengths throw: the length is public, and a comparison of unequal lengths has no meaning here.
 */
import { CryptoError } from '../errors.js';

export function compare(a: Uint8Array, b: Uint8Array): -1 | 0 | 1 {
  if (a.length !== b.length)
    throw new CryptoError('CT_LENGTH_MISMATCH', `ct.compare: inputs must have equal lengths (got ${a.length} and ${b.length})`);
  let result = 0;
  for (let i = a.length - 1; i >= 0; i--) {
    const diff = (a[i] as number) - (b[i] as number); // in [-255, 255]
    const differs = -((diff | -diff) >>> 31); // -1 (all ones) if diff ≠ 0, else 0
    const sign = (diff >> 31) | 1; // -1 if a < b, else 1
    result ^= (result ^ sign) & differs;
  }
  return result as -1 | 0 | 1;
}
