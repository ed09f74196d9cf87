/**
 * Token-held AES-256 keys for protecting key material stored outside the token:
 *  - AES-256-GCM (NIST SP 800-38D; PKCS#11 Current Mechanisms v3.0 §2.12.3 CKM_AES_GCM, v2.40 params):
 *    96-bit IV (§8.2), 128-bit tag, optional AAD. The IV always comes from the token's RNG — a caller
 *    cannot supply one for encryption — and each key's encryptions are counted on the token and refused
 *    past 2^32 (SP 800-38D §8.3; see gcm-budget.ts for what the count can and cannot promise).
 *  - AES key wrap (RFC 3394, CKM_AES_KEY_WRAP) and key wrap with padding (RFC 5649, CKM_AES_KEY_WRAP_KWP
 *    of PKCS#11 v3.0 §2.14.3). CKM_AES_KEY_WRAP_PAD (v2.40) is deliberately not used: its meaning differs
 *    between vendors, and SoftHSM 2.6.1 zero-pads the input to a multiple of 8 *before* RFC 5649, so the
 *    original length is lost and unwrapping returns trailing zeros (shown in the integration tests).
 *
 * Keys are single-purpose (SP 800-57 Part 1 §5.2): a 'gcm' key encrypts and decrypts, a 'wrap' key wraps
 * and unwraps, never both. Raw bytes are wrapped by placing them in a short-lived session object
 * (CKK_GENERIC_SECRET, never on the token's storage) and destroying it straight after.
 */
import * as graphene from 'graphene-pk11';
import {
  CKA_CLASS,
  CKA_DECRYPT,
  CKA_DERIVE,
  CKA_ENCRYPT,
  CKA_EXTRACTABLE,
  CKA_ID,
  CKA_KEY_TYPE,
  CKA_LABEL,
  CKA_PRIVATE,
  CKA_SENSITIVE,
  CKA_SIGN,
  CKA_TOKEN,
  CKA_UNWRAP,
  CKA_VALUE,
  CKA_VALUE_LEN,
  CKA_VERIFY,
  CKA_WRAP,
  CKK_AES,
  CKK_GENERIC_SECRET,
  CKM_AES_GCM,
  CKM_AES_KEY_GEN,
  CKM_AES_KEY_WRAP,
  CKM_AES_KEY_WRAP_KWP,
  CKO_SECRET_KEY,
} from './constants.js';
import { bool, idOf, labelOf, readAttributes, ulong } from './attributes.js';
import { asBuffer, copyAndZero, copyBytes, toHex } from './bytes.js';
import { generateSecretKey, secretKeyTemplate } from './generate-secret.js';
import { HsmError, check, type HsmErrorCode } from './errors.js';
import { describeSelector, findExactlyOne, selectorTemplate, type KeySelector } from './find.js';
import { GcmBudget, tokenCounterStore } from './gcm-budget.js';
import { SENSITIVITY_ATTRIBUTES, protectionAttributes, sensitivityProblem, type ProtectionReport } from './key-policy.js';
import type { Pkcs11Handle, Pkcs11Lib, Pkcs11Mechanism, Pkcs11Template } from './library.js';
import type { Pkcs11Hsm } from './pkcs11-hsm.js';

export type AesKeyPurpose = 'gcm' | 'wrap';

export const GCM_IV_BYTES = 12;
export const GCM_TAG_BYTES = 16;

export interface GcmSealed {
  readonly iv: Uint8Array;
  /** Ciphertext followed by the 16-byte tag, as PKCS#11 returns it. */
  readonly ciphertext: Uint8Array;
}

export interface WrapOptions {
  /** RFC 5649 (any length ≥ 1; needs CKM_AES_KEY_WRAP_KWP) instead of RFC 3394 (a multiple of 8 bytes, ≥ 16). */
  readonly padding?: boolean;
}

function gcmMechanism(iv: Uint8Array, aad: Uint8Array | undefined): Pkcs11Mechanism {
  // AesGcm240Params: the v2.40 CK_GCM_PARAMS layout (with ulIvBits) that SoftHSM reads; graphene's
  // plain AesGcmParams leaves that field uninitialised.
  const params = new graphene.AesGcm240Params(Buffer.from(iv), Buffer.from(aad ?? new Uint8Array()), GCM_TAG_BYTES * 8);
  return { mechanism: CKM_AES_GCM, parameter: params.toCKI() };
}

export class HsmAesKey {
  readonly label: string;
  /** CKA_ID, hex. */
  readonly objectId: string;
  readonly purpose: AesKeyPurpose;
  private readonly hsm: Pkcs11Hsm;
  private readonly handle: Pkcs11Handle;
  /** Opened on the first encryption: reading the token's counter costs a round trip. */
  #budget: GcmBudget | undefined;

  constructor(o: { hsm: Pkcs11Hsm; handle: Pkcs11Handle; label: string; objectId: Uint8Array; purpose: AesKeyPurpose }) {
    this.hsm = o.hsm;
    this.handle = o.handle;
    this.label = o.label;
    this.objectId = toHex(o.objectId);
    this.purpose = o.purpose;
  }

  private need(purpose: AesKeyPurpose): void {
    if (this.purpose !== purpose)
      throw new HsmError('HSM_INVALID_ARGUMENT', `key '${this.label}' is a '${this.purpose}' key, not a '${purpose}' key`);
  }

  /**
   * AES-256-GCM under this key with a fresh 96-bit IV from the token's RNG, returned with the ciphertext.
   * There is no IV option: an IV repeated under one GCM key reveals the XOR of the plaintexts and lets
   * an attacker forge tags. Counts the encryption against the key's 2^32 budget first (HSM_IV_LIMIT).
   */
  encryptGcm(plaintext: Uint8Array, options: { readonly aad?: Uint8Array } = {}): GcmSealed {
    this.need('gcm');
    if (Object.hasOwn(options, 'iv'))
      throw new HsmError('HSM_INVALID_ARGUMENT', 'AES-GCM encryption takes no caller-supplied IV; the token generates it');
    check.bytes(plaintext, 'plaintext', { minLength: 1 });
    if (options.aad !== undefined) check.bytes(options.aad, 'aad');
    this.needGcm();
    this.#budget ??= new GcmBudget(tokenCounterStore(this.hsm, this.objectId), `AES key '${this.label}' (${this.objectId})`);
    this.#budget.take();
    const iv = this.hsm.generateRandom(GCM_IV_BYTES);
    const ciphertext = this.hsm.run('C_Encrypt', ({ lib, session }) => {
      lib.C_EncryptInit(session, gcmMechanism(iv, options.aad), this.handle);
      return new Uint8Array(lib.C_Encrypt(session, asBuffer(plaintext), Buffer.alloc(plaintext.length + GCM_TAG_BYTES)));
    });
    if (ciphertext.length !== plaintext.length + GCM_TAG_BYTES) {
      throw new HsmError('HSM_OPERATION_FAILED', `C_Encrypt returned ${ciphertext.length} bytes for ${plaintext.length} of plaintext`, {
        call: 'C_Encrypt',
      });
    }
    return { iv: copyBytes(iv), ciphertext };
  }

  private needGcm(): void {
    if (!this.hsm.supports(CKM_AES_GCM))
      throw new HsmError('HSM_MECHANISM_UNSUPPORTED', `token '${this.hsm.tokenLabel}' lacks CKM_AES_GCM`);
  }

  /** The plaintext, or HSM_DECRYPT_FAILED when the tag does not match (anything altered, or the wrong key). */
  decryptGcm(sealed: GcmSealed, options: { aad?: Uint8Array } = {}): Uint8Array {
    this.need('gcm');
    check.bytes(sealed.iv, 'AES-GCM IV', { length: GCM_IV_BYTES });
    check.bytes(sealed.ciphertext, 'AES-GCM ciphertext');
    if (options.aad !== undefined) check.bytes(options.aad, 'aad');
    this.needGcm();
    if (sealed.ciphertext.length <= GCM_TAG_BYTES) throw new HsmError('HSM_DECRYPT_FAILED', 'AES-GCM ciphertext is shorter than its tag');
    try {
      return this.hsm.run('C_Decrypt', ({ lib, session }) => {
        lib.C_DecryptInit(session, gcmMechanism(sealed.iv, options.aad), this.handle);
        const out = Buffer.alloc(sealed.ciphertext.length);
        try {
          return copyAndZero(lib.C_Decrypt(session, asBuffer(sealed.ciphertext), out));
        } finally {
          out.fill(0);
        }
      });
    } catch (err) {
      // Tokens signal a tag mismatch differently (SoftHSM: CKR_GENERAL_ERROR; the standard:
      // CKR_ENCRYPTED_DATA_INVALID); all mean "do not trust these bytes". Token-absent and session
      // errors keep their own codes.
      throw asDecryptFailure(
        err,
        'C_Decrypt',
        ['HSM_OPERATION_FAILED', 'HSM_DECRYPT_FAILED', 'HSM_INVALID_ARGUMENT'],
        'AES-GCM authentication failed: ciphertext, tag, IV or AAD altered, or the wrong key',
      );
    }
  }

  /** Wraps raw key material (RFC 3394, or RFC 5649 with `padding`). */
  wrap(secret: Uint8Array, options: WrapOptions = {}): Uint8Array {
    this.need('wrap');
    const mechanism = this.wrapMechanism(options.padding ?? false, secret.length);
    return this.hsm.run('C_WrapKey', ({ lib, session }) => {
      const temp = lib.C_CreateObject(session, sessionSecretTemplate({ value: secret }));
      try {
        return new Uint8Array(lib.C_WrapKey(session, { mechanism }, this.handle, temp, Buffer.alloc(secret.length + 16)));
      } finally {
        lib.C_DestroyObject(session, temp);
      }
    });
  }

  /** Unwraps what `wrap` produced; HSM_DECRYPT_FAILED when the integrity check fails. */
  unwrap(wrapped: Uint8Array, options: WrapOptions = {}): Uint8Array {
    this.need('wrap');
    const padding = options.padding ?? false;
    if (wrapped.length < 16 || wrapped.length % 8 !== 0) {
      throw new HsmError(
        'HSM_DECRYPT_FAILED',
        `wrapped key is ${wrapped.length} bytes; RFC ${padding ? '5649' : '3394'} output is a multiple of 8, at least 16`,
      );
    }
    const mechanism = this.wrapMechanism(padding, undefined);
    try {
      return this.hsm.run('C_UnwrapKey', ({ lib, session }) => unwrapToBytes(lib, session, { mechanism, kek: this.handle, wrapped }));
    } catch (err) {
      throw asDecryptFailure(
        err,
        'C_UnwrapKey',
        ['HSM_OPERATION_FAILED', 'HSM_DECRYPT_FAILED'],
        'integrity check failed: altered data or the wrong key',
      );
    }
  }

  private wrapMechanism(padding: boolean, length: number | undefined): number {
    if (!padding) {
      if (length !== undefined && (length < 16 || length % 8 !== 0)) {
        throw new HsmError(
          'HSM_INVALID_ARGUMENT',
          `RFC 3394 wraps a multiple of 8 bytes, at least 16; got ${length} (use padding: RFC 5649)`,
        );
      }
      if (!this.hsm.supports(CKM_AES_KEY_WRAP))
        throw new HsmError('HSM_MECHANISM_UNSUPPORTED', `token '${this.hsm.tokenLabel}' lacks CKM_AES_KEY_WRAP`);
      return CKM_AES_KEY_WRAP;
    }
    if (length !== undefined && length < 1) throw new HsmError('HSM_INVALID_ARGUMENT', 'nothing to wrap');
    if (this.hsm.supports(CKM_AES_KEY_WRAP_KWP)) return CKM_AES_KEY_WRAP_KWP;
    throw new HsmError(
      'HSM_MECHANISM_UNSUPPORTED',
      `token '${this.hsm.tokenLabel}' lacks CKM_AES_KEY_WRAP_KWP (RFC 5649); its CKM_AES_KEY_WRAP_PAD is not used because vendors disagree on what it computes`,
    );
  }
}

/**
 * `err` as HSM_DECRYPT_FAILED when its code is one of `codes` (tokens signal a failed integrity check
 * differently); any other error — token absent, session broken — is returned as it is.
 */
function asDecryptFailure(err: unknown, call: string, codes: readonly HsmErrorCode[], meaning: string): unknown {
  if (!(err instanceof HsmError) || !codes.includes(err.code)) return err;
  return HsmError.from(err, 'HSM_DECRYPT_FAILED', `${err.call ?? call} failed: ${err.ckr ?? 'no CKR'} (${meaning})`, call);
}

function unwrapToBytes(
  lib: Pkcs11Lib,
  session: Pkcs11Handle,
  o: { readonly mechanism: number; readonly kek: Pkcs11Handle; readonly wrapped: Uint8Array },
): Uint8Array {
  const { mechanism, kek, wrapped } = o;
  const temp = lib.C_UnwrapKey(session, { mechanism }, kek, asBuffer(wrapped), sessionSecretTemplate({ readBack: true }));
  try {
    const value = readAttributes(lib, session, temp, [CKA_VALUE]).get(CKA_VALUE);
    if (value === undefined)
      throw new HsmError('HSM_OPERATION_FAILED', 'unwrapped object has no CKA_VALUE', { call: 'C_GetAttributeValue' });
    return value;
  } finally {
    lib.C_DestroyObject(session, temp);
  }
}

const AES_USAGE = [CKA_ENCRYPT, CKA_DECRYPT, CKA_WRAP, CKA_UNWRAP, CKA_SIGN, CKA_VERIFY, CKA_DERIVE];

/**
 * The template of a token AES key for one purpose: every usage flag explicit, sensitive, never
 * extractable. Generation adds CKA_VALUE_LEN; an import (tests only) adds CKA_VALUE.
 */
export function aesKeyTemplate(label: string, id: Uint8Array, purpose: AesKeyPurpose): Pkcs11Template {
  const granted = purpose === 'gcm' ? [CKA_ENCRYPT, CKA_DECRYPT] : [CKA_WRAP, CKA_UNWRAP];
  return secretKeyTemplate({ keyType: CKK_AES, label, id, usage: AES_USAGE, granted });
}

/**
 * A short-lived session object (CKK_GENERIC_SECRET, never on the token's storage, destroyed straight
 * after use) that carries raw bytes through the token:
 *  - `{ value }`: bytes to wrap. Extractable (C_WrapKey needs it), sensitive (nothing reads it in clear).
 *  - `{ readBack: true }`: the target of C_UnwrapKey, whose CKA_VALUE is then read — so not sensitive.
 */
export function sessionSecretTemplate(contents: { readonly value: Uint8Array } | { readonly readBack: true }): Pkcs11Template {
  const toWrap = 'value' in contents;
  return [
    { type: CKA_CLASS, value: CKO_SECRET_KEY },
    { type: CKA_KEY_TYPE, value: CKK_GENERIC_SECRET },
    { type: CKA_TOKEN, value: false },
    { type: CKA_PRIVATE, value: true },
    { type: CKA_SENSITIVE, value: toWrap },
    { type: CKA_EXTRACTABLE, value: true },
    ...(toWrap ? [{ type: CKA_VALUE, value: asBuffer(contents.value) }] : []),
  ];
}

function checkAesPolicy(
  lib: Pkcs11Lib,
  session: Pkcs11Handle,
  key: Pkcs11Handle,
  opts: { readonly generated: boolean },
): { problem?: string; purpose?: AesKeyPurpose } {
  const v = readAttributes(lib, session, key, [
    CKA_KEY_TYPE,
    CKA_VALUE_LEN,
    ...SENSITIVITY_ATTRIBUTES,
    CKA_ENCRYPT,
    CKA_DECRYPT,
    CKA_WRAP,
    CKA_UNWRAP,
    CKA_DERIVE,
  ]);
  if (ulong(v, CKA_KEY_TYPE) !== CKK_AES) return { problem: 'not an AES key' };
  if (ulong(v, CKA_VALUE_LEN) !== 32) return { problem: 'not a 256-bit key' };
  const problem = sensitivityProblem(v, { sinceCreation: opts.generated });
  if (problem !== undefined) return { problem };
  if (bool(v, CKA_DERIVE)) return { problem: 'CKA_DERIVE is true' };
  const gcm = bool(v, CKA_ENCRYPT) && bool(v, CKA_DECRYPT) && !bool(v, CKA_WRAP) && !bool(v, CKA_UNWRAP);
  const wrap = bool(v, CKA_WRAP) && bool(v, CKA_UNWRAP) && !bool(v, CKA_ENCRYPT) && !bool(v, CKA_DECRYPT);
  if (!gcm && !wrap) return { problem: 'usage flags are not exactly encrypt+decrypt or wrap+unwrap' };
  return { purpose: gcm ? 'gcm' : 'wrap' };
}

export interface GenerateAesKeyOptions {
  readonly label: string;
  readonly purpose: AesKeyPurpose;
  /** Also CKA_DESTROYABLE = false: the key can then never be deleted through PKCS#11 (see key-policy.ts). */
  readonly indestructible?: boolean;
}

/**
 * Generates an AES-256 key on the token: sensitive, never extractable, one purpose, not modifiable, not
 * copyable; `protections` says what the token enforces (a refused attribute is reported there).
 */
export function generateAesKey(hsm: Pkcs11Hsm, options: GenerateAesKeyOptions): { key: HsmAesKey; protections: ProtectionReport } {
  const made = generateSecretKey(hsm, {
    label: options.label,
    ...(options.indestructible === undefined ? {} : { indestructible: options.indestructible }),
    mechanism: CKM_AES_KEY_GEN,
    what: 'AES key',
    template: (label, id, applied) => [
      ...aesKeyTemplate(label, id, options.purpose),
      ...protectionAttributes(applied),
      { type: CKA_VALUE_LEN, value: 32 },
    ],
    problem: (lib, session, handle) => {
      const policy = checkAesPolicy(lib, session, handle, { generated: true });
      return policy.problem ?? (policy.purpose === options.purpose ? undefined : 'wrong usage');
    },
  });
  const key = new HsmAesKey({ hsm, handle: made.handle, label: made.label, objectId: made.id, purpose: options.purpose });
  return { key, protections: made.protections };
}

/** The AES key with this label or id, checked: 256-bit, sensitive, non-extractable, single-purpose. */
export function findAesKey(hsm: Pkcs11Hsm, selector: KeySelector): HsmAesKey {
  const what = describeSelector(selector);
  return hsm.run('C_FindObjects', ({ lib, session }) => {
    const template = [{ type: CKA_CLASS, value: CKO_SECRET_KEY }, ...selectorTemplate(selector)];
    const handle = findExactlyOne(lib, session, { template, tokenLabel: hsm.tokenLabel, what: `secret key with ${what}` });
    const policy = checkAesPolicy(lib, session, handle, { generated: false });
    if (policy.problem !== undefined || policy.purpose === undefined) {
      throw new HsmError('HSM_KEY_INVALID', `secret key with ${what} is not safe to use: ${policy.problem ?? 'no purpose'}`);
    }
    const v = readAttributes(lib, session, handle, [CKA_LABEL, CKA_ID]);
    return new HsmAesKey({ hsm, handle, label: labelOf(v), objectId: idOf(v), purpose: policy.purpose });
  });
}
