/**
 * Finding objects and reading their attributes (PKCS#11 v3.0 §5.7: C_FindObjectsInit / C_FindObjects /
 * C_FindObjectsFinal, C_GetAttributeValue, C_DestroyObject), and the id scheme that marks this
 * project's objects on a token other software may share.
 *
 * CKA_ID of every object created here is the 4 bytes "hrng" followed by 12 bytes from the token's RNG.
 * Listing and deletion touch only objects with that prefix, so an operator's other keys on the same HSM
 * are never listed as ours nor deleted by us.
 */
import {
  CKA_ALWAYS_SENSITIVE,
  CKA_EXTRACTABLE,
  CKA_ID,
  CKA_LABEL,
  CKA_NEVER_EXTRACTABLE,
  CKA_PRIVATE,
  CKA_SENSITIVE,
} from './constants.js';
import { HsmError } from './errors.js';
import type { Pkcs11Handle, Pkcs11Lib, Pkcs11Template } from './library.js';
import type { Pkcs11Hsm } from './pkcs11-hsm.js';

export const OBJECT_ID_PREFIX: Uint8Array = Uint8Array.of(0x68, 0x72, 0x6e, 0x67); // "hrng"
export const OBJECT_ID_BYTES = 16;

export function isProjectObjectId(id: Uint8Array): boolean {
  if (id.length !== OBJECT_ID_BYTES) return false;
  for (let i = 0; i < OBJECT_ID_PREFIX.length; i++) if (id[i] !== OBJECT_ID_PREFIX[i]) return false;
  return true;
}

export function newObjectId(random: Uint8Array): Uint8Array {
  if (random.length !== OBJECT_ID_BYTES - OBJECT_ID_PREFIX.length) {
    throw new HsmError('HSM_BAD_ARGUMENT', `object id needs ${OBJECT_ID_BYTES - OBJECT_ID_PREFIX.length} random bytes`);
  }
  const id = new Uint8Array(OBJECT_ID_BYTES);
  id.set(OBJECT_ID_PREFIX);
  id.set(random, OBJECT_ID_PREFIX.length);
  return id;
}

export function objectIdFromHex(hex: string): Uint8Array {
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new HsmError('HSM_BAD_ARGUMENT', `object id must be ${OBJECT_ID_BYTES * 2} hex digits`);
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/**
 * A copy as a plain Uint8Array, with the library's Buffer zeroed: values read back from a token (random
 * bytes, an unwrapped secret) should not linger in memory pkcs11js allocated.
 */
export function copyAndZero(buffer: Buffer): Uint8Array {
  const copy = new Uint8Array(buffer);
  buffer.fill(0);
  return copy;
}

/** A Buffer view for pkcs11js, which takes Buffers only; the bytes are not copied. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** All objects matching `template`. The search is always finalized, even when C_FindObjects fails. */
export function findObjects(lib: Pkcs11Lib, session: Pkcs11Handle, template: Pkcs11Template): Pkcs11Handle[] {
  lib.C_FindObjectsInit(session, template);
  const found: Pkcs11Handle[] = [];
  try {
    for (;;) {
      const batch = lib.C_FindObjects(session, 64);
      if (batch.length === 0) break;
      found.push(...batch);
    }
  } finally {
    lib.C_FindObjectsFinal(session);
  }
  return found;
}

/** Attribute values as fresh Uint8Arrays (never the library's Buffers), keyed by CKA number. */
export function readAttributes(lib: Pkcs11Lib, session: Pkcs11Handle, object: Pkcs11Handle, types: readonly number[]): Map<number, Uint8Array> {
  const result = lib.C_GetAttributeValue(session, object, types.map((type) => ({ type })));
  return new Map(result.map((a) => [a.type, copyAndZero(a.value)]));
}

export function attr(values: Map<number, Uint8Array>, type: number): Uint8Array {
  const v = values.get(type);
  if (v === undefined) throw new HsmError('HSM_KEY_INVALID', `token did not return attribute 0x${type.toString(16)}`);
  return v;
}

/** CK_BBOOL: one byte, nonzero is true (PKCS#11 v3.0 §3.1). */
export function bool(values: Map<number, Uint8Array>, type: number): boolean {
  return (attr(values, type)[0] ?? 0) !== 0;
}

/** CK_ULONG in host (little-endian here) order; the values we read (classes, key types) fit 32 bits. */
export function ulong(values: Map<number, Uint8Array>, type: number): number {
  const v = attr(values, type);
  let n = 0;
  for (let i = Math.min(v.length, 4) - 1; i >= 0; i--) n = n * 256 + (v[i] as number);
  return n;
}

export function labelOf(values: Map<number, Uint8Array>): string {
  return new TextDecoder().decode(values.get(CKA_LABEL) ?? new Uint8Array());
}

export function idOf(values: Map<number, Uint8Array>): Uint8Array {
  return values.get(CKA_ID) ?? new Uint8Array();
}

/** Whether any object on the token (ours or not) carries this label: labels we create stay unique. */
export function listObjectsWithLabel(hsm: Pkcs11Hsm, label: string): boolean {
  return hsm.run('C_FindObjects', ({ lib, session }) => findObjects(lib, session, [{ type: CKA_LABEL, value: label }]).length > 0);
}

/** Refuses a label any object on the token already has (HSM_KEY_EXISTS). */
export function ensureLabelFree(hsm: Pkcs11Hsm, label: string): void {
  if (listObjectsWithLabel(hsm, label)) {
    throw new HsmError('HSM_KEY_EXISTS', `token '${hsm.tokenLabel}' already has an object labelled '${label}'`);
  }
}

/** How callers name a key: its CKA_LABEL, or its CKA_ID in hex. */
export type KeySelector = { readonly label: string } | { readonly id: string };

export function selectorTemplate(selector: KeySelector): Pkcs11Template {
  return 'label' in selector
    ? [{ type: CKA_LABEL, value: selector.label }]
    : [{ type: CKA_ID, value: asBuffer(objectIdFromHex(selector.id)) }];
}

export function describeSelector(selector: KeySelector): string {
  return 'label' in selector ? `label '${selector.label}'` : `id ${selector.id}`;
}

/**
 * The one object matching `template`: HSM_KEY_NOT_FOUND when there is none, HSM_KEY_AMBIGUOUS when
 * there are several (never a guess between them). `what` names it for the message ("private key with …").
 */
export function findExactlyOne(lib: Pkcs11Lib, session: Pkcs11Handle, template: Pkcs11Template, tokenLabel: string, what: string): Pkcs11Handle {
  const found = findObjects(lib, session, template);
  const [only, extra] = found;
  if (only === undefined) throw new HsmError('HSM_KEY_NOT_FOUND', `token '${tokenLabel}' has no ${what}`);
  if (extra !== undefined) throw new HsmError('HSM_KEY_AMBIGUOUS', `token '${tokenLabel}' has ${found.length} matches for ${what}; need exactly one`);
  return only;
}

/**
 * Every usage flag in `flags`, set explicitly: true for those in `granted`, false for the rest. Tokens
 * fill unstated flags with permissive defaults (SoftHSM gives public keys encrypt and wrap), so a
 * template never leaves one out.
 */
export function usageAttributes(flags: readonly number[], granted: readonly number[]): { type: number; value: boolean }[] {
  return flags.map((type) => ({ type, value: granted.includes(type) }));
}

/** What every secret or private key we create states: behind the login, sensitive, never extractable. */
export function protectedKeyAttributes(): { type: number; value: boolean }[] {
  return [
    { type: CKA_PRIVATE, value: true },
    { type: CKA_SENSITIVE, value: true },
    { type: CKA_EXTRACTABLE, value: false },
  ];
}

/** The attributes `sensitivityProblem` reads. */
export const SENSITIVITY_ATTRIBUTES: readonly number[] = [CKA_SENSITIVE, CKA_EXTRACTABLE, CKA_ALWAYS_SENSITIVE, CKA_NEVER_EXTRACTABLE];

/**
 * Why a key read back from the token cannot be trusted to stay in it, or undefined: it must be sensitive
 * and non-extractable, and — when `sinceCreation` (keys generated on the token) — always have been so.
 */
export function sensitivityProblem(values: Map<number, Uint8Array>, sinceCreation: boolean): string | undefined {
  if (!bool(values, CKA_SENSITIVE)) return 'CKA_SENSITIVE is false';
  if (bool(values, CKA_EXTRACTABLE)) return 'CKA_EXTRACTABLE is true';
  if (sinceCreation && !bool(values, CKA_ALWAYS_SENSITIVE)) return 'CKA_ALWAYS_SENSITIVE is false';
  if (sinceCreation && !bool(values, CKA_NEVER_EXTRACTABLE)) return 'CKA_NEVER_EXTRACTABLE is false';
  return undefined;
}

/**
 * Destroys objects this process just created and will not hand out (their checks failed). Returns
 * whether all are gone, so that the error can say so truthfully: a key left behind because destruction
 * failed must be named to the operator, not reported as destroyed.
 */
export function destroyCreated(hsm: Pkcs11Hsm, handles: readonly Pkcs11Handle[]): boolean {
  let all = true;
  for (const handle of handles) {
    try {
      hsm.run('C_DestroyObject', ({ lib, session }) => lib.C_DestroyObject(session, handle));
    } catch {
      all = false;
    }
  }
  return all;
}

/**
 * The error for a key generated on the token that failed its checks: the key is destroyed, and the
 * message says whether that worked (if not, with the CKA_ID to delete by hand). `err` stays the cause.
 */
export function discardGenerated(hsm: Pkcs11Hsm, handles: readonly Pkcs11Handle[], id: Uint8Array, err: unknown): HsmError {
  const destroyed = destroyCreated(hsm, handles);
  const reason = err instanceof Error ? err.message : 'check failed';
  const fate = destroyed
    ? 'the key was destroyed'
    : `destroying the key FAILED: delete the objects with CKA_ID ${toHex(id)} by hand before trusting this token`;
  const message = `token '${hsm.tokenLabel}': ${reason}; ${fate}`;
  return err instanceof HsmError ? HsmError.from(err, err.code, message) : new HsmError('HSM_OPERATION_FAILED', message, { cause: err });
}
