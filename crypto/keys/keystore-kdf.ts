/**
 * The passphrase KDFs of the keystore: scrypt (RFC 7914) as in EIP-2335, or argon2id (RFC 9106).
 * The default is EIP-2335's scrypt N = 2^18, r = 8, p = 1 (256 MiB, ~1.6 s here): it is what validator
 * tooling already expects, and RFC 9106 §4's second recommended option (argon2id m = 64 MiB, t = 3, p = 1)
 * is offered for operators who prefer it. Bounds refuse parameters that would make opening a file a
 * denial of service (over 1 GiB of memory) or that no writer of ours produces.
 */
import { argon2idAsync } from '@noble/hashes/argon2.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { Secret } from '../secret/secret.js';
import { KeystoreInvalidPassphraseError, KeystoreUnsupportedKdfError } from './keystore-errors.js';

export type KdfParams =
  | { readonly function: 'scrypt'; readonly n: number; readonly r: number; readonly p: number }
  | { readonly function: 'argon2id'; readonly m: number; readonly t: number; readonly p: number };

export const DEFAULT_KDF: KdfParams = Object.freeze({ function: 'scrypt', n: 2 ** 18, r: 8, p: 1 });
export const ARGON2ID_RECOMMENDED: KdfParams = Object.freeze({ function: 'argon2id', m: 64 * 1024, t: 3, p: 1 });

/** 32 bytes of AES-256 key followed by 32 bytes of checksum key (EIP-2335 splits its DK the same way). */
export const DERIVED_KEY_LENGTH = 64;
export const SALT_LENGTH = 32;

const MAX_MEMORY = 2 ** 30;

function intIn(v: number, lo: number, hi: number): boolean {
  return Number.isSafeInteger(v) && v >= lo && v <= hi;
}

export function validateKdfParams(params: KdfParams): KdfParams {
  if (params.function === 'scrypt') {
    const { n, r, p } = params;
    if (!intIn(n, 2, 2 ** 24) || (n & (n - 1)) !== 0) throw new KeystoreUnsupportedKdfError('scrypt n must be a power of two');
    if (!intIn(r, 1, 32) || !intIn(p, 1, 16)) throw new KeystoreUnsupportedKdfError('scrypt r or p out of range');
    if (128 * n * r > MAX_MEMORY) throw new KeystoreUnsupportedKdfError('scrypt parameters need more than 1 GiB');
    return { function: 'scrypt', n, r, p };
  }
  if (params.function === 'argon2id') {
    const { m, t, p } = params;
    if (!intIn(p, 1, 16) || !intIn(t, 1, 16)) throw new KeystoreUnsupportedKdfError('argon2id t or p out of range');
    if (!intIn(m, 8 * p, MAX_MEMORY / 1024)) throw new KeystoreUnsupportedKdfError('argon2id m out of range');
    return { function: 'argon2id', m, t, p };
  }
  throw new KeystoreUnsupportedKdfError(`function '${String((params as { function?: unknown }).function)}'`);
}

/** KDF(passphrase, salt) → 64 bytes as a Secret. `onProgress` gets fractions in [0, 1]. */
export async function deriveKeystoreKey(
  params: KdfParams,
  passphrase: Uint8Array,
  salt: Uint8Array,
  onProgress?: (fraction: number) => void,
): Promise<Secret> {
  if (passphrase.includes(0)) throw new KeystoreInvalidPassphraseError();
  const p = validateKdfParams(params);
  const progress = onProgress === undefined ? {} : { onProgress };
  const dk =
    p.function === 'scrypt'
      ? await scryptAsync(passphrase, salt, { N: p.n, r: p.r, p: p.p, dkLen: DERIVED_KEY_LENGTH, maxmem: MAX_MEMORY + 4096, ...progress })
      : await argon2idAsync(passphrase, salt, { m: p.m, t: p.t, p: p.p, dkLen: DERIVED_KEY_LENGTH, maxmem: MAX_MEMORY + 4096, ...progress });
  return Secret.from(dk);
}
