/**
 * A token-held HMAC-SHA-256 key: a 32-byte CKK_GENERIC_SECRET key made on the token
 * (CKM_GENERIC_SECRET_KEY_GEN), sensitive, never extractable, usable only to sign with CKM_SHA256_HMAC
 * (PKCS#11 Current Mechanisms v3.0 §2.21 / v2.40 §2.7.2; HMAC per RFC 2104 / FIPS 198-1). The key never
 * leaves the token; each HMAC is one C_Sign there.
 *
 * Generation follows key-policy.ts like the AES and signing keys: every usage flag explicit, not
 * modifiable, not copyable (and on request not destroyable), read back after generation, refusals
 * reported. Opening requires exactly one matching secret key that is 32 bytes, always sensitive, never
 * extractable and sign-only: a key imported with a known value (C_CreateObject) is never "always
 * sensitive", so it is refused. What it does not do: HMAC verification on the token, other hash
 * functions or truncated outputs (CKM_SHA256_HMAC_GENERAL), keys of other lengths.
 */
import { idOf, labelOf, readAttributes, ulong, bool } from './attributes.js';
import { asBuffer, copyAndZero, toHex } from './bytes.js';
import {
  CKA_CLASS,
  CKA_DECRYPT,
  CKA_DERIVE,
  CKA_ENCRYPT,
  CKA_ID,
  CKA_KEY_TYPE,
  CKA_LABEL,
  CKA_SIGN,
  CKA_UNWRAP,
  CKA_VALUE_LEN,
  CKA_VERIFY,
  CKA_WRAP,
  CKK_GENERIC_SECRET,
  CKM_GENERIC_SECRET_KEY_GEN,
  CKM_SHA256_HMAC,
  CKO_SECRET_KEY,
} from './constants.js';
import { generateSecretKey, secretKeyTemplate } from './generate-secret.js';
import { HsmError, check } from './errors.js';
import { describeSelector, findExactlyOne, selectorTemplate, type KeySelector } from './find.js';
import { SENSITIVITY_ATTRIBUTES, protectionAttributes, sensitivityProblem, type ProtectionReport } from './key-policy.js';
import { checkObjectLabel } from './label.js';
import type { Pkcs11Handle, Pkcs11Lib } from './library.js';
import type { Pkcs11Hsm } from './pkcs11-hsm.js';

const KEY_BYTES = 32;
const MAC_BYTES = 32;
const HMAC_USAGE = [CKA_ENCRYPT, CKA_DECRYPT, CKA_WRAP, CKA_UNWRAP, CKA_SIGN, CKA_VERIFY, CKA_DERIVE];
/** Usages a key must not have besides signing (CKA_VERIFY is not checked: verifying reveals nothing more). */
const FORBIDDEN_USAGE = [CKA_ENCRYPT, CKA_DECRYPT, CKA_WRAP, CKA_UNWRAP, CKA_DERIVE];

export interface GenerateHmacKeyOptions {
  readonly label: string;
  /** Also CKA_DESTROYABLE = false: the key can then never be deleted through PKCS#11 (see key-policy.ts). */
  readonly indestructible?: boolean;
}

/**
 * Why `key` is not a 32-byte, always-sensitive, never-extractable, sign-only generic secret, or undefined.
 * Always checked as if generated on the token (`sinceCreation`): an imported value was once known.
 */
function hmacPolicyProblem(lib: Pkcs11Lib, session: Pkcs11Handle, key: Pkcs11Handle): string | undefined {
  const v = readAttributes(lib, session, key, [CKA_KEY_TYPE, CKA_VALUE_LEN, ...SENSITIVITY_ATTRIBUTES, CKA_SIGN, ...FORBIDDEN_USAGE]);
  if (ulong(v, CKA_KEY_TYPE) !== CKK_GENERIC_SECRET) return 'not a generic secret key';
  if (ulong(v, CKA_VALUE_LEN) !== KEY_BYTES) return `not ${KEY_BYTES} bytes`;
  const sensitivity = sensitivityProblem(v, { sinceCreation: true });
  if (sensitivity !== undefined) return sensitivity;
  if (!bool(v, CKA_SIGN)) return 'cannot sign (HMAC)';
  if (FORBIDDEN_USAGE.some((t) => bool(v, t))) return 'has a usage besides HMAC';
  return undefined;
}

function needMechanisms(hsm: Pkcs11Hsm, mechanisms: readonly (readonly [number, string])[]): void {
  for (const [m, name] of mechanisms)
    if (!hsm.supports(m)) throw new HsmError('HSM_MECHANISM_UNSUPPORTED', `token '${hsm.tokenLabel}' lacks ${name}`);
}

export class HsmHmacKey {
  readonly label: string;
  /** CKA_ID, hex. */
  readonly objectId: string;
  private readonly hsm: Pkcs11Hsm;
  private readonly handle: Pkcs11Handle;

  private constructor(o: { hsm: Pkcs11Hsm; handle: Pkcs11Handle; label: string; objectId: Uint8Array }) {
    this.hsm = o.hsm;
    this.handle = o.handle;
    this.label = o.label;
    this.objectId = toHex(o.objectId);
  }

  /**
   * Generates a new HMAC key on the token (HSM_KEY_EXISTS when any object has the label). The key is
   * read back and destroyed if the token ignored the template (HSM_KEY_INVALID); `protections` says which
   * protection attributes the token enforces and which it refused.
   */
  static generate(hsm: Pkcs11Hsm, options: GenerateHmacKeyOptions): { key: HsmHmacKey; protections: ProtectionReport } {
    checkObjectLabel(options.label);
    needMechanisms(hsm, [
      [CKM_GENERIC_SECRET_KEY_GEN, 'CKM_GENERIC_SECRET_KEY_GEN'],
      [CKM_SHA256_HMAC, 'CKM_SHA256_HMAC'],
    ]);
    const made = generateSecretKey(hsm, {
      label: options.label,
      ...(options.indestructible === undefined ? {} : { indestructible: options.indestructible }),
      mechanism: CKM_GENERIC_SECRET_KEY_GEN,
      what: 'HMAC key',
      template: (label, id, applied) => [
        ...secretKeyTemplate({ keyType: CKK_GENERIC_SECRET, label, id, usage: HMAC_USAGE, granted: [CKA_SIGN] }),
        ...protectionAttributes(applied),
        { type: CKA_VALUE_LEN, value: KEY_BYTES },
      ],
      problem: hmacPolicyProblem,
    });
    return { key: new HsmHmacKey({ hsm, handle: made.handle, label: made.label, objectId: made.id }), protections: made.protections };
  }

  /**
   * The secret key with this label or id: exactly one (HSM_KEY_NOT_FOUND, HSM_KEY_AMBIGUOUS), and a
   * 32-byte HMAC-only key that is always sensitive and never extractable (HSM_KEY_INVALID otherwise).
   */
  static open(hsm: Pkcs11Hsm, selector: KeySelector): HsmHmacKey {
    const what = describeSelector(selector);
    needMechanisms(hsm, [[CKM_SHA256_HMAC, 'CKM_SHA256_HMAC']]);
    return hsm.run('C_FindObjects', ({ lib, session }) => {
      const template = [{ type: CKA_CLASS, value: CKO_SECRET_KEY }, ...selectorTemplate(selector)];
      const handle = findExactlyOne(lib, session, { template, tokenLabel: hsm.tokenLabel, what: `secret key with ${what}` });
      const problem = hmacPolicyProblem(lib, session, handle);
      if (problem !== undefined)
        throw new HsmError('HSM_KEY_INVALID', `secret key with ${what} is not safe to use as an HMAC key: ${problem}`);
      const v = readAttributes(lib, session, handle, [CKA_LABEL, CKA_ID]);
      return new HsmHmacKey({ hsm, handle, label: labelOf(v), objectId: idOf(v) });
    });
  }

  /** HMAC-SHA-256(key, message), 32 bytes, computed on the token. */
  hmacSha256(message: Uint8Array): Uint8Array {
    return tokenHmacSha256(this.hsm, this.handle, message);
  }

  toString(): string {
    return `HsmHmacKey(${this.label})`;
  }
  toJSON(): string {
    return this.toString();
  }
}

/**
 * One CKM_SHA256_HMAC C_Sign with the key `handle`; the library's output buffer is zeroed. Not exported
 * from index.ts: HsmHmacKey is the way to a checked key (the tests also call it on an imported key).
 */
export function tokenHmacSha256(hsm: Pkcs11Hsm, handle: Pkcs11Handle, message: Uint8Array): Uint8Array {
  // Empty input is refused here: SoftHSM answers CKR_ARGUMENTS_BAD and wedges the session (docs/hsm.md).
  check.bytes(message, 'message', { minLength: 1 });
  const out = Buffer.alloc(MAC_BYTES);
  try {
    const mac = hsm.run('C_Sign', ({ lib, session }) => {
      lib.C_SignInit(session, { mechanism: CKM_SHA256_HMAC }, handle);
      return copyAndZero(lib.C_Sign(session, asBuffer(message), out));
    });
    if (mac.length !== MAC_BYTES) {
      mac.fill(0);
      throw new HsmError('HSM_OPERATION_FAILED', `C_Sign (CKM_SHA256_HMAC) returned ${mac.length} bytes, not ${MAC_BYTES}`, {
        call: 'C_Sign',
      });
    }
    return mac;
  } finally {
    out.fill(0);
  }
}
