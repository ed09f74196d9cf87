/**
 * The master wrapping key held on a PKCS#11 token, never leaving it: an hsm/ HsmHmacKey (a 32-byte
 * CKK_GENERIC_SECRET key, sensitive, never extractable, CKM_SHA256_HMAC only; made and checked by hsm/).
 * Each agent's key is HKDF-Expand (RFC 5869 §2.3) with the token key as the PRK, which for L = 32 bytes is
 * one HMAC: K_agent = T(1) = HMAC-SHA-256(PRK, info ‖ 0x01) — one C_Sign on the token. The PRK is a
 * uniformly random key made by the token, so the Extract step may be skipped (RFC 5869 §3.3). The
 * per-agent key is in the aggregator's memory for one wrap or unwrap (AES-GCM runs in node:crypto) and is
 * zeroed straight after by the caller; the master is never there.
 *
 * What it does not do: AES-GCM on the token (each share's key would have to be a token object).
 */
import { HsmHmacKey, type Pkcs11Hsm, type ProtectionReport } from '../hsm/index.js';
import { check } from './errors.js';

/** HKDF-Expand's block counter for T(1) (RFC 5869 §2.3). */
const FIRST_BLOCK = 0x01;

/** What WrappingKey needs of a master that stays elsewhere: HKDF-Expand to 32 bytes (the caller zeroes it). */
export interface MasterExpander {
  readonly description: string;
  expand32(info: Uint8Array): Uint8Array;
}

/** A token-held HMAC-SHA-256 key used as the HKDF PRK of the master wrapping key. */
export class TokenMasterKey implements MasterExpander {
  readonly label: string;
  readonly description: string;
  /** What the token enforces of hsm/'s key protections; only for a key this process generated. */
  readonly protections: ProtectionReport | undefined;
  private readonly key: HsmHmacKey;
  private constructor(key: HsmHmacKey, tokenLabel: string, protections?: ProtectionReport) {
    this.key = key;
    this.label = key.label;
    this.description = `token key '${key.label}' on '${tokenLabel}'`;
    this.protections = protections;
  }

  /** Makes a new key on the token (HSM_KEY_EXISTS when `label` is taken; HSM_MECHANISM_UNSUPPORTED). */
  static generate(hsm: Pkcs11Hsm, label: string): TokenMasterKey {
    check.string(label, 'label', { minLength: 1, maxLength: 64 });
    const { key, protections } = HsmHmacKey.generate(hsm, { label });
    return new TokenMasterKey(key, hsm.tokenLabel, protections);
  }

  /** The key labelled `label`, checked by hsm/ (HSM_KEY_NOT_FOUND, HSM_KEY_AMBIGUOUS, HSM_KEY_INVALID). */
  static find(hsm: Pkcs11Hsm, label: string): TokenMasterKey {
    check.string(label, 'label', { minLength: 1, maxLength: 64 });
    return new TokenMasterKey(HsmHmacKey.open(hsm, { label }), hsm.tokenLabel);
  }

  /** HKDF-Expand(PRK = this key, info, 32) = HMAC-SHA-256(PRK, info ‖ 0x01), computed on the token. */
  expand32(info: Uint8Array): Uint8Array {
    check.bytes(info, 'info', { minLength: 1 });
    const message = new Uint8Array(info.length + 1);
    message.set(info, 0);
    message[info.length] = FIRST_BLOCK;
    try {
      // T(1) is the whole 32-byte HMAC output (hsm/ checks its length), so L = 32 needs no truncation.
      return this.key.hmacSha256(message);
    } finally {
      message.fill(0);
    }
  }

  toString(): string {
    return `TokenMasterKey(${this.label})`;
  }
  toJSON(): string {
    return this.toString();
  }
}
