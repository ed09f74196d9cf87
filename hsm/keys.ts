/**
 * Generating, finding, listing and deleting token-held signing keys (PKCS#11 v3.0 §5.14
 * C_GenerateKeyPair; Current Mechanisms v3.0 §2.3.5 CKM_EC_EDWARDS_KEY_PAIR_GEN, §2.3.4 CKM_EC_KEY_PAIR_GEN;
 * RFC 8410 §3 for the Ed25519 OID).
 *
 * Every usage attribute is set explicitly, to the value we want, because tokens fill gaps with permissive
 * defaults (SoftHSM gives public keys encrypt and wrap). After generation the private key's attributes
 * are read back and checked; a token that ignored the template gets its key destroyed and an error, not
 * a key we would later trust to be non-extractable.
 */
import { p256 } from '@noble/curves/nist.js';
import { keyIdOf } from '../crypto/index.js';
import {
  CKA_CLASS,
  CKA_DECRYPT,
  CKA_DERIVE,
  CKA_EC_PARAMS,
  CKA_EC_POINT,
  CKA_ENCRYPT,
  CKA_ID,
  CKA_KEY_TYPE,
  CKA_LABEL,
  CKA_PRIVATE,
  CKA_SIGN,
  CKA_SIGN_RECOVER,
  CKA_TOKEN,
  CKA_UNWRAP,
  CKA_VERIFY,
  CKA_VERIFY_RECOVER,
  CKA_WRAP,
  CKK_AES,
  CKK_EC,
  CKK_EC_EDWARDS,
  CKK_GENERIC_SECRET,
  CKM_EC_EDWARDS_KEY_PAIR_GEN,
  CKM_EC_KEY_PAIR_GEN,
  CKM_ECDSA,
  CKM_ECDSA_SHA256,
  CKM_EDDSA,
  CKO_PRIVATE_KEY,
  CKO_PUBLIC_KEY,
  CKO_SECRET_KEY,
} from './constants.js';
import { attr, bool, idOf, labelOf, readAttributes, ulong } from './attributes.js';
import { asBuffer, bytesEqual, toHex } from './bytes.js';
import { ED25519_EC_PARAMS, P256_EC_PARAMS, ecPointFromAttribute } from './der.js';
import { discardGenerated } from './discard.js';
import { HsmError } from './errors.js';
import { describeSelector, ensureLabelFree, findExactlyOne, findObjects, selectorTemplate, type KeySelector } from './find.js';
import {
  SENSITIVITY_ATTRIBUTES,
  generateWithProtections,
  protectedKeyAttributes,
  protectionAttributes,
  readProtections,
  requestedProtections,
  sensitivityProblem,
  usageAttributes,
  type Protection,
  type ProtectionReport,
} from './key-policy.js';
import { checkObjectLabel } from './label.js';
import type { Pkcs11Handle, Pkcs11Lib, Pkcs11Template } from './library.js';
import { isProjectObjectId, newObjectId } from './object-id.js';
import type { Pkcs11Hsm } from './pkcs11-hsm.js';
import { HsmSigningKey, type HsmSignatureScheme } from './signing-key.js';

export type { KeySelector } from './find.js';

export interface SchemeChoice {
  readonly scheme: HsmSignatureScheme;
  /** True when Ed25519 was wanted but the token lacks it, so ECDSA P-256 was chosen instead. */
  readonly fallback: boolean;
}

export function tokenSupportsEd25519(hsm: Pkcs11Hsm): boolean {
  return hsm.supports(CKM_EC_EDWARDS_KEY_PAIR_GEN) && hsm.supports(CKM_EDDSA);
}

export function tokenSupportsP256(hsm: Pkcs11Hsm): boolean {
  return hsm.supports(CKM_EC_KEY_PAIR_GEN) && (hsm.supports(CKM_ECDSA) || hsm.supports(CKM_ECDSA_SHA256));
}

/** Ed25519 where the token has it (validators' consensus keys are Ed25519), else ECDSA P-256. */
export function chooseScheme(hsm: Pkcs11Hsm, wanted: HsmSignatureScheme | 'auto'): SchemeChoice {
  if (wanted === 'ed25519' || wanted === 'auto') {
    if (tokenSupportsEd25519(hsm)) return { scheme: 'ed25519', fallback: false };
    if (wanted === 'ed25519') {
      throw new HsmError(
        'HSM_MECHANISM_UNSUPPORTED',
        `token '${hsm.tokenLabel}' lacks CKM_EC_EDWARDS_KEY_PAIR_GEN / CKM_EDDSA (no Ed25519)`,
      );
    }
  }
  if (tokenSupportsP256(hsm)) return { scheme: 'ecdsa-p256', fallback: wanted === 'auto' };
  throw new HsmError(
    'HSM_MECHANISM_UNSUPPORTED',
    `token '${hsm.tokenLabel}' supports neither Ed25519 nor ECDSA P-256 key generation and signing`,
  );
}

const T = true;
const F = false;

/**
 * tpm2-pkcs11 derives both objects' usage attributes from the TPM key's TPMA_OBJECT bits (sign and
 * decrypt) and rejects a template that states a public-key flag differently from its derivation
 * (CKR_GENERAL_ERROR, "User specified and TPM specified attr mismatch"; seen with 1.9.0). For it the
 * public template carries no usage flags; the private template stays fully explicit (decrypt off), and
 * the private key is checked after generation as on every token.
 */
export function derivesPublicUsageFlags(hsm: Pkcs11Hsm): boolean {
  return hsm.libraryManufacturer === 'tpm2-software.github.io';
}

/** The usage flags each template states, every one of them (see `usageAttributes`). */
const PUBLIC_USAGE = [CKA_VERIFY, CKA_VERIFY_RECOVER, CKA_ENCRYPT, CKA_WRAP, CKA_DERIVE];
const PRIVATE_USAGE = [CKA_SIGN, CKA_SIGN_RECOVER, CKA_DECRYPT, CKA_UNWRAP, CKA_DERIVE];

interface TemplateOptions {
  readonly scheme: HsmSignatureScheme;
  readonly label: string;
  readonly id: Uint8Array;
  /** False for tpm2-pkcs11 (see `derivesPublicUsageFlags`). */
  readonly explicitPublicUsage: boolean;
  /** Protection attributes (each false) on both halves. */
  readonly protections: readonly Protection[];
}

function templates(o: TemplateOptions): { pub: Pkcs11Template; priv: Pkcs11Template } {
  const { scheme, label, id, explicitPublicUsage } = o;
  const keyType = scheme === 'ed25519' ? CKK_EC_EDWARDS : CKK_EC;
  const params = scheme === 'ed25519' ? ED25519_EC_PARAMS : P256_EC_PARAMS;
  const common = [
    { type: CKA_KEY_TYPE, value: keyType },
    { type: CKA_TOKEN, value: T },
    { type: CKA_LABEL, value: label },
    { type: CKA_ID, value: asBuffer(id) },
  ];
  return {
    pub: [
      { type: CKA_CLASS, value: CKO_PUBLIC_KEY },
      ...common,
      { type: CKA_PRIVATE, value: F },
      { type: CKA_EC_PARAMS, value: asBuffer(params) },
      ...(explicitPublicUsage ? usageAttributes(PUBLIC_USAGE, [CKA_VERIFY]) : []),
      ...protectionAttributes(o.protections),
    ],
    priv: [
      { type: CKA_CLASS, value: CKO_PRIVATE_KEY },
      ...common,
      ...protectedKeyAttributes(),
      ...usageAttributes(PRIVATE_USAGE, [CKA_SIGN]),
      ...protectionAttributes(o.protections),
    ],
  };
}

/** What the private key must look like after generation, read back from the token. */
function checkPrivateKeyPolicy(lib: Pkcs11Lib, session: Pkcs11Handle, key: Pkcs11Handle): string | undefined {
  const v = readAttributes(lib, session, key, [...SENSITIVITY_ATTRIBUTES, CKA_SIGN, CKA_DECRYPT, CKA_UNWRAP, CKA_DERIVE]);
  const problem = sensitivityProblem(v, { sinceCreation: true });
  if (problem !== undefined) return problem;
  if (!bool(v, CKA_SIGN)) return 'CKA_SIGN is false';
  for (const [type, name] of [
    [CKA_DECRYPT, 'CKA_DECRYPT'],
    [CKA_UNWRAP, 'CKA_UNWRAP'],
    [CKA_DERIVE, 'CKA_DERIVE'],
  ] as const) {
    if (bool(v, type)) return `${name} is true`;
  }
  return undefined;
}

function publicKeyBytes(scheme: HsmSignatureScheme, ecPoint: Uint8Array): Uint8Array {
  if (scheme === 'ed25519') return ecPointFromAttribute(ecPoint, 32);
  const uncompressed = ecPointFromAttribute(ecPoint, 65);
  try {
    return p256.Point.fromBytes(uncompressed).toBytes(true);
  } catch {
    throw new HsmError('HSM_KEY_INVALID', 'CKA_EC_POINT is not a point on P-256');
  }
}

function schemeOf(keyType: number, params: Uint8Array): HsmSignatureScheme | undefined {
  if (keyType === CKK_EC_EDWARDS && bytesEqual(params, ED25519_EC_PARAMS)) return 'ed25519';
  if (keyType === CKK_EC && bytesEqual(params, P256_EC_PARAMS)) return 'ecdsa-p256';
  return undefined;
}

export interface GenerateSigningKeyOptions {
  readonly label: string;
  /** Default 'auto': Ed25519 if the token has it, else ECDSA P-256 (reported as a fallback). */
  readonly scheme?: HsmSignatureScheme | 'auto';
  /** Also CKA_DESTROYABLE = false: the key can then never be deleted through PKCS#11 (see key-policy.ts). */
  readonly indestructible?: boolean;
}

export interface GeneratedSigningKey {
  readonly key: HsmSigningKey;
  /** True when Ed25519 was wanted ('auto') but the token lacks it, so ECDSA P-256 was chosen. */
  readonly fallback: boolean;
  /** What the token enforces on the private key (and, applied alike, on the public one). */
  readonly protections: ProtectionReport;
}

/**
 * Generates a key pair on the token: the private key sensitive, never extractable, sign-only, and both
 * halves not modifiable and not copyable. Every attribute is read back; a token that ignored one gets
 * the key destroyed; one that refused a protection attribute is reported in `protections`. A label any
 * object on the token already has is refused.
 */
export function generateSigningKey(hsm: Pkcs11Hsm, options: GenerateSigningKeyOptions): GeneratedSigningKey {
  const label = checkObjectLabel(options.label);
  const { scheme, fallback } = chooseScheme(hsm, options.scheme ?? 'auto');
  ensureLabelFree(hsm, label);
  const id = newObjectId(hsm.generateRandom(12));
  const mechanism = scheme === 'ed25519' ? CKM_EC_EDWARDS_KEY_PAIR_GEN : CKM_EC_KEY_PAIR_GEN;
  const requested = requestedProtections(options.indestructible === true ? { indestructible: true } : {});
  const { result: pair, applied } = generateWithProtections(requested, (protections) => {
    const { pub, priv } = templates({ scheme, label, id, explicitPublicUsage: !derivesPublicUsageFlags(hsm), protections });
    return hsm.run('C_GenerateKeyPair', ({ lib, session }) => lib.C_GenerateKeyPair(session, { mechanism }, pub, priv));
  });
  try {
    const problem = hsm.run('C_GetAttributeValue', ({ lib, session }) => checkPrivateKeyPolicy(lib, session, pair.privateKey));
    if (problem !== undefined) throw new HsmError('HSM_KEY_INVALID', `the token ignored the key template (${problem})`);
    const protections = hsm.run('C_GetAttributeValue', ({ lib, session }) => {
      readProtections(lib, session, pair.publicKey, { requested, applied });
      return readProtections(lib, session, pair.privateKey, { requested, applied });
    });
    const point = hsm.run('C_GetAttributeValue', ({ lib, session }) => readAttributes(lib, session, pair.publicKey, [CKA_EC_POINT]));
    const publicKey = publicKeyBytes(scheme, point.get(CKA_EC_POINT) ?? new Uint8Array());
    const key = new HsmSigningKey({ hsm, scheme, publicKey, label, objectId: id, privateKey: pair.privateKey });
    return { key, fallback, protections };
  } catch (err) {
    // A key we will not hand out must not stay on the token; the original error is the cause.
    throw discardGenerated(hsm, [pair.privateKey, pair.publicKey], id, err);
  }
}

/** The signing key with this label or id: exactly one private key and its public half, or an error. */
export function findSigningKey(hsm: Pkcs11Hsm, selector: KeySelector): HsmSigningKey {
  const what = describeSelector(selector);
  return hsm.run('C_FindObjects', ({ lib, session }) => {
    const priv = findExactlyOne(lib, session, {
      template: [{ type: CKA_CLASS, value: CKO_PRIVATE_KEY }, ...selectorTemplate(selector)],
      tokenLabel: hsm.tokenLabel,
      what: `private key with ${what}`,
    });
    const pv = readAttributes(lib, session, priv, [CKA_KEY_TYPE, CKA_LABEL, CKA_ID]);
    const id = idOf(pv);
    const pubs = findObjects(lib, session, [
      { type: CKA_CLASS, value: CKO_PUBLIC_KEY },
      { type: CKA_ID, value: asBuffer(id) },
    ]);
    const [pub, extraPub] = pubs;
    if (pub === undefined || extraPub !== undefined) {
      throw new HsmError(
        'HSM_KEY_NOT_FOUND',
        `token '${hsm.tokenLabel}': private key with ${what} has ${pubs.length} public keys with its CKA_ID (need exactly 1)`,
      );
    }
    // Tokens keep the curve on the public object; not every one copies it to the private one.
    const pubv = readAttributes(lib, session, pub, [CKA_KEY_TYPE, CKA_EC_PARAMS, CKA_EC_POINT]);
    const keyType = ulong(pv, CKA_KEY_TYPE);
    const scheme = ulong(pubv, CKA_KEY_TYPE) === keyType ? schemeOf(keyType, attr(pubv, CKA_EC_PARAMS)) : undefined;
    if (scheme === undefined) throw new HsmError('HSM_KEY_INVALID', `key with ${what} is neither Ed25519 nor ECDSA P-256`);
    const problem = checkPrivateKeyPolicy(lib, session, priv);
    if (problem !== undefined) throw new HsmError('HSM_KEY_INVALID', `key with ${what} is not safe to use: ${problem}`);
    const point = attr(pubv, CKA_EC_POINT);
    return new HsmSigningKey({ hsm, scheme, publicKey: publicKeyBytes(scheme, point), label: labelOf(pv), objectId: id, privateKey: priv });
  });
}

export type HsmObjectKind = 'private-key' | 'public-key' | 'secret-key';

export interface HsmObjectInfo {
  readonly kind: HsmObjectKind;
  readonly label: string;
  /** CKA_ID, hex. */
  readonly id: string;
  /** 'ed25519', 'ecdsa-p256', 'aes', 'generic-secret' or 'other'. */
  readonly keyType: string;
  /**
   * For both halves of an Ed25519 or ECDSA P-256 key pair: the public key in hex (Ed25519 raw, P-256
   * compressed SEC1, as HsmSigningKey.publicKey) and its key id (keyIdOf). Absent for other objects.
   */
  readonly publicKey?: string;
  readonly keyId?: string;
}

function keyTypeName(keyType: number, params: Uint8Array | undefined): string {
  if (keyType === CKK_AES) return 'aes';
  if (keyType === CKK_GENERIC_SECRET) return 'generic-secret';
  return (params && schemeOf(keyType, params)) ?? 'other';
}

/** The public key and key id of an Ed25519 / P-256 public object, or undefined (other types, bad point). */
function publicKeyOf(keyType: string, point: Uint8Array | undefined): { publicKey: string; keyId: string } | undefined {
  if ((keyType !== 'ed25519' && keyType !== 'ecdsa-p256') || point === undefined) return undefined;
  try {
    const publicKey = publicKeyBytes(keyType, point);
    return { publicKey: toHex(publicKey), keyId: keyIdOf(keyType, publicKey) };
  } catch {
    return undefined;
  }
}

/** This project's key objects on the token (CKA_ID with the "hrng" prefix), sorted by label. */
export function listObjects(hsm: Pkcs11Hsm): HsmObjectInfo[] {
  return hsm.run('C_FindObjects', ({ lib, session }) => {
    const out: HsmObjectInfo[] = [];
    // Public keys first: they carry the curve (CKA_EC_PARAMS), which the private half may not repeat.
    const curveById = new Map<string, string>();
    const publicById = new Map<string, { publicKey: string; keyId: string }>();
    const classes = [
      [CKO_PUBLIC_KEY, 'public-key'],
      [CKO_PRIVATE_KEY, 'private-key'],
      [CKO_SECRET_KEY, 'secret-key'],
    ] as const;
    for (const [cls, kind] of classes) {
      for (const handle of findObjects(lib, session, [
        { type: CKA_CLASS, value: cls },
        { type: CKA_TOKEN, value: T },
      ])) {
        const v = readAttributes(lib, session, handle, [CKA_LABEL, CKA_ID, CKA_KEY_TYPE]);
        const id = idOf(v);
        if (!isProjectObjectId(id)) continue;
        const keyType = ulong(v, CKA_KEY_TYPE);
        const idHex = toHex(id);
        let name: string;
        if (kind === 'public-key') {
          const ec = readAttributes(lib, session, handle, [CKA_EC_PARAMS, CKA_EC_POINT]);
          name = keyTypeName(keyType, ec.get(CKA_EC_PARAMS));
          curveById.set(idHex, name);
          const pub = publicKeyOf(name, ec.get(CKA_EC_POINT));
          if (pub !== undefined) publicById.set(idHex, pub);
        } else {
          name = kind === 'private-key' ? (curveById.get(idHex) ?? keyTypeName(keyType, undefined)) : keyTypeName(keyType, undefined);
        }
        const pub = kind === 'secret-key' ? undefined : publicById.get(idHex);
        out.push({ kind, label: labelOf(v), id: idHex, keyType: name, ...(pub ?? {}) });
      }
    }
    return out.sort((a, b) => a.label.localeCompare(b.label) || a.kind.localeCompare(b.kind));
  });
}

/** Destroys this project's objects with the label or id; returns how many. Others' objects are never touched. */
export function deleteObjects(hsm: Pkcs11Hsm, selector: KeySelector): number {
  return hsm.run('C_DestroyObject', ({ lib, session }) => {
    const handles = findObjects(lib, session, [{ type: CKA_TOKEN, value: T }, ...selectorTemplate(selector)]);
    let n = 0;
    for (const handle of handles) {
      if (!isProjectObjectId(idOf(readAttributes(lib, session, handle, [CKA_ID])))) continue;
      lib.C_DestroyObject(session, handle);
      n++;
    }
    return n;
  });
}
