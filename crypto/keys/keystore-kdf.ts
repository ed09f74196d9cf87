/**
 * The passphrase KDFs of the keystore: scrypt (RFC 7914) as in EIP-2335, or argon2id (RFC 9106), and the
 * floors and ceilings every keystore's parameters must meet before any work is done.
 *
 * Default: EIP-2335's scrypt N = 2^18, r = 8, p = 1 (256 MiB, ~1.6 s here). ARGON2ID_RECOMMENDED is
 * RFC 9106 §4's second recommended option: m = 64 MiB, t = 3, p = 4 lanes.
 *
 * Floors (KEYSTORE_KDF_TOO_WEAK), so that a file cannot be written or accepted with a KDF an attacker
 * runs cheaply: scrypt n ≥ 2^15 and r ≥ 8 (32 MiB per guess); argon2id m ≥ 64 MiB and t ≥ 3. Lanes
 * (argon2id p, scrypt p) have no floor: with m and t fixed, fewer lanes do not make a guess cheaper (the
 * same memory is filled the same number of times), and keystores written before this floor use p = 1.
 *
 * Ceilings (KEYSTORE_KDF_TOO_COSTLY), so that a hostile file cannot make opening it burn minutes of CPU
 * or gigabytes of memory: memory ≤ 1 GiB; scrypt n·r·p ≤ 2^23 (4 × the default's work); argon2id
 * m·t ≤ 4 × 64 MiB · 3 (KiB·passes). Both are checked before the KDF runs, on parse as on write.
 *
 * Not supported: other KDFs (PBKDF2, which EIP-2335 also allows, is refused as too cheap per guess).
 */
import { argon2idAsync } from '@noble/hashes/argon2.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { CryptoError, KeystoreKdfError, type KdfParameterName } from '../errors.js';
import { Secret } from '../secret/secret.js';

export type KdfParams =
  | { readonly function: 'scrypt'; readonly n: number; readonly r: number; readonly p: number }
  | { readonly function: 'argon2id'; readonly m: number; readonly t: number; readonly p: number };

export const DEFAULT_KDF: KdfParams = Object.freeze({ function: 'scrypt', n: 2 ** 18, r: 8, p: 1 });
/** RFC 9106 §4, second recommended option (m in KiB). */
export const ARGON2ID_RECOMMENDED: KdfParams = Object.freeze({ function: 'argon2id', m: 64 * 1024, t: 3, p: 4 });

/** The limits `checkKdfParams` applies, exported for the docs and the tests. */
export const KDF_LIMITS = Object.freeze({
  scryptMinN: 2 ** 15,
  scryptMinR: 8,
  scryptMaxR: 32,
  scryptMaxP: 16,
  scryptMaxWork: 2 ** 23,
  argon2idMinM: 64 * 1024,
  argon2idMinT: 3,
  argon2idMaxP: 16,
  argon2idMaxWork: 4 * 64 * 1024 * 3,
  maxMemoryBytes: 2 ** 30,
});

/** 32 bytes of AES-256 key followed by 32 bytes of check key (EIP-2335 splits its DK the same way). */
export const DERIVED_KEY_LENGTH = 64;
export const SALT_LENGTH = 32;

export interface KdfCheckOptions {
  /**
   * Lets parameters below the floors through (never above the ceilings). For tests only, so that a unit
   * test does not spend seconds per keystore; no command-line option sets it, and files written with it
   * are refused by every reader that does not pass it too.
   */
  readonly insecureTestKdf?: boolean;
}

function weak(kdf: 'scrypt' | 'argon2id', parameter: KdfParameterName, value: number, limit: number): never {
  throw new KeystoreKdfError('KEYSTORE_KDF_TOO_WEAK', { kdf, parameter, value, limit });
}

function costly(kdf: 'scrypt' | 'argon2id', parameter: KdfParameterName, value: number, limit: number): never {
  throw new KeystoreKdfError('KEYSTORE_KDF_TOO_COSTLY', { kdf, parameter, value, limit });
}

function positiveInteger(kdf: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
    throw new CryptoError('KEYSTORE_UNSUPPORTED_KDF', `${kdf} ${name} must be a positive integer`);
  }
  return v;
}

/** The parameters, checked against the floors and ceilings above; a fresh, frozen copy. */
export function checkKdfParams(params: KdfParams, opts: KdfCheckOptions = {}): KdfParams {
  const floors = opts.insecureTestKdf !== true;
  const L = KDF_LIMITS;
  if (params.function === 'scrypt') {
    const n = positiveInteger('scrypt', 'n', params.n);
    const r = positiveInteger('scrypt', 'r', params.r);
    const p = positiveInteger('scrypt', 'p', params.p);
    if (n < 2 || (n & (n - 1)) !== 0) throw new CryptoError('KEYSTORE_UNSUPPORTED_KDF', 'scrypt n must be a power of two');
    if (floors && n < L.scryptMinN) weak('scrypt', 'n', n, L.scryptMinN);
    if (floors && r < L.scryptMinR) weak('scrypt', 'r', r, L.scryptMinR);
    if (r > L.scryptMaxR) costly('scrypt', 'r', r, L.scryptMaxR);
    if (p > L.scryptMaxP) costly('scrypt', 'p', p, L.scryptMaxP);
    if (128 * n * r > L.maxMemoryBytes) costly('scrypt', 'n·r', n * r, L.maxMemoryBytes / 128);
    if (n * r * p > L.scryptMaxWork) costly('scrypt', 'n·r·p', n * r * p, L.scryptMaxWork);
    return Object.freeze({ function: 'scrypt', n, r, p });
  }
  if (params.function === 'argon2id') {
    const m = positiveInteger('argon2id', 'm', params.m);
    const t = positiveInteger('argon2id', 't', params.t);
    const p = positiveInteger('argon2id', 'p', params.p);
    if (p > L.argon2idMaxP) costly('argon2id', 'p', p, L.argon2idMaxP);
    // RFC 9106 §3.1: m ≥ 8·p KiB, whatever the floor.
    if (m < 8 * p) throw new CryptoError('KEYSTORE_UNSUPPORTED_KDF', 'argon2id m must be at least 8·p KiB (RFC 9106 §3.1)');
    if (floors && m < L.argon2idMinM) weak('argon2id', 'm', m, L.argon2idMinM);
    if (floors && t < L.argon2idMinT) weak('argon2id', 't', t, L.argon2idMinT);
    if (m * 1024 > L.maxMemoryBytes) costly('argon2id', 'm', m, L.maxMemoryBytes / 1024);
    if (m * t > L.argon2idMaxWork) costly('argon2id', 'm·t', m * t, L.argon2idMaxWork);
    return Object.freeze({ function: 'argon2id', m, t, p });
  }
  throw new CryptoError('KEYSTORE_UNSUPPORTED_KDF', `unsupported keystore KDF '${String((params as { function?: unknown }).function)}'`);
}

export interface DeriveKeystoreKeyOptions extends KdfCheckOptions {
  readonly onProgress?: (fraction: number) => void;
}

/** KDF(passphrase, salt) → 64 bytes as a Secret, after the parameters pass `checkKdfParams`. */
export async function deriveKeystoreKey(
  params: KdfParams,
  passphrase: Uint8Array,
  salt: Uint8Array,
  opts: DeriveKeystoreKeyOptions = {},
): Promise<Secret> {
  if (passphrase.includes(0)) {
    // scrypt hands the passphrase to PBKDF2-HMAC-SHA256 as the HMAC key, and HMAC zero-pads keys: "pw" and
    // "pw\0" would open the same keystore. Refusing NUL removes the alias.
    throw new CryptoError('KEYSTORE_INVALID_PASSPHRASE', 'the passphrase contains a NUL byte, which keystores refuse');
  }
  const p = checkKdfParams(params, opts);
  const progress = opts.onProgress === undefined ? {} : { onProgress: opts.onProgress };
  const maxmem = KDF_LIMITS.maxMemoryBytes + 4096;
  const dk =
    p.function === 'scrypt'
      ? await scryptAsync(passphrase, salt, { N: p.n, r: p.r, p: p.p, dkLen: DERIVED_KEY_LENGTH, maxmem, ...progress })
      : await argon2idAsync(passphrase, salt, { m: p.m, t: p.t, p: p.p, dkLen: DERIVED_KEY_LENGTH, maxmem, ...progress });
  return Secret.from(dk);
}
