/**
 * The encrypted keystore: one JSON file per key. Modelled on EIP-2335 (BLS12-381 keystores) but NOT
 * EIP-2335 — an EIP-2335 tool rejects these files and this module rejects theirs; docs/keys.md says what
 * differs and why. AES-256-GCM (SP 800-38D) in place of AES-128-CTR plus a SHA-256 checksum; scrypt
 * (RFC 7914) or argon2id (RFC 9106) as the KDF, within the floors and ceilings of keystore-kdf.ts.
 *
 * Version 2 (written):
 *   DK = KDF(passphrase, salt), 64 bytes; K_enc = DK[0:32], K_chk = DK[32:64]
 *   passphraseCheck = SHA-256(K_chk ‖ "hrng-keystore passphrase check")   (tells a wrong passphrase
 *                                                                          from a damaged file)
 *   cipher.message  = AES-256-GCM(K_enc, iv, AAD = encodeHeaderV2(every other field), seed)
 * The file may hold no field the AAD does not cover (unknown fields are MALFORMED).
 *
 * Version 1 (read, and rewritten as version 2 by `upgradeKeystoreFile`): the same DK and passphrase
 * check, plus EIP-2335's checksum SHA-256(K_chk ‖ cipher.message); the AAD bound only the scheme, key id
 * and public key, so id, createdAt and the KDF and cipher parameters were not authenticated.
 *
 * Opening checks, in order: JSON complete (TRUNCATED), version, KDF floors and ceilings (before any
 * work), fields (MALFORMED), key id matches the public key, passphrase check (WRONG_PASSPHRASE — which is
 * also what altered KDF parameters or salt look like, since they change the derived key), checksum (v1),
 * GCM tag, seed yields the public key (TAMPERED).
 */
import { gcm } from '@noble/ciphers/aes.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { equal } from '../ct/equal.js';
import type { RandomSource } from '../drbg/random-source.js';
import { CryptoError } from '../errors.js';
import { writeFileAtomic, type AtomicWriteHooks } from '../fs/index.js';
import { refuseDeterministic, type DeterministicConsent } from '../secret/deterministic.js';
import { Secret } from '../secret/secret.js';
import { publicKeyFromSeed } from './generate.js';
import { keyIdOf } from './key-id.js';
import type { KeyRecord } from './key-record.js';
import { field, hex, isObject, malformed, num, obj, onlyFields, parseJsonText, str, type JsonObject } from './keystore-fields.js';
import { encodeHeaderV1, encodeHeaderV2, type KeystoreHeaderV2 } from './keystore-header.js';
import {
  DEFAULT_KDF,
  DERIVED_KEY_LENGTH,
  SALT_LENGTH,
  checkKdfParams,
  deriveKeystoreKey,
  type KdfCheckOptions,
  type KdfParams,
} from './keystore-kdf.js';
import { isSoftwareScheme, schemeImpl, type SoftwareScheme } from './schemes.js';

/** The version `encryptKeystore` writes. */
export const KEYSTORE_VERSION = 2;
/** The versions this build opens. */
export const KEYSTORE_READABLE_VERSIONS: readonly number[] = [1, 2];
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
const PASSPHRASE_CHECK_LABEL = utf8ToBytes('hrng-keystore passphrase check');

type KdfJson = {
  function: 'scrypt' | 'argon2id';
  params: Record<string, number | string>;
};

/** The header fields both versions share. */
interface KeystoreHeaderJson {
  id: string;
  keyId: string;
  scheme: SoftwareScheme;
  publicKey: string;
  createdAt: string;
}

type CipherJson = { function: 'aes-256-gcm'; params: { iv: string }; message: string };

export interface KeystoreJsonV2 extends KeystoreHeaderJson {
  version: 2;
  crypto: {
    kdf: KdfJson;
    passphraseCheck: { function: 'sha256'; message: string };
    cipher: CipherJson;
  };
}

/** Version 1, as files written before version 2 hold it (read only). */
export interface KeystoreJsonV1 extends KeystoreHeaderJson {
  version: 1;
  crypto: {
    kdf: KdfJson & { message: '' };
    checksum: { function: 'sha256'; params: { passphraseCheck: string }; message: string };
    cipher: CipherJson;
  };
}

export type KeystoreJson = KeystoreJsonV2;

/** The header fields anyone can read without the passphrase (`hrng keys list`). */
export interface KeystoreSummary {
  readonly version: 1 | 2;
  readonly id: string;
  readonly keyId: string;
  readonly scheme: SoftwareScheme;
  readonly publicKey: Uint8Array;
  readonly createdAt: number;
  readonly kdf: KdfParams;
}

export interface EncryptKeystoreOptions extends KdfCheckOptions, DeterministicConsent {
  /** Salt, IV and id come from here; a generator marked `deterministic` is refused unless `allowDeterministic`. */
  readonly rng: RandomSource;
  readonly kdf?: KdfParams;
  readonly onProgress?: (fraction: number) => void;
}

export interface DecryptKeystoreOptions extends KdfCheckOptions {
  readonly onProgress?: (fraction: number) => void;
}

export function keystoreFileName(keyId: string): string {
  return `keystore-${keyId}.json`;
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

/** Version 1's EIP-2335-style checksum. */
function checksumV1(dk: Uint8Array, cipherMessage: Uint8Array): Uint8Array {
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

function kdfJson(params: KdfParams, saltHex: string): KdfJson {
  return params.function === 'scrypt'
    ? { function: 'scrypt', params: { dklen: DERIVED_KEY_LENGTH, n: params.n, r: params.r, p: params.p, salt: saltHex } }
    : { function: 'argon2id', params: { dklen: DERIVED_KEY_LENGTH, m: params.m, t: params.t, p: params.p, salt: saltHex } };
}

interface SealOptions extends EncryptKeystoreOptions {
  /** Kept by an upgrade; a fresh UUID otherwise. */
  readonly id?: string;
}

async function sealV2(record: KeyRecord, passphrase: Uint8Array, opts: SealOptions): Promise<KeystoreJsonV2> {
  refuseDeterministic(opts.rng, 'keystore encryption', opts);
  const kdf = checkKdfParams(opts.kdf ?? DEFAULT_KDF, opts);
  const salt = opts.rng.randomBytes(SALT_LENGTH);
  const iv = opts.rng.randomBytes(IV_LENGTH);
  const id = opts.id ?? uuidV4(opts.rng);
  using dk = await deriveKeystoreKey(kdf, passphrase, salt, {
    ...(opts.onProgress === undefined ? {} : { onProgress: opts.onProgress }),
    ...(opts.insecureTestKdf === true ? { insecureTestKdf: true } : {}),
  });
  return dk.use((k) => {
    const header: KeystoreHeaderV2 = {
      id,
      keyId: record.keyId,
      scheme: record.scheme,
      publicKey: bytesToHex(record.publicKey),
      createdAt: new Date(record.createdAt).toISOString(),
      kdf,
      dklen: DERIVED_KEY_LENGTH,
      salt: bytesToHex(salt),
      passphraseCheckFunction: 'sha256',
      passphraseCheck: bytesToHex(passphraseCheck(k)),
      cipherFunction: 'aes-256-gcm',
      iv: bytesToHex(iv),
    };
    const cipherMessage = record.seed.use((seed) => gcm(k.subarray(0, 32), iv, encodeHeaderV2(header)).encrypt(seed));
    return {
      version: 2,
      id,
      keyId: record.keyId,
      scheme: record.scheme,
      publicKey: header.publicKey,
      createdAt: header.createdAt,
      crypto: {
        kdf: kdfJson(kdf, header.salt),
        passphraseCheck: { function: 'sha256', message: header.passphraseCheck },
        cipher: { function: 'aes-256-gcm', params: { iv: header.iv }, message: bytesToHex(cipherMessage) },
      },
    };
  });
}

/** Encrypts `record` as a version-2 keystore. */
export async function encryptKeystore(record: KeyRecord, passphrase: Uint8Array, opts: EncryptKeystoreOptions): Promise<KeystoreJsonV2> {
  return sealV2(record, passphrase, opts);
}

// ---- parsing ----

interface ParsedKeystore {
  readonly summary: KeystoreSummary;
  readonly salt: Uint8Array;
  readonly iv: Uint8Array;
  readonly passphraseCheck: Uint8Array;
  readonly cipherMessage: Uint8Array;
  /** v1 only. */
  readonly checksum: Uint8Array | undefined;
  /** The AAD the file's tag covers, with this passphrase check in it (v1's AAD has none). */
  aadWith(passphraseCheck: Uint8Array): Uint8Array;
}

const SCRYPT_PARAMS = ['dklen', 'n', 'r', 'p', 'salt'];
const ARGON2ID_PARAMS = ['dklen', 'm', 't', 'p', 'salt'];

function parseKdf(kdf: JsonObject, strict: boolean, opts: KdfCheckOptions): { params: KdfParams; salt: Uint8Array } {
  const fn = str(kdf, 'function', 'crypto.kdf.');
  if (fn !== 'scrypt' && fn !== 'argon2id') {
    throw new CryptoError(
      'KEYSTORE_UNSUPPORTED_KDF',
      `unsupported keystore KDF function ${fn.length <= 32 ? `'${fn}'` : `(${fn.length} characters)`}`,
    );
  }
  if (strict) onlyFields(kdf, ['function', 'params'], 'crypto.kdf.');
  const p = obj(kdf, 'params', 'crypto.kdf.');
  const w = 'crypto.kdf.params.';
  if (strict) onlyFields(p, fn === 'scrypt' ? SCRYPT_PARAMS : ARGON2ID_PARAMS, w);
  if (num(p, 'dklen', w) !== DERIVED_KEY_LENGTH)
    throw new CryptoError('KEYSTORE_UNSUPPORTED_KDF', `crypto.kdf.params.dklen must be ${DERIVED_KEY_LENGTH}`);
  const salt = hex(p, 'salt', w);
  if (salt.length < 16 || salt.length > 64)
    throw new CryptoError('KEYSTORE_UNSUPPORTED_KDF', 'crypto.kdf.params.salt must be 16 to 64 bytes');
  const params: KdfParams =
    fn === 'scrypt'
      ? { function: 'scrypt', n: num(p, 'n', w), r: num(p, 'r', w), p: num(p, 'p', w) }
      : { function: 'argon2id', m: num(p, 'm', w), t: num(p, 't', w), p: num(p, 'p', w) };
  // Floors and ceilings before anything else is looked at, and long before any KDF work.
  return { params: checkKdfParams(params, opts), salt };
}

interface CommonFields {
  readonly scheme: SoftwareScheme;
  readonly publicKey: Uint8Array;
  readonly keyId: string;
  readonly id: string;
  readonly createdAtText: string;
  readonly createdAt: number;
}

function parseCommon(root: JsonObject): CommonFields {
  const scheme = str(root, 'scheme');
  if (!isSoftwareScheme(scheme)) throw malformed(`unknown scheme${scheme.length <= 32 ? ` '${scheme}'` : ''}`);
  const publicKey = hex(root, 'publicKey', '', schemeImpl(scheme).publicKeyLength);
  const keyId = str(root, 'keyId');
  const id = str(root, 'id');
  const createdAtText = str(root, 'createdAt');
  const createdAt = Date.parse(createdAtText);
  if (!Number.isFinite(createdAt)) throw malformed('createdAt must be an ISO 8601 time');
  return { scheme, publicKey, keyId, id, createdAtText, createdAt };
}

function summaryOf(version: 1 | 2, common: CommonFields, kdf: KdfParams): KeystoreSummary {
  const { id, keyId, scheme, publicKey, createdAt } = common;
  return { version, id, keyId, scheme, publicKey, createdAt, kdf };
}

function cipherOf(crypto: JsonObject, strict: boolean, seedLength: number): { iv: Uint8Array; message: Uint8Array } {
  const c = obj(crypto, 'cipher', 'crypto.');
  if (strict) onlyFields(c, ['function', 'params', 'message'], 'crypto.cipher.');
  if (str(c, 'function', 'crypto.cipher.') !== 'aes-256-gcm') throw malformed('crypto.cipher.function must be aes-256-gcm');
  const params = obj(c, 'params', 'crypto.cipher.');
  if (strict) onlyFields(params, ['iv'], 'crypto.cipher.params.');
  return {
    iv: hex(params, 'iv', 'crypto.cipher.params.', IV_LENGTH),
    message: hex(c, 'message', 'crypto.cipher.', seedLength + TAG_LENGTH),
  };
}

function parseV2(root: JsonObject, opts: KdfCheckOptions): ParsedKeystore {
  onlyFields(root, ['version', 'id', 'keyId', 'scheme', 'publicKey', 'createdAt', 'crypto'], '');
  const crypto = obj(root, 'crypto');
  onlyFields(crypto, ['kdf', 'passphraseCheck', 'cipher'], 'crypto.');
  const { params, salt } = parseKdf(obj(crypto, 'kdf', 'crypto.'), true, opts);
  const common = parseCommon(root);
  const check = obj(crypto, 'passphraseCheck', 'crypto.');
  onlyFields(check, ['function', 'message'], 'crypto.passphraseCheck.');
  if (str(check, 'function', 'crypto.passphraseCheck.') !== 'sha256') throw malformed('crypto.passphraseCheck.function must be sha256');
  const checkBytes = hex(check, 'message', 'crypto.passphraseCheck.', 32);
  const cipher = cipherOf(crypto, true, schemeImpl(common.scheme).seedLength);
  const aadWith = (checkValue: Uint8Array): Uint8Array =>
    encodeHeaderV2({
      id: common.id,
      keyId: common.keyId,
      scheme: common.scheme,
      publicKey: bytesToHex(common.publicKey),
      createdAt: common.createdAtText,
      kdf: params,
      dklen: DERIVED_KEY_LENGTH,
      salt: bytesToHex(salt),
      passphraseCheckFunction: 'sha256',
      passphraseCheck: bytesToHex(checkValue),
      cipherFunction: 'aes-256-gcm',
      iv: bytesToHex(cipher.iv),
    });
  return {
    summary: summaryOf(2, common, params),
    salt,
    iv: cipher.iv,
    passphraseCheck: checkBytes,
    cipherMessage: cipher.message,
    checksum: undefined,
    aadWith,
  };
}

function parseV1(root: JsonObject, opts: KdfCheckOptions): ParsedKeystore {
  const crypto = obj(root, 'crypto');
  const { params, salt } = parseKdf(obj(crypto, 'kdf', 'crypto.'), false, opts);
  const common = parseCommon(root);
  const checksumObj = obj(crypto, 'checksum', 'crypto.');
  if (str(checksumObj, 'function', 'crypto.checksum.') !== 'sha256') throw malformed('crypto.checksum.function must be sha256');
  const cipher = cipherOf(crypto, false, schemeImpl(common.scheme).seedLength);
  return {
    summary: summaryOf(1, common, params),
    salt,
    iv: cipher.iv,
    passphraseCheck: hex(obj(checksumObj, 'params', 'crypto.checksum.'), 'passphraseCheck', 'crypto.checksum.params.', 32),
    cipherMessage: cipher.message,
    checksum: hex(checksumObj, 'message', 'crypto.checksum.', 32),
    aadWith: () => encodeHeaderV1(common.scheme, common.keyId, bytesToHex(common.publicKey)),
  };
}

function parseKeystore(input: string | Uint8Array, opts: KdfCheckOptions): ParsedKeystore {
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: false }).decode(input);
  const root = parseJsonText(text);
  if (!isObject(root)) throw malformed('top level must be an object');
  const version = field(root, 'version', '');
  if (version === 2) return parseV2(root, opts);
  if (version === 1) return parseV1(root, opts);
  const shown = typeof version === 'number' ? String(version) : typeof version;
  throw new CryptoError(
    'KEYSTORE_UNSUPPORTED_VERSION',
    `unsupported keystore version ${shown} (supported: ${KEYSTORE_READABLE_VERSIONS.join(', ')})`,
  );
}

function tampered(what: string): CryptoError {
  return new CryptoError('KEYSTORE_TAMPERED', `keystore integrity check failed: ${what}`);
}

/**
 * Reads the public header of a keystore without the passphrase; throws the same typed errors. The key id
 * is checked against the public key (as decryption does), so a listing never shows an id the file's key
 * does not have. The other header fields are authenticated only when the file is opened.
 */
export function inspectKeystore(input: string | Uint8Array, opts: KdfCheckOptions = {}): KeystoreSummary {
  const { summary } = parseKeystore(input, opts);
  if (keyIdOf(summary.scheme, summary.publicKey) !== summary.keyId) throw tampered('keyId does not match the public key');
  return summary;
}

function openGcm(key: Uint8Array, ks: ParsedKeystore, check: Uint8Array): Uint8Array | undefined {
  try {
    return gcm(key, ks.iv, ks.aadWith(check)).decrypt(ks.cipherMessage);
  } catch {
    return undefined;
  }
}

async function openParsed(ks: ParsedKeystore, passphrase: Uint8Array, opts: DecryptKeystoreOptions): Promise<KeyRecord> {
  const { scheme, keyId, publicKey, createdAt, kdf } = ks.summary;
  if (keyIdOf(scheme, publicKey) !== keyId) throw tampered('keyId does not match the public key');
  using dk = await deriveKeystoreKey(kdf, passphrase, ks.salt, {
    ...(opts.onProgress === undefined ? {} : { onProgress: opts.onProgress }),
    ...(opts.insecureTestKdf === true ? { insecureTestKdf: true } : {}),
  });
  const plain = dk.use((k) => {
    const check = passphraseCheck(k);
    if (!equal(check, ks.passphraseCheck)) {
      // The check itself may be what was altered: if the tag verifies under this key with the check this
      // passphrase yields in the AAD, the passphrase is right and the file's check is not (v2 only).
      const opened = ks.checksum === undefined ? openGcm(k.subarray(0, 32), ks, check) : undefined;
      opened?.fill(0);
      if (opened !== undefined) throw tampered('passphrase check altered');
      throw new CryptoError('KEYSTORE_WRONG_PASSPHRASE', 'wrong passphrase for this keystore (or its KDF parameters or salt were altered)');
    }
    if (ks.checksum !== undefined && !equal(checksumV1(k, ks.cipherMessage), ks.checksum)) throw tampered('checksum mismatch');
    const opened = openGcm(k.subarray(0, 32), ks, check);
    if (opened === undefined) throw tampered('AES-GCM authentication failed (a header field or the ciphertext was altered)');
    return opened;
  });
  const seed = Secret.from(plain);
  try {
    if (!equal(publicKeyFromSeed(scheme, seed), publicKey)) throw tampered('the key does not yield the recorded public key');
    return { scheme, publicKey, keyId, createdAt, seed };
  } catch (err) {
    seed.dispose();
    throw err;
  }
}

export async function decryptKeystore(
  input: string | Uint8Array,
  passphrase: Uint8Array,
  opts: DecryptKeystoreOptions = {},
): Promise<KeyRecord> {
  return openParsed(parseKeystore(input, opts), passphrase, opts);
}

export interface WriteKeystoreOptions extends EncryptKeystoreOptions {
  readonly hooks?: AtomicWriteHooks;
}

function serialize(json: KeystoreJsonV2): Uint8Array {
  return utf8ToBytes(JSON.stringify(json, null, 2) + '\n');
}

/**
 * Encrypts `record` into DIR/keystore-<keyId>.json, atomically and without replacing an existing file
 * (FS_EXISTS). Returns the path.
 */
export async function writeKeystore(dir: string, record: KeyRecord, passphrase: Uint8Array, opts: WriteKeystoreOptions): Promise<string> {
  const json = await encryptKeystore(record, passphrase, opts);
  const path = join(dir, keystoreFileName(record.keyId));
  await writeFileAtomic(path, serialize(json), { noClobber: true, mode: 0o600, ...(opts.hooks ? { hooks: opts.hooks } : {}) });
  return path;
}

export async function readKeystore(path: string, passphrase: Uint8Array, opts: DecryptKeystoreOptions = {}): Promise<KeyRecord> {
  return decryptKeystore(new Uint8Array(await readFile(path)), passphrase, opts);
}

export interface UpgradeKeystoreOptions extends WriteKeystoreOptions {
  /** Progress of the two KDF runs (open, then seal) as one fraction in [0, 1]. */
  readonly onProgress?: (fraction: number) => void;
}

/** What `upgradeKeystoreFile` did. */
export type UpgradeOutcome = 'upgraded' | 'already-current';

/**
 * Rewrites a version-1 keystore at `path` as version 2, keeping its id, createdAt and KDF parameters
 * (unless `kdf` is given) with a fresh salt and IV. The passphrase is checked by opening the file first;
 * the new file replaces the old by rename (crypto/fs/atomic-file.ts), so until that rename the old file
 * is intact, and afterwards the new one is complete. A version-2 file is left untouched.
 */
export async function upgradeKeystoreFile(path: string, passphrase: Uint8Array, opts: UpgradeKeystoreOptions): Promise<UpgradeOutcome> {
  const ks = parseKeystore(new Uint8Array(await readFile(path)), opts);
  if (ks.summary.version === KEYSTORE_VERSION) return 'already-current';
  const half = (offset: number) => (opts.onProgress === undefined ? {} : { onProgress: (f: number) => opts.onProgress?.(offset + f / 2) });
  const record = await openParsed(ks, passphrase, { ...opts, ...half(0) });
  try {
    const json = await sealV2(record, passphrase, { ...opts, ...half(0.5), id: ks.summary.id, kdf: opts.kdf ?? ks.summary.kdf });
    await writeFileAtomic(path, serialize(json), { mode: 0o600, ...(opts.hooks ? { hooks: opts.hooks } : {}) });
    return 'upgraded';
  } finally {
    record.seed.dispose();
  }
}
