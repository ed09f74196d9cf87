/**
 * Generating one secret key on the token (PKCS#11 v3.0 §5.14 C_GenerateKey) under the key policy of
 * key-policy.ts: the label free, a project CKA_ID, the protection attributes tried as the token allows,
 * the key's attributes read back, and the key destroyed (and the error saying so) when they do not hold.
 * The AES and HMAC keys differ only in template, mechanism and read-back check.
 */
import { asBuffer } from './bytes.js';
import { CKA_CLASS, CKA_ID, CKA_KEY_TYPE, CKA_LABEL, CKA_TOKEN, CKO_SECRET_KEY } from './constants.js';
import { discardGenerated } from './discard.js';
import { HsmError } from './errors.js';
import { ensureLabelFree } from './find.js';
import {
  generateWithProtections,
  protectedKeyAttributes,
  readProtections,
  requestedProtections,
  usageAttributes,
  type Protection,
  type ProtectionReport,
} from './key-policy.js';
import { checkObjectLabel } from './label.js';
import type { Pkcs11Handle, Pkcs11Lib, Pkcs11Template } from './library.js';
import { newObjectId } from './object-id.js';
import type { Pkcs11Hsm } from './pkcs11-hsm.js';

/**
 * The template of a token secret key of `keyType`: private, sensitive, never extractable, every flag of
 * `usage` stated (true only for those in `granted`). Callers add the length, protections or value.
 */
export function secretKeyTemplate(o: {
  readonly keyType: number;
  readonly label: string;
  readonly id: Uint8Array;
  readonly usage: readonly number[];
  readonly granted: readonly number[];
}): Pkcs11Template {
  return [
    { type: CKA_CLASS, value: CKO_SECRET_KEY },
    { type: CKA_KEY_TYPE, value: o.keyType },
    { type: CKA_TOKEN, value: true },
    { type: CKA_LABEL, value: o.label },
    { type: CKA_ID, value: asBuffer(o.id) },
    ...protectedKeyAttributes(),
    ...usageAttributes(o.usage, o.granted),
  ];
}

export interface GenerateSecretKeyOptions {
  readonly label: string;
  readonly indestructible?: boolean;
  readonly mechanism: number;
  /** Names the key kind for the message ("AES key"). */
  readonly what: string;
  /** The whole template for this label, CKA_ID and the protections applied in this attempt. */
  template(label: string, id: Uint8Array, applied: readonly Protection[]): Pkcs11Template;
  /** Why the generated key does not meet its policy, or undefined. */
  problem(lib: Pkcs11Lib, session: Pkcs11Handle, key: Pkcs11Handle): string | undefined;
}

export interface GeneratedSecretKey {
  readonly handle: Pkcs11Handle;
  readonly label: string;
  readonly id: Uint8Array;
  readonly protections: ProtectionReport;
}

export function generateSecretKey(hsm: Pkcs11Hsm, o: GenerateSecretKeyOptions): GeneratedSecretKey {
  const label = checkObjectLabel(o.label);
  ensureLabelFree(hsm, label);
  const id = newObjectId(hsm.generateRandom(12));
  const requested = requestedProtections(o.indestructible === true ? { indestructible: true } : {});
  const { result: handle, applied } = generateWithProtections(requested, (applied) => {
    const template = o.template(label, id, applied);
    return hsm.run('C_GenerateKey', ({ lib, session }) => lib.C_GenerateKey(session, { mechanism: o.mechanism }, template));
  });
  try {
    const problem = hsm.run('C_GetAttributeValue', ({ lib, session }) => o.problem(lib, session, handle));
    if (problem !== undefined) throw new HsmError('HSM_KEY_INVALID', `the token ignored the ${o.what} template (${problem})`);
    const protections = hsm.run('C_GetAttributeValue', ({ lib, session }) => readProtections(lib, session, handle, { requested, applied }));
    return { handle, label, id, protections };
  } catch (err) {
    throw discardGenerated(hsm, [handle], id, err);
  }
}
