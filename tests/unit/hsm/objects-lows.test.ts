import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { isProjectObjectId, newObjectId, objectIdFromHex } from '../../../hsm/object-id.js';
import { normalizeLowS } from '../../../hsm/signing-key.js';

describe('project object ids (CKA_ID = "hrng" ‖ 12 random bytes)', () => {
  it('builds and recognises them', () => {
    const id = newObjectId(new Uint8Array(12).fill(0xab));
    expect(Buffer.from(id).toString('hex')).toBe('68726e67' + 'ab'.repeat(12));
    expect(isProjectObjectId(id)).toBe(true);
    expect(isProjectObjectId(id.subarray(0, 15))).toBe(false);
    expect(isProjectObjectId(new Uint8Array(16))).toBe(false);
    expect(() => newObjectId(new Uint8Array(11))).toThrow();
    expect(objectIdFromHex('68726e67' + 'ab'.repeat(12))).toEqual(id);
    expect(() => objectIdFromHex('68726e67')).toThrow(expect.objectContaining({ code: 'HSM_INVALID_ARGUMENT' }));
  });
});

describe('ECDSA low-S normalization', () => {
  const n = p256.Point.CURVE().n;
  const toBytes = (r: bigint, s: bigint): Uint8Array =>
    Uint8Array.from(Buffer.from(r.toString(16).padStart(64, '0') + s.toString(16).padStart(64, '0'), 'hex'));

  it('maps a high-S signature to (r, n − s), which noble accepts with its default lowS', () => {
    const secret = new Uint8Array(32).fill(3);
    const message = new TextEncoder().encode('vote');
    const low = p256.sign(message, secret, { lowS: true });
    const sig = p256.Signature.fromBytes(low);
    const high = toBytes(sig.r, n - sig.s);
    const pub = p256.getPublicKey(secret);
    expect(p256.verify(high, message, pub)).toBe(false);
    expect(p256.verify(high, message, pub, { lowS: false })).toBe(true);
    const normalized = normalizeLowS(high);
    expect(Buffer.from(normalized).equals(Buffer.from(low))).toBe(true);
    expect(p256.verify(normalized, message, pub)).toBe(true);
    expect(Buffer.from(normalizeLowS(low)).equals(Buffer.from(low))).toBe(true);
  });

  it('refuses malformed signatures', () => {
    expect(() => normalizeLowS(new Uint8Array(63))).toThrow(expect.objectContaining({ code: 'HSM_OPERATION_FAILED' }));
    expect(() => normalizeLowS(toBytes(1n, 0n))).toThrow();
    expect(() => normalizeLowS(toBytes(1n, n))).toThrow();
    // s = n/2 is already low; s = n/2 + 1 is high.
    expect(normalizeLowS(toBytes(1n, n >> 1n)).subarray(32)).toEqual(toBytes(1n, n >> 1n).subarray(32));
    expect(normalizeLowS(toBytes(1n, (n >> 1n) + 1n)).subarray(32)).toEqual(toBytes(1n, n - ((n >> 1n) + 1n)).subarray(32));
  });
});
