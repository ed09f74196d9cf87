/**
 * The master wrapping key held on a PKCS#11 token, never leaving it: a CKK_GENERIC_SECRET key of 32
 * bytes, sensitive, non-extractable, usable only to sign with CKM_SHA256_HMAC (PKCS#11 Current Mechanisms
 * v2.40 §2.7.2 / v3.0 §2.21). Each agent's key is HKDF-Expand (RFC 5869 §2.3) with the token key as the
 * PRK, which for L = 32 bytes is one HMAC: K_agent = T(1) = HMAC-SHA-256(PRK, info ‖ 0x01) — one C_Sign on
 * the token. The PRK is a uniformly random key made by the token (CKM_GENERIC_SECRET_KEY_GEN), so the
 * Extract step may be skipped (RFC 5869 §3.3). The per-agent key is in the aggregator's memory for one
 * wrap or unwrap (AES-GCM runs in node:crypto) and is zeroed straight after; the master is never there.
 *
 * What it does not do: AES-GCM on the token (each share's key would have to be a token object), and the
 * key protections of hsm/ (CKA_DESTROYABLE etc., hsm/key-policy.ts): this module checks only that the key
 * is a 32-byte HMAC-only secret that is sensitive and was never extractable. Its PKCS#11 plumbing belongs
 * in hsm/ (an HsmHmacKey beside HsmAesKey); it sits here, on the public `Pkcs11Hsm.run`, until it moves.
 */
import type { Pkcs11Handle, Pkcs11Hsm, Pkcs11Lib, Pkcs11Template } from '../hsm/index.js';
import { check, QuorumError } from './errors.js';

// PKCS#11 v2.40 §3 (pkcs11t.h) values; hsm/constants.ts has the same, not exported from hsm/index.ts.
const CKA_CLASS = 0x0000;
const CKA_TOKEN = 0x0001;
const CKA_PRIVATE = 0x0002;
const CKA_LABEL = 0x0003;
const CKA_KEY_TYPE = 0x0100;
const CKA_ID = 0x0102;
const CKA_SENSITIVE = 0x0103;
const CKA_ENCRYPT = 0x0104;
const CKA_DECRYPT = 0x0105;
const CKA_WRAP = 0x0106;
const CKA_UNWRAP = 0x0107;
const CKA_SIGN = 0x0108;
const CKA_VERIFY = 0x010a;
const CKA_DERIVE = 0x010c;
const CKA_VALUE_LEN = 0x0161;
const CKA_EXTRACTABLE = 0x0162;
const CKA_NEVER_EXTRACTABLE = 0x0164;
const CKA_ALWAYS_SENSITIVE = 0x0165;
const CKO_SECRET_KEY = 0x0004;
const CKK_GENERIC_SECRET = 0x0010;
const CKM_SHA256_HMAC = 0x0251;
const CKM_GENERIC_SECRET_KEY_GEN = 0x0350;

const KEY_BYTES = 32;

/** What WrappingKey needs of a master that stays elsewhere: HKDF-Expand to 32 bytes (the caller zeroes it). */
export interface MasterExpander {
  readonly description: string;
  expand32(info: Uint8Array): Uint8Array;
}

function findByLabel(lib: Pkcs11Lib, session: Pkcs11Handle, label: string): Pkcs11Handle[] {
  lib.C_FindObjectsInit(session, [
    { type: CKA_CLASS, value: CKO_SECRET_KEY },
    { type: CKA_LABEL, value: label },
  ]);
  try {
    return lib.C_FindObjects(session, 2);
  } finally {
    lib.C_FindObjectsFinal(session);
  }
}

const isTrue = (b: Buffer | undefined): boolean => b !== undefined && b.length > 0 && b.every((x, i) => (i === 0 ? x === 1 : x === 0));
const isFalse = (b: Buffer | undefined): boolean => b !== undefined && b.length > 0 && b.every((x) => x === 0);
const ulongOf = (b: Buffer | undefined): number => (b === undefined ? -1 : b.length === 8 ? Number(b.readBigUInt64LE()) : b.readUInt32LE());

/** Why the key is not safe to use as the master, or undefined. */
function problemOf(lib: Pkcs11Lib, session: Pkcs11Handle, key: Pkcs11Handle): string | undefined {
  const types = [
    CKA_KEY_TYPE,
    CKA_VALUE_LEN,
    CKA_SENSITIVE,
    CKA_EXTRACTABLE,
    CKA_ALWAYS_SENSITIVE,
    CKA_NEVER_EXTRACTABLE,
    CKA_SIGN,
    CKA_ENCRYPT,
    CKA_DECRYPT,
    CKA_WRAP,
    CKA_UNWRAP,
    CKA_DERIVE,
  ];
  const got = new Map(
    lib
      .C_GetAttributeValue(
        session,
        key,
        types.map((type) => ({ type })),
      )
      .map((a) => [a.type, a.value as Buffer]),
  );
  if (ulongOf(got.get(CKA_KEY_TYPE)) !== CKK_GENERIC_SECRET) return 'not a generic secret key';
  if (ulongOf(got.get(CKA_VALUE_LEN)) !== KEY_BYTES) return `not ${KEY_BYTES} bytes`;
  if (!isTrue(got.get(CKA_SENSITIVE)) || !isTrue(got.get(CKA_ALWAYS_SENSITIVE))) return 'not (always) sensitive';
  if (!isFalse(got.get(CKA_EXTRACTABLE)) || !isTrue(got.get(CKA_NEVER_EXTRACTABLE))) return 'extractable, or was once';
  if (!isTrue(got.get(CKA_SIGN))) return 'cannot sign (HMAC)';
  for (const t of [CKA_ENCRYPT, CKA_DECRYPT, CKA_WRAP, CKA_UNWRAP, CKA_DERIVE])
    if (got.has(t) && !isFalse(got.get(t))) return 'has a usage besides HMAC';
  return undefined;
}

/** A token-held HMAC-SHA-256 key used as the HKDF PRK of the master wrapping key. */
export class TokenMasterKey implements MasterExpander {
  readonly label: string;
  readonly description: string;
  private readonly hsm: Pkcs11Hsm;
  private readonly handle: Pkcs11Handle;
  private constructor(hsm: Pkcs11Hsm, handle: Pkcs11Handle, label: string) {
    this.hsm = hsm;
    this.handle = handle;
    this.label = label;
    this.description = `token key '${label}' on '${hsm.tokenLabel}'`;
  }

  /** Makes a new key on the token (refused when `label` is taken, or the token lacks the mechanisms). */
  static generate(hsm: Pkcs11Hsm, label: string): TokenMasterKey {
    check.string(label, 'label', { minLength: 1, maxLength: 64 });
    for (const [m, name] of [
      [CKM_GENERIC_SECRET_KEY_GEN, 'CKM_GENERIC_SECRET_KEY_GEN'],
      [CKM_SHA256_HMAC, 'CKM_SHA256_HMAC'],
    ] as const)
      if (!hsm.supports(m)) throw new QuorumError('QUORUM_WRAPPING_KEY', `token '${hsm.tokenLabel}' does not offer ${name}`);
    // Our own refusals are thrown outside `run`: inside, any non-PKCS#11 error is taken as a broken session.
    const taken = hsm.run('C_FindObjects', ({ lib, session }) => findByLabel(lib, session, label).length > 0);
    if (taken) throw new QuorumError('QUORUM_WRAPPING_KEY', `token '${hsm.tokenLabel}' already holds a secret key labelled '${label}'`);
    const template: Pkcs11Template = [
      { type: CKA_CLASS, value: CKO_SECRET_KEY },
      { type: CKA_KEY_TYPE, value: CKK_GENERIC_SECRET },
      { type: CKA_TOKEN, value: true },
      { type: CKA_PRIVATE, value: true },
      { type: CKA_SENSITIVE, value: true },
      { type: CKA_EXTRACTABLE, value: false },
      { type: CKA_SIGN, value: true },
      { type: CKA_VERIFY, value: false },
      { type: CKA_ENCRYPT, value: false },
      { type: CKA_DECRYPT, value: false },
      { type: CKA_WRAP, value: false },
      { type: CKA_UNWRAP, value: false },
      { type: CKA_DERIVE, value: false },
      { type: CKA_VALUE_LEN, value: KEY_BYTES },
      { type: CKA_LABEL, value: label },
      { type: CKA_ID, value: Buffer.from(hsm.generateRandom(8)) },
    ];
    const { handle, problem } = hsm.run('C_GenerateKey', ({ lib, session }) => {
      const h = lib.C_GenerateKey(session, { mechanism: CKM_GENERIC_SECRET_KEY_GEN }, template);
      const why = problemOf(lib, session, h);
      if (why !== undefined) lib.C_DestroyObject(session, h);
      return { handle: h, problem: why };
    });
    if (problem !== undefined)
      throw new QuorumError('QUORUM_WRAPPING_KEY', `the token ignored the key template (${problem}); the key was destroyed`);
    return new TokenMasterKey(hsm, handle, label);
  }

  /** The key labelled `label`: exactly one, and a 32-byte HMAC-only secret that never left the token. */
  static find(hsm: Pkcs11Hsm, label: string): TokenMasterKey {
    check.string(label, 'label', { minLength: 1, maxLength: 64 });
    const { found, problem } = hsm.run('C_FindObjects', ({ lib, session }) => {
      const all = findByLabel(lib, session, label);
      return { found: all, problem: all.length === 1 ? problemOf(lib, session, all[0] as Pkcs11Handle) : undefined };
    });
    if (found.length !== 1)
      throw new QuorumError(
        'QUORUM_WRAPPING_KEY',
        `token '${hsm.tokenLabel}' holds ${found.length === 0 ? 'no' : 'more than one'} secret key labelled '${label}'`,
      );
    if (problem !== undefined) throw new QuorumError('QUORUM_WRAPPING_KEY', `token key '${label}' is not safe to use: ${problem}`);
    return new TokenMasterKey(hsm, found[0] as Pkcs11Handle, label);
  }

  /** HKDF-Expand(PRK = this key, info, 32) = HMAC-SHA-256(PRK, info ‖ 0x01), computed on the token. */
  expand32(info: Uint8Array): Uint8Array {
    check.bytes(info, 'info', { minLength: 1 });
    const message = Buffer.alloc(info.length + 1);
    message.set(info, 0);
    message[info.length] = 0x01;
    const out = Buffer.alloc(KEY_BYTES);
    try {
      const length = this.hsm.run('C_Sign', ({ lib, session }) => {
        lib.C_SignInit(session, { mechanism: CKM_SHA256_HMAC }, this.handle);
        return lib.C_Sign(session, message, out).length;
      });
      if (length !== KEY_BYTES) throw new QuorumError('QUORUM_WRAPPING_KEY', `${this.description} gave ${length} bytes, not 32`);
      return Uint8Array.from(out);
    } finally {
      out.fill(0);
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
