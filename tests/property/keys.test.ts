/**
 * Properties of validator keys (RFC 8032, FIPS 204, FIPS 205 through our contract) and of the keystore
 * (EIP-2335-like): round trips over schemes, seeds and arbitrary passphrase bytes; any other passphrase
 * is refused as WRONG_PASSPHRASE; any single flipped bit of the encrypted part is refused. KDF parameters
 * are cheap here (scrypt N = 2^4, argon2id m = 8 KiB); SLH-DSA runs few cases (keygen is ~0.4 s).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateKey } from '../../crypto/keys/generate.js';
import { keyIdOf } from '../../crypto/keys/key-id.js';
import type { KdfParams } from '../../crypto/keys/keystore-kdf.js';
import * as keystore from '../../crypto/keys/keystore.js';
import { schemeImpl, type SoftwareScheme } from '../../crypto/keys/schemes.js';
import { SoftwareSigner } from '../../crypto/keys/software-signer.js';
import { PublicKeyVerifier } from '../../crypto/keys/verifier.js';
import type { RandomSource } from '../../crypto/drbg/random-source.js';
import { rejectionCode as code } from '../helpers/thrown.js';

/** Replays fast-check's bytes as randomness, so each case is reproducible from its seed. */
function replay(bytes: Uint8Array): RandomSource {
  let off = 0;
  return {
    randomBytes(n: number): Uint8Array {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = bytes[(off + i) % bytes.length] ?? 0;
      off += n;
      return out;
    },
  };
}

// Cheap KDF parameters need the explicit test-only option; the floors stay as they are for users.
type Opts<F extends (...a: never[]) => unknown> = Parameters<F>[2];
const encryptKeystore = (k: Parameters<typeof keystore.encryptKeystore>[0], p: Uint8Array, o: Opts<typeof keystore.encryptKeystore>) =>
  keystore.encryptKeystore(k, p, { ...o, insecureTestKdf: true });
const decryptKeystore = (i: string | Uint8Array, p: Uint8Array) => keystore.decryptKeystore(i, p, { insecureTestKdf: true });

const KDFS: KdfParams[] = [
  { function: 'scrypt', n: 16, r: 8, p: 1 },
  { function: 'argon2id', m: 8, t: 1, p: 1 },
];

describe('key properties', () => {
  it('Ed25519: signatures verify for any message, fail for any other message or key', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        async (seed, m, other) => {
          const key = generateKey('ed25519', { rng: replay(seed) });
          using signer = SoftwareSigner.fromRecord(key);
          const sig = await signer.sign(m);
          const v = new PublicKeyVerifier('ed25519', key.publicKey);
          expect(v.verify(m, sig)).toBe(true);
          expect(v.keyId).toBe(keyIdOf('ed25519', key.publicKey));
          const m2 = Uint8Array.from([...m, ...other]);
          expect(v.verify(m2, sig)).toBe(false);
          const otherKey = generateKey('ed25519', { rng: replay(Uint8Array.from(seed, (b) => b ^ 0xff)) });
          expect(new PublicKeyVerifier('ed25519', otherKey.publicKey).verify(m, sig)).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('ML-DSA-65: hedged signatures verify and flipping any bit of them breaks verification', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        fc.uint8Array({ maxLength: 100 }),
        fc.nat(),
        async (entropy, m, bit) => {
          const rng = replay(entropy);
          using signer = SoftwareSigner.fromRecord(generateKey('ml-dsa-65', { rng }), { rng });
          const sig = await signer.sign(m);
          expect(signer.verify(m, sig)).toBe(true);
          const bad = sig.slice();
          const i = bit % (bad.length * 8);
          bad[i >> 3] = (bad[i >> 3] ?? 0) ^ (1 << (i & 7));
          expect(signer.verify(m, bad)).toBe(false);
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('keystore properties', () => {
  const scheme = fc.constantFrom<SoftwareScheme>('ed25519', 'ml-dsa-65');
  // No NUL bytes: keystores refuse them (scrypt's HMAC zero-pads the passphrase, so "pw" and "pw\0" would alias).
  const passphrase = fc.uint8Array({ min: 1, maxLength: 64 });

  it('round trip over schemes, KDFs and arbitrary passphrase bytes; any other passphrase is refused', async () => {
    await fc.assert(
      fc.asyncProperty(
        scheme,
        fc.constantFrom(...KDFS),
        passphrase,
        passphrase,
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        async (s, kdf, pw, other, entropy) => {
          fc.pre(Buffer.compare(Buffer.from(pw), Buffer.from(other)) !== 0);
          const key = generateKey(s, { rng: replay(entropy) });
          const json = await encryptKeystore(key, pw, { rng: replay(entropy), kdf });
          const text = JSON.stringify(json);
          const back = await decryptKeystore(text, pw);
          expect(back.seed.equals(key.seed)).toBe(true);
          expect(back.keyId).toBe(key.keyId);
          expect(await code(decryptKeystore(text, other))).toBe('KEYSTORE_WRONG_PASSPHRASE');
          // The alias a NUL would create ("pw" vs "pw\0") is refused outright, on both sides.
          const aliased = Uint8Array.from([...pw, 0]);
          expect(await code(decryptKeystore(text, aliased))).toBe('KEYSTORE_INVALID_PASSPHRASE');
          expect(await code(encryptKeystore(key, aliased, { rng: replay(entropy), kdf }))).toBe('KEYSTORE_INVALID_PASSPHRASE');
        },
      ),
      { numRuns: 40 },
    );
  });

  it('SLH-DSA keystores round-trip too (few cases: keygen is slow)', async () => {
    await fc.assert(
      fc.asyncProperty(passphrase, fc.uint8Array({ minLength: 48, maxLength: 48 }), async (pw, entropy) => {
        const key = generateKey('slh-dsa-sha2-128s', { rng: replay(entropy) });
        const back = await decryptKeystore(JSON.stringify(await encryptKeystore(key, pw, { rng: replay(entropy), kdf: KDFS[0]! })), pw);
        expect(back.seed.equals(key.seed)).toBe(true);
        expect(back.seed.length).toBe(schemeImpl('slh-dsa-sha2-128s').seedLength);
      }),
      { numRuns: 3 },
    );
  });

  it('any flipped bit in the ciphertext, tag, iv or passphrase check is refused as TAMPERED, never decrypted', async () => {
    const key = generateKey('ed25519', { rng: replay(Uint8Array.of(1, 2, 3)) });
    const pw = new TextEncoder().encode('pw');
    const json = await encryptKeystore(key, pw, { rng: replay(Uint8Array.of(4, 5, 6)), kdf: KDFS[0]! });
    type Field = 'message' | 'iv' | 'checksum';
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<Field>('message', 'iv', 'checksum'), fc.nat(), async (field, bit) => {
        const j = structuredClone(json);
        const get = (): string =>
          field === 'message' ? j.crypto.cipher.message : field === 'iv' ? j.crypto.cipher.params.iv : j.crypto.passphraseCheck.message;
        const bytes = Buffer.from(get(), 'hex');
        const i = bit % (bytes.length * 8);
        bytes[i >> 3] = (bytes[i >> 3] ?? 0) ^ (1 << (i & 7));
        const hex = bytes.toString('hex');
        if (field === 'message') j.crypto.cipher.message = hex;
        else if (field === 'iv') j.crypto.cipher.params.iv = hex;
        else j.crypto.passphraseCheck.message = hex;
        expect(await code(decryptKeystore(JSON.stringify(j), pw))).toBe('KEYSTORE_TAMPERED');
      }),
      { numRuns: 60 },
    );
  });
});
