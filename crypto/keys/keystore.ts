/**
 * The encrypted keystore: one JSON file per key, after EIP-2335 (BLS12-381 keystores) with AES-256-GCM
 * (SP 800-38D) in place of AES-128-CTR and scrypt (RFC 7914) or argon2id (RFC 9106) as the KDF.
 *
 *   DK = KDF(passphrase, salt), 64 bytes; K_enc = DK[0:32], K_chk = DK[32:64]
 *   passphrase check = SHA-256(K_chk ‖ "hrng-keystore passphrase check")   (tells a wrong passphrase
 *                                                                            from a damaged file)
 *   cipher.message   = AES-256-GCM(K_enc, iv, AAD = header, seed)           (ciphertext ‖ 16-byte tag)
 *   checksum.message = SHA-256(K_chk ‖ cipher.message)                      (EIP-2335's checksum)
 *   header           = "hrng-keystore" 0 version 0 scheme 0 keyId 0 publicKey-hex
 *
 * The passphrase check is no easier to attack than EIP-2335's checksum: both cost one KDF per guess.
 * Opening checks, in order: JSON complete (else TRUNCATED), version, KDF, fields (MALFORMED), key id
 * matches the public key, passphrase check, checksum, GCM tag, seed yields the public key (TAMPERED).
 */
import { gcm } from '@noble/ciphers/aes.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { equal } from '../ct/equal.js';
import type { RandomSource } from '../drbg/random-source.js';
import { Secret } from '../secret/secret.js';
import { writeFileAtomic, type AtomicWriteHooks } from '../fs/index.js';
import { publicKeyFromSeed } from './generate.js';
import { keyIdOf } from './key-id.js';
import type { KeyRecord } from './key-record.js';
import {
  KeystoreMalformedError,
  KeystoreTamperedError,
  KeystoreTruncatedError,
  KeystoreUnsupportedKdfError,
  KeystoreUnsupportedVersionError,
  KeystoreWrongPassphraseError,
} from './keystore-errors.js';
import { DEFAULT_KDF, deriveKeystoreKey, SALT_LENGTH, validateKdfParams, type KdfParams } from './keystore-kdf.js';
import { isSoftwareScheme, schemeImpl, type SoftwareScheme } from './schemes.js';

export const KEYSTORE_VERSION = 1;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
const PASSPHRASE_CHECK_LABEL = utf8ToBytes('hrng-keystore passphrase check');

export interface KeystoreJson {
  version: 1;
  id: string;
  keyId: string;
  scheme: SoftwareScheme;
  publicKey: string;
  createdAt: string;
  crypto: {
    kdf: {
      function: 'scrypt' | 'argon2id';
      params: Record<string, number | string>;
      message: '';
    };
    checksum: { function: 'sha256'; params: { passphraseCheck: string }; message: string };
    cipher: { function: 'aes-256-gcm'; params: { iv: string }; message: string };
  };
}

/** The header fields anyone can read without the passphrase (`hrng keys list`). */
export interface KeystoreSummary {
  readonly id: string;
  readonly keyId: string;
  readonly scheme: SoftwareScheme;
  readonly publicKey: Uint8Array;
  readonly createdAt: number;
  readonly kdf: KdfParams;
}

export interface EncryptKeystoreOptions {
  readonly rng: RandomSource;
  readonly kdf?: KdfParams;
  readonly onProgress?: (fraction: number) => void;
}

export interface DecryptKeystoreOptions {
  readonly onProgress?: (fraction: number) => void;
}

export function keystoreFileName(keyId: string): string {
  return `keystore-${keyId}.json`;
}

function headerAad(scheme: string, keyId: string, publicKeyHex: string): Uint8Array {
  return utf8ToBytes(['hrng-keystore', String(KEYSTORE_VERSION), scheme, keyId, publicKeyHex].join('\u0000'));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function passphraseCheck(dk: Uint8Array): Uint8Array {
  const input = concat(dk.subarray(32, 64), PASSPHRASE_CHECK_LABEL);
  try {
    return sha256(input);
  } finally {
    input.fill(0);
  }
}

function checksum(dk: Uint8Array, cipherMessage: Uint8Array): Uint8Array {
  const input = concat(dk.subarray(32, 64), cipherMessage);
  try {
    return sha256(input);
  } finally {
    input.fill(0, 0, 32);
  }
}

/** An RFC 9562 version-4 UUID from our RandomSource. */
function uuidV4(rng: RandomSource): string {
  const b = rng.randomBytes(16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = bytesToHex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function kdfJson(params: KdfParams, salt: Uint8Array): KeystoreJson['crypto']['kdf'] {
  const saltHex = bytesToHex(salt);
  return params.function === 'scrypt'
    ? { function: 'scrypt', params: { dklen: 64, n: params.n, r: params.r, p: params.p, salt: saltHex }, message: '' }
    : { function: 'argon2id', params: { dklen: 64, m: params.m, t: params.t, p: params.p, salt: saltHex }, message: '' };
}

export async function encryptKeystore(
  record: KeyRecord,
  passphrase: Uint8Array,
  opts: EncryptKeystoreOptions,
): Promise<KeystoreJson> {
  const kdf = validateKdfParams(opts.kdf ?? DEFAULT_KDF);
  const salt = opts.rng.randomBytes(SALT_LENGTH);
  const iv = opts.rng.randomBytes(IV_LENGTH);
  const id = uuidV4(opts.rng);
  const publicKeyHex = bytesToHex(record.publicKey);
  const aad = headerAad(record.scheme, record.keyId, publicKeyHex);
  using dk = await deriveKeystoreKey(kdf, passphrase, salt, opts.onProgress);
  const { cipherMessage, check, sum } = dk.use((k) => {
    const cipherMessage = record.seed.use((seed) => gcm(k.subarray(0, 32), iv, aad).encrypt(seed));
    return { cipherMessage, check: passphraseCheck(k), sum: checksum(k, cipherMessage) };
  });
  return {
    version: KEYSTORE_VERSION,
    id,
    keyId: record.keyId,
    scheme: record.scheme,
    publicKey: publicKeyHex,
    createdAt: new Date(record.createdAt).toISOString(),
    crypto: {
      kdf: kdfJson(kdf, salt),
      checksum: { function: 'sha256', params: { passphraseCheck: bytesToHex(check) }, message: bytesToHex(sum) },
      cipher: { function: 'aes-256-gcm', params: { iv: bytesToHex(iv) }, message: bytesToHex(cipherMessage) },
    },
  };
}

// ---- parsing: every way a file can be wrong maps to one typed error ----

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field(o: Record<string, unknown>, key: string, where: string): unknown {
  if (!Object.hasOwn(o, key)) throw new KeystoreMalformedError(`missing ${where}${key}`);
  return o[key];
}

function str(o: Record<string, unknown>, key: string, where = ''): string {
  const v = field(o, key, where);
  if (typeof v !== 'string') throw new KeystoreMalformedError(`${where}${key} must be a string`);
  return v;
}

function obj(o: Record<string, unknown>, key: string, where = ''): Record<string, unknown> {
  const v = field(o, key, where);
  if (!isObject(v)) throw new KeystoreMalformedError(`${where}${key} must be an object`);
  return v;
}

function num(o: Record<string, unknown>, key: string, where: string): number {
  const v = field(o, key, where);
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new KeystoreMalformedError(`${where}${key} must be an integer`);
  return v;
}

function hex(o: Record<string, unknown>, key: string, where: string, length?: number): Uint8Array {
  const s = str(o, key, where);
  if (!/^(?:[0-9a-f]{2})*$/.test(s)) throw new KeystoreMalformedError(`${where}${key} must be lowercase hex`);
  const b = hexToBytes(s);
  if (length !== undefined && b.length !== length) throw new KeystoreMalformedError(`${where}${key} must be ${length} bytes`);
  return b;
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    // V8 reports where parsing stopped; stopping at the very end means the text ends too early.
    const msg = err instanceof Error ? err.message : '';
    const at = /at position (\d+)/.exec(msg);
    if (text.trim() === '' || msg.includes('end of JSON input') || (at !== null && Number(at[1]) >= text.length)) {
      throw new KeystoreTruncatedError();
    }
    throw new KeystoreMalformedError('not valid JSON');
  }
}

interface ParsedKeystore {
  readonly summary: KeystoreSummary;
  readonly salt: Uint8Array;
  readonly iv: Uint8Array;
  readonly passphraseCheck: Uint8Array;
  readonly checksum: Uint8Array;
  readonly cipherMessage: Uint8Array;
  readonly publicKeyHex: string;
}

function parseKdf(kdf: Record<string, unknown>): { params: KdfParams; salt: Uint8Array } {
  const fn = str(kdf, 'function', 'crypto.kdf.');
  if (fn !== 'scrypt' && fn !== 'argon2id') throw new KeystoreUnsupportedKdfError(`function '${fn}'`);
  const p = obj(kdf, 'params', 'crypto.kdf.');
  const w = 'crypto.kdf.params.';
  if (num(p, 'dklen', w) !== 64) throw new KeystoreUnsupportedKdfError('dklen must be 64');
  const salt = hex(p, 'salt', w);
  if (salt.length < 16 || salt.length > 64) throw new KeystoreUnsupportedKdfError('salt must be 16 to 64 bytes');
  const params: KdfParams =
    fn === 'scrypt'
      ? { function: 'scrypt', n: num(p, 'n', w), r: num(p, 'r', w), p: num(p, 'p', w) }
      : { function: 'argon2id', m: num(p, 'm', w), t: num(p, 't', w), p: num(p, 'p', w) };
  return { params: validateKdfParams(params), salt };
}

function parseKeystore(input: string | Uint8Array): ParsedKeystore {
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: false }).decode(input);
  const root = parseJsonText(text);
  if (!isObject(root)) throw new KeystoreMalformedError('top level must be an object');
  const version = field(root, 'version', '');
  if (version !== KEYSTORE_VERSION) throw new KeystoreUnsupportedVersionError(version);
  const crypto = obj(root, 'crypto');
  const { params, salt } = parseKdf(obj(crypto, 'kdf', 'crypto.'));
  const scheme = str(root, 'scheme');
  if (!isSoftwareScheme(scheme)) throw new KeystoreMalformedError(`unknown scheme '${scheme}'`);
  const impl = schemeImpl(scheme);
  const publicKey = hex(root, 'publicKey', '', impl.publicKeyLength);
  const keyId = str(root, 'keyId');
  const id = str(root, 'id');
  const createdAt = Date.parse(str(root, 'createdAt'));
  if (!Number.isFinite(createdAt)) throw new KeystoreMalformedError('createdAt must be an ISO 8601 time');
  const checksumObj = obj(crypto, 'checksum', 'crypto.');
  if (str(checksumObj, 'function', 'crypto.checksum.') !== 'sha256') throw new KeystoreMalformedError('checksum function must be sha256');
  const cipherObj = obj(crypto, 'cipher', 'crypto.');
  if (str(cipherObj, 'function', 'crypto.cipher.') !== 'aes-256-gcm') throw new KeystoreMalformedError('cipher function must be aes-256-gcm');
  return {
    summary: { id, keyId, scheme, publicKey, createdAt, kdf: params },
    salt,
    iv: hex(obj(cipherObj, 'params', 'crypto.cipher.'), 'iv', 'crypto.cipher.params.', IV_LENGTH),
    passphraseCheck: hex(obj(checksumObj, 'params', 'crypto.checksum.'), 'passphraseCheck', 'crypto.checksum.params.', 32),
    checksum: hex(checksumObj, 'message', 'crypto.checksum.', 32),
    cipherMessage: hex(cipherObj, 'message', 'crypto.cipher.', impl.seedLength + TAG_LENGTH),
    publicKeyHex: bytesToHex(publicKey),
  };
}

/**
 * Reads the public header of a keystore without the passphrase; throws the same typed errors. The key id
 * is checked against the public key (as decryption does), so a listing never shows an id the file's key
 * does not have.
 */
export function inspectKeystore(input: string | Uint8Array): KeystoreSummary {
  const { summary } = parseKeystore(input);
  if (keyIdOf(summary.scheme, summary.publicKey) !== summary.keyId) throw new KeystoreTamperedError('keyId does not match the public key');
  return summary;
}

export async function decryptKeystore(
  input: string | Uint8Array,
  passphrase: Uint8Array,
  opts: DecryptKeystoreOptions = {},
): Promise<KeyRecord> {
  const ks = parseKeystore(input);
  const { scheme, keyId, publicKey, createdAt, kdf } = ks.summary;
  if (keyIdOf(scheme, publicKey) !== keyId) throw new KeystoreTamperedError('keyId does not match the public key');
  using dk = await deriveKeystoreKey(kdf, passphrase, ks.salt, opts.onProgress);
  const plain = dk.use((k) => {
    if (!equal(passphraseCheck(k), ks.passphraseCheck)) throw new KeystoreWrongPassphraseError();
    if (!equal(checksum(k, ks.cipherMessage), ks.checksum)) throw new KeystoreTamperedError('checksum mismatch');
    try {
      return gcm(k.subarray(0, 32), ks.iv, headerAad(scheme, keyId, ks.publicKeyHex)).decrypt(ks.cipherMessage);
    } catch {
      throw new KeystoreTamperedError('AES-GCM authentication failed (header or ciphertext altered)');
    }
  });
  const seed = Secret.from(plain);
  try {
    if (!equal(publicKeyFromSeed(scheme, seed), publicKey)) throw new KeystoreTamperedError('the key does not yield the recorded public key');
    return { scheme, publicKey, keyId, createdAt, seed };
  } catch (err) {
    seed.dispose();
    throw err;
  }
}

export interface WriteKeystoreOptions extends EncryptKeystoreOptions {
  readonly hooks?: AtomicWriteHooks;
}

/**
 * Encrypts `record` into DIR/keystore-<keyId>.json, atomically and without replacing an existing file
 * (FS_EXISTS). Returns the path.
 */
export async function writeKeystore(
  dir: string,
  record: KeyRecord,
  passphrase: Uint8Array,
  opts: WriteKeystoreOptions,
): Promise<string> {
  const json = await encryptKeystore(record, passphrase, opts);
  const path = join(dir, keystoreFileName(record.keyId));
  const bytes = utf8ToBytes(JSON.stringify(json, null, 2) + '\n');
  await writeFileAtomic(path, bytes, { noClobber: true, mode: 0o600, ...(opts.hooks ? { hooks: opts.hooks } : {}) });
  return path;
}

export async function readKeystore(path: string, passphrase: Uint8Array, opts: DecryptKeystoreOptions = {}): Promise<KeyRecord> {
  return decryptKeystore(new Uint8Array(await readFile(path)), passphrase, opts);
}

