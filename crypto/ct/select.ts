/**
 * Constant-time selection between two equal-length byte strings, as Go's `subtle.ConstantTimeCopy`:
 * `choice` is the number 1 (take `a`) or 0 (take `b`). The choice becomes a 0x00/0xff mask and every
 * output byte is `b ^ (mask & (a ^ b))`, so neither branch nor index depends on it.
 *
 * A choice that is neither 0 nor 1 throws: the check branches only on validity, never on which of the
 * two valid values it is.
 */
import { CryptoError } from '../errors.js';

export function select(choice: number, a: Uint8Array, b: Uint8Array): Uint8Array {
  // `choice >>> 0` is choice only for integers in [0, 2^32): without it, 2^32 and 2^32 + 1 would pass
  // the `| 1` test (ToInt32 wraps them to 0 and 1) and be taken as a valid choice.
  if (typeof choice !== 'number' || choice >>> 0 !== choice || (choice | 1) !== 1)
    throw new CryptoError('CRYPTO_INVALID_ARGUMENT', 'ct.select: choice must be the number 0 or 1');
  if (a.length !== b.length)
    throw new CryptoError('CT_LENGTH_MISMATCH', `ct.select: inputs must have equal lengths (got ${a.length} and ${b.length})`);
  const mask = -choice & 0xff;
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    out[i] = y ^ (mask & (x ^ y));
  }
  return out;
}
