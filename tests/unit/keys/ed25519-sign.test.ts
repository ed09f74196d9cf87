/**
 * Ed25519 signing with the public key kept in the expanded key (crypto/keys/ed25519-sign.ts): RFC 8032
 * §7.1's vectors first, then the same signature as noble's `sign(message, seed)` for any seed and message
 * (fast-check), then the expanded key's layout and the refusals. SoftwareSigner's own vector test
 * (rfc8032.vectors.test.ts) drives the same code through the Signer contract.
 */
import { readFileSync } from 'node:fs';
import * as ed from '@noble/ed25519';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ED25519_EXPANDED_KEY_LENGTH, expandEd25519, signEd25519 } from '../../../crypto/keys/ed25519-sign.js';
import { hex, toHex } from './helpers.js';

const file = JSON.parse(readFileSync(new URL('../../vectors/keys/rfc8032-ed25519.json', import.meta.url), 'utf8')) as {
  vectors: { name: string; secretKey: string; publicKey: string; message: string; signature: string }[];
};

describe('Ed25519 sign with the public key computed once (RFC 8032 §5.1.6)', () => {
  for (const v of file.vectors) {
    it(`RFC 8032 §7.1 ${v.name}`, () => {
      const { publicKey, secretKey } = expandEd25519(hex(v.secretKey));
      expect(toHex(publicKey)).toBe(v.publicKey);
      expect(toHex(signEd25519(secretKey, hex(v.message)))).toBe(v.signature);
    });
  }

  it("gives noble's signature for any seed and message, and the signature verifies", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), (seed, message) => {
        const { publicKey, secretKey } = expandEd25519(seed);
        const signature = signEd25519(secretKey, message);
        expect(toHex(signature)).toBe(toHex(ed.sign(message, seed)));
        expect(ed.verify(signature, message, publicKey)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('expands to seed ‖ A, leaving the caller its seed', () => {
    const seed = hex(file.vectors[0]!.secretKey);
    const before = toHex(seed);
    const { publicKey, secretKey } = expandEd25519(seed);
    expect(secretKey.length).toBe(ED25519_EXPANDED_KEY_LENGTH);
    expect(toHex(secretKey.subarray(0, 32))).toBe(before);
    expect(toHex(secretKey.subarray(32))).toBe(toHex(publicKey));
    secretKey.fill(0);
    expect(toHex(seed)).toBe(before);
  });

  it('signs with the A it holds: a different A half gives a signature that the real key does not verify', () => {
    // The reason A is never a caller's: the signature depends on it (k = H(R ‖ A ‖ M)).
    const v = file.vectors[1]!;
    const { publicKey, secretKey } = expandEd25519(hex(v.secretKey));
    const tampered = secretKey.slice();
    tampered[40] = (tampered[40] as number) ^ 1;
    const bad = signEd25519(tampered, hex(v.message));
    expect(toHex(bad)).not.toBe(v.signature);
    expect(toHex(bad.subarray(0, 32))).toBe(v.signature.slice(0, 64)); // r depends on the seed alone
    expect(ed.verify(bad, hex(v.message), publicKey)).toBe(false);
  });

  it('refuses an expanded key or a seed of the wrong length', () => {
    expect(() => signEd25519(new Uint8Array(32), new Uint8Array(1))).toThrow(expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }));
    expect(() => expandEd25519(new Uint8Array(64))).toThrow(expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }));
  });
});
