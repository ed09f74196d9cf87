/**
 * The software signature schemes and how each is wired to noble, so that every random byte comes from
 * our RandomSource and none from noble's own `randomBytes` (which reads `crypto.getRandomValues`):
 * - Ed25519, RFC 8032 §5.1: the 32-byte private key is the seed; signing is deterministic (§5.1.6).
 * - ML-DSA-65, FIPS 204 §6.1 ML-DSA.KeyGen_internal(ξ) with a 32-byte ξ; signing is the hedged
 *   variant of §5.2 / Algorithm 2 with the 32-byte `rnd` drawn from the RandomSource.
 * - SLH-DSA-SHA2-128s, FIPS 205 §10.1 slh_keygen_internal(SK.seed, SK.prf, PK.seed), 3n = 48 bytes;
 *   signing is the hedged variant of §10.2 with the n = 16-byte `opt_rand` drawn from the RandomSource.
 * Both FIPS signers use the pure (non-prehash) form with an empty context string.
 *
 * The post-quantum code is loaded on first use, not at import (issue 10 §4): `import { Rng }` from the
 * package root must not pay ~40 ms of module loading for schemes most processes never touch. Node ≥ 20.19
 * loads an ES module synchronously through `require`, so the schemes' API stays synchronous. Their sizes
 * are the FIPS parameter sets' constants, written here so that asking for a length loads nothing;
 * tests/unit/keys/schemes-lazy.test.ts checks them against noble's and that the import loads no PQ code.
 */
import { createRequire } from 'node:module';
import * as ed from '@noble/ed25519';
import type * as MlDsaModule from '@noble/post-quantum/ml-dsa.js';
import type * as SlhDsaModule from '@noble/post-quantum/slh-dsa.js';
import type { RandomSource } from '../drbg/random-source.js';
import { CryptoError } from '../errors.js';
import { expandEd25519, signEd25519 } from './ed25519-sign.js';
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

// noble's synchronous verify needs a SHA-512 provider: ed25519-sign.ts sets it on import.

const ed25519Impl: SchemeImpl = {
  scheme: 'ed25519',
  seedLength: 32,
  publicKeyLength: 32,
  signatureLength: 64,
  signRandLength: 0,
  // RFC 8032's private key is the seed; the expanded key is seed ‖ A, so a signature does not
  // recompute A (ed25519-sign.ts). The caller's seed stays its own.
  keygen: (seed) => expandEd25519(seed),
  sign: (secretKey, message) => signEd25519(secretKey, message),
  verify: (publicKey, message, signature) => ed.verify(signature, message, publicKey),
};

const load = createRequire(import.meta.url);
let mlDsaModule: typeof MlDsaModule | undefined;
let slhDsaModule: typeof SlhDsaModule | undefined;
const mlDsa65 = (): typeof MlDsaModule.ml_dsa65 => (mlDsaModule ??= load('@noble/post-quantum/ml-dsa.js') as typeof MlDsaModule).ml_dsa65;
const slhDsa128s = (): typeof SlhDsaModule.slh_dsa_sha2_128s =>
  (slhDsaModule ??= load('@noble/post-quantum/slh-dsa.js') as typeof SlhDsaModule).slh_dsa_sha2_128s;

// FIPS 204 Table 1/2, ML-DSA-65: ξ 32 bytes, pk 1952, σ 3309, rnd 32.
const mlDsa65Impl: SchemeImpl = {
  scheme: 'ml-dsa-65',
  seedLength: 32,
  publicKeyLength: 1952,
  signatureLength: 3309,
  signRandLength: 32,
  keygen: (seed) => mlDsa65().keygen(seed),
  sign: (secretKey, message, rnd) => mlDsa65().sign(message, secretKey, { extraEntropy: requireRnd(rnd) }),
  verify: (publicKey, message, signature) => mlDsa65().verify(signature, message, publicKey),
};

// FIPS 205 Table 2, SLH-DSA-SHA2-128s: n = 16, seed 3n = 48, pk 2n = 32, σ 7856, opt_rand n = 16.
const slhDsaImpl: SchemeImpl = {
  scheme: 'slh-dsa-sha2-128s',
  seedLength: 48,
  publicKeyLength: 32,
  signatureLength: 7856,
  signRandLength: 16,
  keygen: (seed) => slhDsa128s().keygen(seed),
  sign: (secretKey, message, rnd) => slhDsa128s().sign(message, secretKey, { extraEntropy: requireRnd(rnd) }),
  verify: (publicKey, message, signature) => slhDsa128s().verify(signature, message, publicKey),
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
