/**
 * The hash functions the project uses, by one set of names shared by the DRBG (SP 800-90A §10.1.2),
 * HKDF (RFC 5869) and HMAC (FIPS 198-1). Block sizes matter for HMAC: SHA-256 64 bytes, SHA-512 128,
 * SHA3-512 72 (its sponge rate, FIPS 202).
 */
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { sha3_512 } from '@noble/hashes/sha3.js';
import type { CHash } from '@noble/hashes/utils.js';
import { CryptoError } from './errors.js';

export type HashName = 'sha256' | 'sha512' | 'sha3-512';

export const HASH_NAMES: readonly HashName[] = ['sha256', 'sha512', 'sha3-512'];

const FUNCTIONS: Readonly<Record<HashName, CHash>> = {
  sha256,
  sha512,
  'sha3-512': sha3_512,
};

/**
 * UNKNOWN_HASH: a hash name that is not one of `HASH_NAMES`. Kept as a class only because the root entry
 * (crypto/index.ts) still exports the name; it carries no extra field, so new code throws
 * `CryptoError('UNKNOWN_HASH')` through `hashFunction`.
 */
export class UnknownHashError extends CryptoError {
  declare readonly code: 'UNKNOWN_HASH';
  constructor(name: unknown) {
    const shown = typeof name === 'string' && name.length <= 32 ? `'${name}'` : `a ${typeof name}`;
    super('UNKNOWN_HASH', `unknown hash ${shown}: expected one of ${HASH_NAMES.join(', ')}`);
  }
}

/**
 * The noble hash for a name; UnknownHashError for anything not in `HASH_NAMES` — checked against the
 * list, not by property lookup, so 'constructor' or '__proto__' never resolve to an inherited member.
 */
export function hashFunction(name: HashName): CHash {
  if (!isHashName(name)) throw new UnknownHashError(name);
  return FUNCTIONS[name];
}

export function isHashName(value: unknown): value is HashName {
  return typeof value === 'string' && (HASH_NAMES as readonly string[]).includes(value);
}
