/**
 * The canonical encoding of a version-2 keystore's header: the bytes AES-256-GCM (SP 800-38D §7.1)
 * authenticates as additional data, so that every field but the ciphertext itself — id, keyId, scheme,
 * public key, createdAt, KDF name and parameters and salt, passphrase check, cipher name and IV — is bound
 * to the key. It depends on the fields' values only, never on how the JSON was laid out (key order,
 * whitespace, number spelling), so any tool that reads the fields can rebuild it:
 *
 *   AAD = "hrng-keystore/v2" ‖ for each field in the fixed order below:
 *           name (ASCII) ‖ 0x00 ‖ u32be(len(value)) ‖ value (UTF-8)
 *
 * Numbers are written in decimal, byte strings in lowercase hex (as the file holds them), strings as they
 * are. The order is fixed by this list, not by the file.
 */
import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { KdfParams } from './keystore-kdf.js';

export const HEADER_DOMAIN = 'hrng-keystore/v2';

/** The header fields of a version-2 keystore, as the AAD binds them. */
export interface KeystoreHeaderV2 {
  readonly id: string;
  readonly keyId: string;
  readonly scheme: string;
  /** Lowercase hex. */
  readonly publicKey: string;
  /** As written in the file (ISO 8601). */
  readonly createdAt: string;
  readonly kdf: KdfParams;
  readonly dklen: number;
  /** Lowercase hex. */
  readonly salt: string;
  readonly passphraseCheckFunction: string;
  /** Lowercase hex. */
  readonly passphraseCheck: string;
  readonly cipherFunction: string;
  /** Lowercase hex. */
  readonly iv: string;
}

/** The (name, value) pairs in their fixed order. Exported for the format test and docs/keys.md. */
export function headerFields(h: KeystoreHeaderV2): readonly (readonly [string, string])[] {
  const kdf: (readonly [string, string])[] =
    h.kdf.function === 'scrypt'
      ? [
          ['crypto.kdf.params.n', String(h.kdf.n)],
          ['crypto.kdf.params.r', String(h.kdf.r)],
          ['crypto.kdf.params.p', String(h.kdf.p)],
        ]
      : [
          ['crypto.kdf.params.m', String(h.kdf.m)],
          ['crypto.kdf.params.t', String(h.kdf.t)],
          ['crypto.kdf.params.p', String(h.kdf.p)],
        ];
  return [
    ['version', '2'],
    ['id', h.id],
    ['keyId', h.keyId],
    ['scheme', h.scheme],
    ['publicKey', h.publicKey],
    ['createdAt', h.createdAt],
    ['crypto.kdf.function', h.kdf.function],
    ['crypto.kdf.params.dklen', String(h.dklen)],
    ...kdf,
    ['crypto.kdf.params.salt', h.salt],
    ['crypto.passphraseCheck.function', h.passphraseCheckFunction],
    ['crypto.passphraseCheck.message', h.passphraseCheck],
    ['crypto.cipher.function', h.cipherFunction],
    ['crypto.cipher.params.iv', h.iv],
  ];
}

export function encodeHeaderV2(h: KeystoreHeaderV2): Uint8Array {
  const parts: Uint8Array[] = [utf8ToBytes(HEADER_DOMAIN)];
  for (const [name, value] of headerFields(h)) {
    const v = utf8ToBytes(value);
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, v.length);
    parts.push(utf8ToBytes(name), Uint8Array.of(0), len, v);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Version 1's AAD: only scheme, keyId and public key were bound (kept so that v1 files still open). */
export function encodeHeaderV1(scheme: string, keyId: string, publicKeyHex: string): Uint8Array {
  return utf8ToBytes(['hrng-keystore', '1', scheme, keyId, publicKeyHex].join('\u0000'));
}
