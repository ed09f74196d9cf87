/**
 * HKDF, RFC 5869 (§2.2 Extract, §2.3 Expand), over SHA-256, SHA-512 or SHA3-512, on
 * `@noble/hashes/hkdf.js`. This module adds only the project's hash names, typed errors and the checks
 * that must fail closed before noble is called.
 *
 * Salt semantics (noble's, kept as is):
 * - `salt === undefined` — "not provided" — becomes HashLen zero bytes, as RFC 5869 §2.2 says.
 * - An empty `Uint8Array` is *not* turned into undefined; it is passed to HMAC as a zero-length key.
 *   The output is nevertheless the same: HMAC (FIPS 198-1 / RFC 2104) right-pads every key shorter than
 *   the hash block with zeros, so the empty key, HashLen zero bytes and any all-zero key up to the block
 *   size give the same K0 and the same PRK (Wycheproof's "EmptySalt" note says the same).
 *
 * Length: 0 ≤ L ≤ 255·HashLen (§2.3); L = 0 yields an empty OKM, as the RFC permits.
 * Expand's PRK must be at least HashLen bytes (§2.3: "a pseudorandom key of at least HashLen octets").
 */
import { expand, extract, hkdf as nobleHkdf } from '@noble/hashes/hkdf.js';
import type { CHash } from '@noble/hashes/utils.js';
import { assert } from '../assert.js';
import { CryptoError } from '../errors.js';
import { hashFunction } from '../hash.js';
import type { HashName } from '../hash.js';

/** HKDF-Extract(salt, IKM) → PRK of HashLen bytes. */
export function hkdfExtract(hash: HashName, ikm: Uint8Array, salt: Uint8Array | undefined): Uint8Array {
  return hkdfExtractWith(resolve(hash), ikm, salt);
}

/** HKDF-Expand(PRK, info, L) → OKM of `length` bytes. */
export function hkdfExpand(hash: HashName, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return hkdfExpandWith(resolve(hash), prk, info, length);
}

/** Extract then Expand; the intermediate PRK is wiped by noble. */
// biome-ignore lint/complexity/useMaxParams: RFC 5869 §2 defines HKDF(salt, IKM, info, L) positionally; the order matches the RFC
export function hkdf(hash: HashName, ikm: Uint8Array, salt: Uint8Array | undefined, info: Uint8Array, length: number): Uint8Array {
  return hkdfWith(resolve(hash), ikm, salt, info, length);
}

/**
 * The same three functions over any noble hash. Not exported from the kdf index: it exists so the
 * RFC 5869 SHA-1 vectors (A.4–A.7, incl. the only "salt not provided" case) run through this module's
 * checks; applications use the named hashes above.
 */
export function hkdfExtractWith(fn: CHash, ikm: Uint8Array, salt: Uint8Array | undefined): Uint8Array {
  bytes(ikm, 'ikm');
  if (salt !== undefined) bytes(salt, 'salt');
  return extract(fn, ikm, salt);
}

export function hkdfExpandWith(fn: CHash, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  bytes(prk, 'prk');
  bytes(info, 'info');
  checkLength(fn, length);
  if (prk.length < fn.outputLen) {
    throw new CryptoError(
      'HKDF_PRK_TOO_SHORT',
      `HKDF PRK is ${prk.length} bytes; RFC 5869 §2.3 requires at least HashLen = ${fn.outputLen}`,
    );
  }
  return expand(fn, prk, info, length);
}

// biome-ignore lint/complexity/useMaxParams: RFC 5869 §2 defines HKDF(salt, IKM, info, L) positionally; the order matches the RFC
export function hkdfWith(fn: CHash, ikm: Uint8Array, salt: Uint8Array | undefined, info: Uint8Array, length: number): Uint8Array {
  bytes(ikm, 'ikm');
  if (salt !== undefined) bytes(salt, 'salt');
  bytes(info, 'info');
  checkLength(fn, length);
  return nobleHkdf(fn, ikm, salt, info, length);
}

function resolve(hash: HashName): CHash {
  return hashFunction(assert.hashName(hash, 'HKDF hash'));
}

/** HKDF_LENGTH_OUT_OF_RANGE: the requested output length is negative, fractional, or over 255·HashLen. */
function checkLength(fn: CHash, length: number): void {
  const max = 255 * fn.outputLen;
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || length > max) {
    const shown = typeof length === 'number' ? String(length) : `a ${typeof length}`;
    throw new CryptoError(
      'HKDF_LENGTH_OUT_OF_RANGE',
      `HKDF output length ${shown} is out of range: RFC 5869 §2.3 allows an integer from 0 to 255·HashLen = ${max} bytes`,
    );
  }
}

function bytes(value: unknown, name: string): asserts value is Uint8Array {
  assert.bytes(value, `HKDF ${name}`);
}
