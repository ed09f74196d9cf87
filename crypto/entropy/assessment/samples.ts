/**
 * How an assessment sees its input (SP 800-90B §3.1.3 and §6.3; conventions of NIST's ea_non_iid):
 * samples are stored one per byte; the symbol width is the highest bit in use; the alphabet is
 * translated down to 0..k−1 when fewer than 2^width values occur (order kept, so ties still break
 * towards the larger symbol); and for width > 1 the bitstring is each sample's width bits, most
 * significant first.
 */
import { CryptoError } from '../../errors.js';
export interface PreparedSamples {
  /** Samples translated to 0..alphabetSize−1 (order-preserving). */
  readonly symbols: Uint8Array;
  /** Distinct values that occur (k). */
  readonly alphabetSize: number;
  /** Bits per sample: the position of the highest bit set in any sample (1..8). */
  readonly bitsPerSymbol: number;
  /** The samples as bits, most significant bit of each sample first. */
  readonly bits: Uint8Array;
}

export function prepareSamples(raw: Uint8Array, bitsPerSymbol?: number): PreparedSamples {
  if (raw.length < 2) throw new CryptoError('CRYPTO_INVALID_ARGUMENT', 'an assessment needs at least 2 samples');
  let or = 0;
  for (const s of raw) or |= s;
  let width = 8;
  while (width > 1 && (or & (1 << (width - 1))) === 0) width--;
  if (bitsPerSymbol !== undefined) {
    if (!Number.isInteger(bitsPerSymbol) || bitsPerSymbol < 1 || bitsPerSymbol > 8) {
      throw new CryptoError('CRYPTO_INVALID_ARGUMENT', `bitsPerSymbol must be 1..8, got ${bitsPerSymbol}`);
    }
    if (width > bitsPerSymbol)
      throw new CryptoError('CRYPTO_INVALID_ARGUMENT', `samples use ${width} bits, more than bitsPerSymbol ${bitsPerSymbol}`);
    width = bitsPerSymbol;
  }
  const present = new Uint8Array(256);
  for (const s of raw) present[s] = 1;
  const map = new Uint8Array(256);
  let k = 0;
  for (let v = 0; v < 256; v++) if (present[v]) map[v] = k++;
  const symbols = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) symbols[i] = map[raw[i] ?? 0] ?? 0;
  const bits = new Uint8Array(raw.length * width);
  for (let i = 0; i < raw.length; i++) {
    const s = raw[i] ?? 0;
    for (let j = 0; j < width; j++) bits[i * width + j] = (s >> (width - 1 - j)) & 1;
  }
  return { symbols, alphabetSize: k, bitsPerSymbol: width, bits };
}
