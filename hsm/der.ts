/**
 * The few DER shapes PKCS#11 puts in EC attributes (X.690 §8.7 OCTET STRING, §8.19 OBJECT IDENTIFIER).
 *
 * CKA_EC_PARAMS is the DER of an OID (PKCS#11 Current Mechanisms v3.0 §2.3.3, §2.3.5; RFC 8410 §3 for
 * id-Ed25519 1.3.101.112); CKA_EC_POINT is a DER OCTET STRING around the point (v3.0 §2.3.3; for Edwards
 * keys the 32-byte RFC 8032 encoding), though some tokens return the point raw.
 */
import { copyBytes } from './bytes.js';
import { HsmError } from './errors.js';

/** DER OID 1.3.101.112 (id-Ed25519). */
export const ED25519_EC_PARAMS: Uint8Array = Uint8Array.of(0x06, 0x03, 0x2b, 0x65, 0x70);
/** DER OID 1.2.840.10045.3.1.7 (prime256v1 / secp256r1). */
export const P256_EC_PARAMS: Uint8Array = Uint8Array.of(0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07);

/**
 * The contents of a DER OCTET STRING that spans all of `der`, or undefined if `der` is not exactly one.
 * Only the definite forms DER allows: short length, or long length in minimal bytes.
 */
export function unwrapOctetString(der: Uint8Array): Uint8Array | undefined {
  if (der.length < 2 || der[0] !== 0x04) return undefined;
  const first = der[1] as number;
  let length: number;
  let offset: number;
  if (first < 0x80) {
    length = first;
    offset = 2;
  } else {
    const count = first & 0x7f;
    if (count === 0 || count > 2 || der.length < 2 + count) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = (length << 8) | (der[2 + i] as number);
    // DER: the long form only for lengths ≥ 128, with no leading zero byte.
    if (length < 0x80 || der[2] === 0) return undefined;
    offset = 2 + count;
  }
  if (offset + length !== der.length) return undefined;
  return copyBytes(der.subarray(offset));
}

/**
 * An EC point from CKA_EC_POINT: the DER OCTET STRING's contents, or the raw bytes if the token returned
 * them unwrapped. `rawLength` is the point's encoded size (32 for Ed25519, 65 for uncompressed P-256);
 * the lengths differ by the DER header, so the two forms cannot be confused.
 */
export function ecPointFromAttribute(value: Uint8Array, rawLength: number): Uint8Array {
  if (value.length === rawLength) return copyBytes(value);
  const inner = unwrapOctetString(value);
  if (inner?.length === rawLength) return inner;
  throw new HsmError(
    'HSM_KEY_INVALID',
    `CKA_EC_POINT is ${value.length} bytes: neither a ${rawLength}-byte point nor a DER OCTET STRING around one`,
  );
}
