/**
 * The software signature schemes and how each is wired to noble, so that every random byte comes from
 * our RandomSource and none from noble's own `randomBytes` (which reads `crypto.getRandomValues`):
 * - Ed25519, RFC 8032 §5.1: the 32-byte private key is the seed; signing is deterministic (§5.1.6).
 * - ML-DSA-65, FIPS 204 §6.1 ML-DSA.KeyGen_internal(ξ) with a 32-byte ξ; signing is the hedged
 *   variant of §5.2 / Algorithm 2 with the 32-byte `rnd` drawn from the RandomSource.
 * - SLH-DSA-SHA2-128s, FIPS 205 §10.1 slh_keygen_internal(SK.seed, SK.prf, PK.seed), 3n = 48 bytes;
 *   signing is the hedged variant of §10.2 with the n = 16-byte `opt_rand` drawn from the RandomSource.
 * Both FIPS signers use the pure (non-prehash) form with an empty context string.
 */
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import { slh_dsa_sha2_128s } from '@noble/post-quantum/slh-dsa.js';
import type { RandomSource } from '../drbg/random-source.js';
import { CryptoError } from '../errors.js';
import type { SignatureScheme } from './signer.js';

/** The schemes with a software implementation here; ECDSA P-256 exists only as an HSM-held key. */
export type SoftwareScheme = Extract<SignatureScheme, 'ed25519' | 'ml-dsa-65' | 'slh-dsa-sha2-128s'>;

export const SOFTWARE_SCHEMES: readonly SoftwareScheme[] = ['ed25519', 'ml-dsa-65', 'slh-dsa-sha2-128s'];

export interface SchemeImpl {
  readonly scheme: SoftwareScheme;
  /** Bytes of seed key generation consumes (the private material a keystore stores). */
  readonly seedLength: number;
  readonly publicKeyLength: number;
  readonly signatureLength: number;
  /** Bytes of signing randomness drawn per signature (0: deterministic signing). */
  readonly signRandLength: number;
  /** Expands a seed; the caller owns (and must zero) the returned secret key. */
  keygen(seed: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array };
  sign(secretKey: Uint8Array, message: Uint8Array, rnd: Uint8Array | undefined): Uint8Array;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

// The synchronous API needs a SHA-512 provider; set it once, keeping one another caller set first.
if (ed.hashes.sha512 === undefined) ed.hashes.sha512 = sha512;

const ed25519Impl: SchemeImpl = {
  scheme: 'ed25519',
  seedLength: 32,
  publicKeyLength: 32,
  signatureLength: 64,
  signRandLength: 0,
  // RFC 8032's private key is the seed itself; hand noble a copy so the caller's seed stays its own.
  keygen: (seed) => ({ publicKey: ed.getPublicKey(seed), secretKey: seed.slice() }),
  sign: (secretKey, message) => ed.sign(message, secretKey),
  verify: (publicKey, message, signature) => ed.verify(signature, message, publicKey),
};

const mlDsa65Impl: SchemeImpl = {
  scheme: 'ml-dsa-65',
  seedLength: ml_dsa65.lengths.seed ?? 32,
  publicKeyLength: ml_dsa65.lengths.publicKey ?? 1952,
  signatureLength: ml_dsa65.lengths.signature ?? 3309,
  signRandLength: ml_dsa65.lengths.signRand ?? 32,
  keygen: (seed) => ml_dsa65.keygen(seed),
  sign: (secretKey, message, rnd) => ml_dsa65.sign(message, secretKey, { extraEntropy: requireRnd(rnd) }),
  verify: (publicKey, message, signature) => ml_dsa65.verify(signature, message, publicKey),
};

const slhDsaImpl: SchemeImpl = {
  scheme: 'slh-dsa-sha2-128s',
  seedLength: slh_dsa_sha2_128s.lengths.seed ?? 48,
  publicKeyLength: slh_dsa_sha2_128s.lengths.publicKey ?? 32,
  signatureLength: slh_dsa_sha2_128s.lengths.signature ?? 7856,
  signRandLength: slh_dsa_sha2_128s.lengths.signRand ?? 16,
  keygen: (seed) => slh_dsa_sha2_128s.keygen(seed),
  sign: (secretKey, message, rnd) => slh_dsa_sha2_128s.sign(message, secretKey, { extraEntropy: requireRnd(rnd) }),
  verify: (publicKey, message, signature) => slh_dsa_sha2_128s.verify(signature, message, publicKey),
};

// noble treats a missing extraEntropy as "draw from crypto.getRandomValues": never let that happen.
function requireRnd(rnd: Uint8Array | undefined): Uint8Array {
  if (rnd === undefined) throw new CryptoError('CRYPTO_INVALID_ARGUMENT', 'hedged signing needs randomness from the RandomSource');
  return rnd;
}

const IMPLS: Readonly<Record<SoftwareScheme, SchemeImpl>> = {
  ed25519: ed25519Impl,
  'ml-dsa-65': mlDsa65Impl,
  'slh-dsa-sha2-128s': slhDsaImpl,
};

export function isSoftwareScheme(value: unknown): value is SoftwareScheme {
  return typeof value === 'string' && (SOFTWARE_SCHEMES as readonly string[]).includes(value);
}

export function schemeImpl(scheme: string): SchemeImpl {
  if (!isSoftwareScheme(scheme))
    throw new CryptoError(
      'KEY_UNSUPPORTED_SCHEME',
      `unsupported signature scheme ${scheme.length <= 32 ? `'${scheme}'` : `(${scheme.length} characters)`}`,
    );
  return IMPLS[scheme];
}

/** Signing randomness for one signature, or undefined for a deterministic scheme. */
export function drawSignRand(impl: SchemeImpl, rng: RandomSource): Uint8Array | undefined {
  if (impl.signRandLength === 0) return undefined;
  const rnd = rng.randomBytes(impl.signRandLength);
  if (!(rnd instanceof Uint8Array) || rnd.length !== impl.signRandLength) {
    throw new CryptoError('CRYPTO_INVALID_ARGUMENT', `the random source returned the wrong number of bytes for ${impl.scheme} signing`);
  }
  return rnd;
}
