/**
 * Constant-time equality of byte strings, on OpenSSL's CRYPTO_memcmp through node:crypto's
 * `timingSafeEqual` (which accepts any ArrayBufferView, so Uint8Array views over a shared buffer work).
 *
 * The length is public: inputs of different lengths are unequal and return false at once, without
 * touching the contents. Callers that must hide a length pad to a fixed one first (MACs and hashes have
 * fixed public lengths anyway).
 */
import { timingSafeEqual } from 'node:crypto';

export function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}
