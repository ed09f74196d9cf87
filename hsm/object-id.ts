/**
 * The CKA_ID scheme that marks this project's objects on a token other software may share: the 4 bytes
 * "hrng" followed by 12 bytes from the token's RNG. Listing and deletion touch only objects with that
 * prefix, so an operator's other keys on the same HSM are never listed as ours nor deleted by us.
 */
import { check } from './errors.js';

export const OBJECT_ID_PREFIX: Uint8Array = Uint8Array.of(0x68, 0x72, 0x6e, 0x67); // "hrng"
export const OBJECT_ID_BYTES = 16;

export function isProjectObjectId(id: Uint8Array): boolean {
  if (id.length !== OBJECT_ID_BYTES) return false;
  for (let i = 0; i < OBJECT_ID_PREFIX.length; i++) if (id[i] !== OBJECT_ID_PREFIX[i]) return false;
  return true;
}

export function newObjectId(random: Uint8Array): Uint8Array {
  check.bytes(random, 'object id random part', { length: OBJECT_ID_BYTES - OBJECT_ID_PREFIX.length });
  const id = new Uint8Array(OBJECT_ID_BYTES);
  id.set(OBJECT_ID_PREFIX);
  id.set(random, OBJECT_ID_PREFIX.length);
  return id;
}

export function objectIdFromHex(hex: string): Uint8Array {
  return check.hex(hex, 'object id', { bytes: OBJECT_ID_BYTES });
}
