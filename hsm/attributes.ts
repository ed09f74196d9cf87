/**
 * Reading object attributes (PKCS#11 v3.0 §5.7 C_GetAttributeValue) into owned bytes, and decoding the
 * CK_BBOOL, CK_ULONG and UTF-8 values this package reads.
 */
import { copyAndZero } from './bytes.js';
import { CKA_ID, CKA_LABEL } from './constants.js';
import { HsmError } from './errors.js';
import type { Pkcs11Handle, Pkcs11Lib } from './library.js';

export type AttributeValues = Map<number, Uint8Array>;

/** Attribute values as fresh Uint8Arrays (never the library's Buffers), keyed by CKA number. */
export function readAttributes(lib: Pkcs11Lib, session: Pkcs11Handle, object: Pkcs11Handle, types: readonly number[]): AttributeValues {
  const result = lib.C_GetAttributeValue(
    session,
    object,
    types.map((type) => ({ type })),
  );
  return new Map(result.map((a) => [a.type, copyAndZero(a.value)]));
}

export function attr(values: AttributeValues, type: number): Uint8Array {
  const v = values.get(type);
  if (v === undefined) throw new HsmError('HSM_KEY_INVALID', `token did not return attribute 0x${type.toString(16)}`);
  return v;
}

/** CK_BBOOL: one byte, nonzero is true (PKCS#11 v3.0 §3.1). */
export function bool(values: AttributeValues, type: number): boolean {
  return (attr(values, type)[0] ?? 0) !== 0;
}

/** CK_ULONG in host (little-endian here) order; the values we read (classes, key types) fit 32 bits. */
export function ulong(values: AttributeValues, type: number): number {
  const v = attr(values, type);
  let n = 0;
  for (let i = Math.min(v.length, 4) - 1; i >= 0; i--) n = n * 256 + (v[i] as number);
  return n;
}

export function labelOf(values: AttributeValues): string {
  return new TextDecoder().decode(values.get(CKA_LABEL) ?? new Uint8Array());
}

export function idOf(values: AttributeValues): Uint8Array {
  return values.get(CKA_ID) ?? new Uint8Array();
}
