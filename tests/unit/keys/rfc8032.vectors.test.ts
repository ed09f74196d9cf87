/**
 * RFC 8032 §7.1 Ed25519 test vectors (TEST 1, 2, 3, 1024, SHA(abc)) through our contract: the seed goes
 * in as a Secret, the signature comes out of SoftwareSigner.sign, and PublicKeyVerifier checks it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keyIdOf } from '../../../crypto/keys/key-id.js';
import { SoftwareSigner } from '../../../crypto/keys/software-signer.js';
import { PublicKeyVerifier } from '../../../crypto/keys/verifier.js';
import { Secret } from '../../../crypto/secret/secret.js';
import { hex, toHex } from './helpers.js';

interface Vector {
  name: string;
  secretKey: string;
  publicKey: string;
  message: string;
  signature: string;
}

const file = JSON.parse(readFileSync(new URL('../../vectors/keys/rfc8032-ed25519.json', import.meta.url), 'utf8')) as {
  vectors: Vector[];
};

describe('RFC 8032 §7.1 Ed25519 through SoftwareSigner / PublicKeyVerifier', () => {
  it('has the five vectors of §7.1', () => {
    expect(file.vectors.map((v) => v.name)).toEqual(['TEST 1', 'TEST 2', 'TEST 3', 'TEST 1024', 'TEST SHA(abc)']);
    expect(hex(file.vectors[3]!.message).length).toBe(1023);
  });

  for (const v of file.vectors) {
    it(v.name, async () => {
      const seed = Secret.from(hex(v.secretKey));
      using signer = SoftwareSigner.fromSeed('ed25519', seed, { expectedPublicKey: hex(v.publicKey) });
      expect(toHex(signer.publicKey)).toBe(v.publicKey);
      expect(signer.keyId).toBe(keyIdOf('ed25519', hex(v.publicKey)));
      const message = hex(v.message);
      const signature = await signer.sign(message);
      expect(toHex(signature)).toBe(v.signature);

      const verifier = new PublicKeyVerifier('ed25519', hex(v.publicKey));
      expect(verifier.verify(message, hex(v.signature))).toBe(true);
      const bad = hex(v.signature);
      bad[0] = (bad[0] ?? 0) ^ 1;
      expect(verifier.verify(message, bad)).toBe(false);
      const other = new Uint8Array(message.length + 1);
      other.set(message);
      expect(verifier.verify(other, hex(v.signature))).toBe(false);
      seed.dispose();
    });
  }
});
