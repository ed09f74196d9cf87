/**
 * A validator key as this project holds it: the public half in the clear, the private half (the seed of
 * RFC 8032 §5.1.5, FIPS 204 §6.1 ξ, or FIPS 205 §10.1 SK.seed ‖ SK.prf ‖ PK.seed) as a zeroizing Secret.
 * Storing the seed rather than the expanded secret key keeps keystores small and lets every load check
 * that the seed still yields the recorded public key.
 */
import type { Secret } from '../secret/secret.js';
import type { SoftwareScheme } from './schemes.js';

export interface KeyRecord {
  readonly scheme: SoftwareScheme;
  readonly publicKey: Uint8Array;
  /** keyIdOf(scheme, publicKey). */
  readonly keyId: string;
  /** Wall-clock milliseconds since the Unix epoch, from the injected Clock. */
  readonly createdAt: number;
  readonly seed: Secret;
}
