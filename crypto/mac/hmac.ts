/**
 * HMAC (RFC 2104, FIPS 198-1) over the project's hashes, and its verification in constant time.
 *
 * The computation is @noble/hashes' `hmac`. Verification recomputes the tag and compares it with
 * `ct.equal` (OpenSSL CRYPTO_memcmp), so the time taken does not reveal how many leading bytes of a
 * forged tag were right — the classic remote MAC-forgery oracle. Tags are full length: the tag length is
 * public, and a tag of any other length is simply invalid (no truncation, which would let a caller
 * accept a 1-byte tag by mistake). The key may be a `Secret`, read inside its scope only.
 */
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { assert } from '../assert.js';
import { equal } from '../ct/equal.js';
import { hashFunction, type HashName } from '../hash.js';
import { Secret } from '../secret/secret.js';

function bytes(value: unknown, what: string): asserts value is Uint8Array {
  assert.bytes(value, `HMAC ${what}`);
}

function withKey<T>(key: Secret | Uint8Array, fn: (k: Uint8Array) => T): T {
  if (key instanceof Secret) return key.use(fn);
  if (!(key instanceof Uint8Array)) assert.bytes(key, 'HMAC key (a Secret or Uint8Array)');
  return fn(key);
}

/** HMAC-`hash`(key, message): 32 bytes for SHA-256, 64 for SHA-512 and SHA3-512. */
export function hmac(hash: HashName, key: Secret | Uint8Array, message: Uint8Array): Uint8Array {
  const fn = hashFunction(hash);
  bytes(message, 'message');
  return withKey(key, (k) => nobleHmac(fn, k, message));
}

/** Whether `tag` is HMAC-`hash`(key, message), compared in constant time; false for a wrong length. */
export function hmacVerify(hash: HashName, key: Secret | Uint8Array, message: Uint8Array, tag: Uint8Array): boolean {
  bytes(tag, 'tag');
  const expected = hmac(hash, key, message);
  try {
    return equal(expected, tag);
  } finally {
    expected.fill(0);
  }
}
