/**
 * The hash functions the project uses, by one set of names shared by the DRBG (SP 800-90A §10.1.2),
 * HKDF (RFC 5869) and HMAC (FIPS 198-1). Block sizes matter for HMAC: SHA-256 64 bytes, SHA-512 128,
 * SHA3-512 72 (its sponge rate, FIPS 202).
 */
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { sha3_512 } from '@noble/hashes/sha3.js';
import type { CHash } from '@noble/hashes/utils.js';

export type HashName = 'sha256' | 'sha512' | 'sha3-512';

export const HASH_NAMES: readonly HashName[] = ['sha256', 'sha512', 'sha3-512'];

const FUNCTIONS: Readonly<Record<HashName, CHash>> = {
  sha256,
  sha512,
  'sha3-512': sha3_512,
};

/** The noble hash for a name; throws a TypeError for a name that is not one of `HASH_NAMES`. */
export function hashFunction(name: HashName): CHash {
  const fn = (FUNCTIONS as Record<string, CHash | undefined>)[name];
  if (!fn) throw new TypeError(`unknown hash '${String(name)}': expected one of ${HASH_NAMES.join(', ')}`);
  return fn;
}

export function isHashName(value: unknown): value is HashName {
  return typeof value === 'string' && (HASH_NAMES as readonly string[]).includes(value);
}
