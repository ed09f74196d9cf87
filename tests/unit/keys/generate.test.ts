/**
 * Key generation and software signing for Ed25519 (RFC 8032), ML-DSA-65 (FIPS 204) and SLH-DSA-SHA2-128s
 * (FIPS 205): every seed and every hedging value comes from our RandomSource, keygen is a deterministic
 * function of the seed, and our hedged signatures are exactly noble's for the same randomness.
 * @noble/post-quantum 0.7.1 ships no KAT files in its npm package, so the post-quantum schemes are
 * checked here by seed determinism, pinned digests and cross-checks (NIST ACVP keyGen KATs: pq-kat.test.ts).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import { slh_dsa_sha2_128s } from '@noble/post-quantum/slh-dsa.js';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../crypto/clock.js';
import { generateKey, publicKeyFromSeed } from '../../../crypto/keys/generate.js';
import { keyIdOf } from '../../../crypto/keys/key-id.js';
import { SOFTWARE_SCHEMES, schemeImpl } from '../../../crypto/keys/schemes.js';
import { SoftwareSigner } from '../../../crypto/keys/software-signer.js';
import { PublicKeyVerifier } from '../../../crypto/keys/verifier.js';
import { Secret } from '../../../crypto/secret/secret.js';
import { SecretDisposedError } from '../../../crypto/errors.js';
import { constantRandom, nodeRandom, streamRandom, toHex, withoutGetRandomValues } from './helpers.js';

const fixedClock: Clock = { monotonicMs: () => 0, wallMs: () => 1_700_000_000_123 };
const msg = new TextEncoder().encode('vote h=1 r=0 prevote');

// SLH-DSA-SHA2-128s signing is seconds of pure-JS hashing; on two cores kept busy (a clean-clone run
// with CPU burners) one such test took over the project's 60 s default. A budget, not a speed claim.
const SLH_BUDGET_MS = 300_000;

describe('generateKey', () => {
  it.each(SOFTWARE_SCHEMES)('%s: draws exactly the seed from the RandomSource and records the key', (scheme) => {
    const rng = streamRandom(7);
    const key = generateKey(scheme, { rng, clock: fixedClock });
    const impl = schemeImpl(scheme);
    expect(rng.drawn).toBe(impl.seedLength);
    expect(key.scheme).toBe(scheme);
    expect(key.publicKey.length).toBe(impl.publicKeyLength);
    expect(key.keyId).toBe(keyIdOf(scheme, key.publicKey));
    expect(key.createdAt).toBe(1_700_000_000_123);
    expect(key.seed.length).toBe(impl.seedLength);
    expect(key.seed.use((s) => toHex(s))).toBe(toHex(streamRandom(7).randomBytes(impl.seedLength)));
    expect(String(key.seed)).toBe(`Secret(${impl.seedLength} bytes, redacted)`);
  });

  it.each(SOFTWARE_SCHEMES)('%s: the same seed gives the same key, a different seed a different key', (scheme) => {
    const a = generateKey(scheme, { rng: streamRandom(1) });
    const b = generateKey(scheme, { rng: streamRandom(1) });
    const c = generateKey(scheme, { rng: streamRandom(2) });
    expect(toHex(a.publicKey)).toBe(toHex(b.publicKey));
    expect(toHex(a.publicKey)).not.toBe(toHex(c.publicKey));
  });

  it('pins the public keys of the seeds 00 01 02 … (regression against a changed wiring)', () => {
    const seq = (n: number): Uint8Array => new Uint8Array(n).map((_, i) => i);
    const digest = (s: (typeof SOFTWARE_SCHEMES)[number]): string =>
      toHex(sha256(publicKeyFromSeed(s, Secret.from(seq(schemeImpl(s).seedLength)))));
    // SHA-256 of the public keys, computed once with bare noble (ed.getPublicKey, ml_dsa65.keygen,
    // slh_dsa_sha2_128s.keygen) from the same seeds and pinned here.
    expect(digest('ed25519')).toBe('56475aa75463474c0285df5dbf2bcab73da651358839e9b77481b2eab107708c');
    expect(digest('ml-dsa-65')).toBe('d666806e11cee19a7c989f7445f90dd419cf4d2d51db8c0fdb4c0f0a542238c9');
    expect(digest('slh-dsa-sha2-128s')).toBe('9d5b69aa74c4939468bae5108568a4d0926f2532c96b0742eda0a7eff4c99c3e');
    // FIPS 205 §9.1: PK = PK.seed ‖ PK.root, and PK.seed is the third n-byte part of the keygen seed.
    const slhPk = publicKeyFromSeed('slh-dsa-sha2-128s', Secret.from(seq(48)));
    expect(toHex(slhPk.subarray(0, 16))).toBe(toHex(seq(48).subarray(32, 48)));
  });

  it(
    'never calls crypto.getRandomValues while generating and signing (all schemes)',
    async () => {
      await withoutGetRandomValues(async () => {
        for (const scheme of SOFTWARE_SCHEMES) {
          const key = generateKey(scheme, { rng: nodeRandom });
          using signer = SoftwareSigner.fromRecord(key, { rng: nodeRandom });
          const sig = await signer.sign(msg);
          expect(signer.verify(msg, sig)).toBe(true);
        }
      });
    },
    SLH_BUDGET_MS,
  );

  it('the trap itself fires when noble is left to draw its own randomness', async () => {
    await expect(withoutGetRandomValues(() => ml_dsa65.keygen())).rejects.toThrow(/getRandomValues/);
  });
});

describe('SoftwareSigner', () => {
  it('ML-DSA-65: our hedged signature equals noble sign with the same rnd, and verifies both ways', async () => {
    const key = generateKey('ml-dsa-65', { rng: streamRandom(3) });
    using signer = SoftwareSigner.fromRecord(key, { rng: constantRandom(0xab) });
    const ours = await signer.sign(msg);
    const { secretKey, publicKey } = key.seed.use((s) => ml_dsa65.keygen(s));
    const bare = ml_dsa65.sign(msg, secretKey, { extraEntropy: new Uint8Array(32).fill(0xab) });
    expect(toHex(ours)).toBe(toHex(bare));
    expect(ml_dsa65.verify(ours, msg, publicKey)).toBe(true);
    expect(new PublicKeyVerifier('ml-dsa-65', key.publicKey).verify(msg, bare)).toBe(true);
    // Hedging: fresh randomness gives a different, equally valid signature.
    using hedged = SoftwareSigner.fromRecord(key, { rng: nodeRandom });
    const again = await hedged.sign(msg);
    expect(toHex(again)).not.toBe(toHex(ours));
    expect(hedged.verify(msg, again)).toBe(true);
  });

  it(
    'SLH-DSA-SHA2-128s: our hedged signature equals noble sign with the same opt_rand (one slow sample)',
    async () => {
      const key = generateKey('slh-dsa-sha2-128s', { rng: streamRandom(4) });
      using signer = SoftwareSigner.fromRecord(key, { rng: constantRandom(0x5a) });
      const ours = await signer.sign(msg);
      expect(ours.length).toBe(7856);
      const { secretKey, publicKey } = key.seed.use((s) => slh_dsa_sha2_128s.keygen(s));
      expect(slh_dsa_sha2_128s.verify(ours, msg, publicKey)).toBe(true);
      const bare = slh_dsa_sha2_128s.sign(msg, secretKey, { extraEntropy: new Uint8Array(16).fill(0x5a) });
      expect(toHex(sha256(ours))).toBe(toHex(sha256(bare)));
    },
    SLH_BUDGET_MS,
  );

  it('draws signRand bytes per signature from the RandomSource (0 for Ed25519)', async () => {
    const rng = streamRandom(9);
    using ed = SoftwareSigner.fromRecord(generateKey('ed25519', { rng: nodeRandom }), { rng });
    await ed.sign(msg);
    expect(rng.drawn).toBe(0);
    using ml = SoftwareSigner.fromRecord(generateKey('ml-dsa-65', { rng: nodeRandom }), { rng });
    await ml.sign(msg);
    await ml.sign(msg);
    expect(rng.drawn).toBe(64);
  });

  it('refuses hedged schemes without a RandomSource, and a seed that does not match the public key', () => {
    const key = generateKey('ml-dsa-65', { rng: nodeRandom });
    expect(() => SoftwareSigner.fromRecord(key)).toThrow(expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }));
    const other = generateKey('ed25519', { rng: streamRandom(5) });
    const wrong = { ...generateKey('ed25519', { rng: streamRandom(6) }), seed: other.seed };
    expect(() => SoftwareSigner.fromRecord(wrong)).toThrow(expect.objectContaining({ code: 'KEY_MISMATCH' }));
    expect(() => SoftwareSigner.fromSeed('ed25519', Secret.from(new Uint8Array(31)))).toThrow(
      expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }),
    );
    expect(() => generateKey('ecdsa-p256' as 'ed25519', { rng: nodeRandom })).toThrow(
      expect.objectContaining({ code: 'KEY_UNSUPPORTED_SCHEME' }),
    );
  });

  it('disposal zeroes the key: signing afterwards throws SecretDisposedError; the record seed stays live', async () => {
    const key = generateKey('ed25519', { rng: nodeRandom });
    const signer = SoftwareSigner.fromRecord(key);
    signer.dispose();
    expect(signer.disposed).toBe(true);
    await expect(signer.sign(msg)).rejects.toBeInstanceOf(SecretDisposedError);
    expect(key.seed.disposed).toBe(false);
    expect(JSON.stringify(signer)).toBe(JSON.stringify({ scheme: 'ed25519', keyId: key.keyId }));
  });

  it('verify: false for wrong-length or altered signatures, throws for non-bytes', async () => {
    const key = generateKey('ed25519', { rng: nodeRandom });
    using signer = SoftwareSigner.fromRecord(key);
    const sig = await signer.sign(msg);
    expect(signer.verify(msg, sig.subarray(0, 63))).toBe(false);
    expect(signer.verify(msg, new Uint8Array(64))).toBe(false);
    expect(() => signer.verify('x' as unknown as Uint8Array, sig)).toThrow(expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }));
    expect(() => new PublicKeyVerifier('ed25519', new Uint8Array(31))).toThrow(
      expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }),
    );
  });
});
