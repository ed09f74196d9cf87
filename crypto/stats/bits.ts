/**
 * Bit sequences for the SP 800-22 battery: one bit per byte (0 or 1), the form every test reads.
 *
 * SP 800-22 Rev. 1a §1.4 ε = ε1…εn. Two external forms are read: ASCII '0'/'1' text (the reference data
 * sets data.e, data.pi, … of the NIST STS distribution; whitespace ignored) and packed bytes, most
 * significant bit first (what STS's "binary" input mode reads, and what an Rng hands out).
 * One bit per byte costs 8× the memory of packing but keeps every test a plain indexed loop; a 10^6-bit
 * sequence is 1 MB.
 */
import { assert } from '../assert.js';
import { CryptoError } from '../errors.js';

/** ε: each element is 0 or 1. */
export type Bits = Uint8Array;

/** Unpacks bytes MSB first into one bit per element; `maxBits` cuts the result short. */
export function bitsFromBytes(bytes: Uint8Array, maxBits?: number): Bits {
  assert.bytes(bytes, 'bytes');
  const n = maxBits === undefined ? bytes.length * 8 : assert.integer(maxBits, 'maxBits', { max: bytes.length * 8 });
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = ((bytes[i >>> 3] as number) >>> (7 - (i & 7))) & 1;
  return out;
}

/**
 * Parses ASCII '0'/'1' text (spaces, tabs and line breaks ignored); `maxBits` stops after that many bits.
 * Any other character is refused: a mistyped file must not be tested as if it were data.
 */
export function bitsFromAscii(text: Uint8Array, maxBits?: number): Bits {
  assert.bytes(text, 'text');
  const limit = maxBits === undefined ? text.length : assert.integer(maxBits, 'maxBits');
  const out = new Uint8Array(Math.min(limit, text.length));
  let n = 0;
  for (let i = 0; i < text.length && n < limit; i++) {
    const c = text[i] as number;
    if (c === 0x30 || c === 0x31) out[n++] = c - 0x30;
    else if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
      throw new CryptoError('STATS_MALFORMED_INPUT', `text: byte ${i} is not '0', '1' or whitespace`);
    }
  }
  return out.subarray(0, n);
}

/** Checks that `bits` is a Uint8Array of 0/1 values of at least `minBits` elements. */
export function checkBits(bits: unknown, minBits = 1): Bits {
  const b = assert.bytes(bits, 'bits', { minLength: minBits });
  for (let i = 0; i < b.length; i++) {
    if ((b[i] as number) > 1) throw new CryptoError('CRYPTO_INVALID_ARGUMENT', `bits: element ${i} is not 0 or 1`);
  }
  return b;
}
