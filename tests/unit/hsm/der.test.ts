import { describe, expect, it } from 'vitest';
import { ED25519_EC_PARAMS, P256_EC_PARAMS, ecPointFromAttribute, unwrapOctetString } from '../../../hsm/der.js';
import { HsmError } from '../../../hsm/errors.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const point = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'); // RFC 8032 §7.1 test 1

describe('DER shapes of EC attributes', () => {
  it('encodes the curve OIDs as X.690 DER', () => {
    expect(Buffer.from(ED25519_EC_PARAMS).toString('hex')).toBe('06032b6570');
    expect(Buffer.from(P256_EC_PARAMS).toString('hex')).toBe('06082a8648ce3d030107');
  });

  it('strips a short-form OCTET STRING around an Ed25519 point (04 20 ‖ 32 bytes)', () => {
    const der = new Uint8Array([0x04, 0x20, ...point]);
    expect(ecPointFromAttribute(der, 32)).toEqual(point);
    expect(unwrapOctetString(der)).toEqual(point);
  });

  it('accepts the raw 32 bytes a token may return unwrapped, copying them', () => {
    const raw = point.slice();
    const out = ecPointFromAttribute(raw, 32);
    expect(out).toEqual(point);
    out[0] = 0;
    expect(raw[0]).toBe(point[0]);
  });

  it('accepts the minimal long form (04 81 len) and rejects non-minimal or inconsistent lengths', () => {
    const body = new Uint8Array(130).fill(7);
    expect(unwrapOctetString(new Uint8Array([0x04, 0x81, 130, ...body]))).toEqual(body);
    // 0x81 0x20: long form for a length < 128 is not DER.
    expect(unwrapOctetString(new Uint8Array([0x04, 0x81, 0x20, ...point]))).toBeUndefined();
    // Length byte says 33, content is 32.
    expect(unwrapOctetString(new Uint8Array([0x04, 0x21, ...point]))).toBeUndefined();
    // Trailing garbage after the string.
    expect(unwrapOctetString(new Uint8Array([0x04, 0x20, ...point, 0]))).toBeUndefined();
    // Not an OCTET STRING tag.
    expect(unwrapOctetString(new Uint8Array([0x03, 0x20, ...point]))).toBeUndefined();
    expect(unwrapOctetString(new Uint8Array([0x04]))).toBeUndefined();
  });

  it('handles an uncompressed P-256 point (04 41 04 ‖ X ‖ Y) and refuses a wrong-sized one', () => {
    const p = new Uint8Array(65).fill(1);
    p[0] = 4;
    expect(ecPointFromAttribute(new Uint8Array([0x04, 0x41, ...p]), 65)).toEqual(p);
    expect(() => ecPointFromAttribute(new Uint8Array([0x04, 0x20, ...point]), 65)).toThrow(HsmError);
    expect(() => ecPointFromAttribute(new Uint8Array(33), 32)).toThrow(expect.objectContaining({ code: 'HSM_KEY_INVALID' }));
  });
});
