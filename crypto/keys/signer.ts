/**
 * The signing contract shared by software keys (crypto/keys) and token-held keys (hsm/), so that the
 * double-sign guard and the BFT harness sit in front of either unchanged.
 */
export type SignatureScheme = 'ed25519' | 'ml-dsa-65' | 'slh-dsa-sha2-128s' | 'ecdsa-p256';

export interface Verifier {
  readonly scheme: SignatureScheme;
  /** Ed25519: 32 raw bytes; ECDSA P-256: 33-byte compressed SEC1 point; ML-DSA / SLH-DSA: as FIPS 204 / 205 encode it. */
  readonly publicKey: Uint8Array;
  /** See `keyIdOf`. */
  readonly keyId: string;
  /** False for a bad signature; throws only for malformed arguments. ECDSA signatures are raw r‖s (64 bytes). */
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

export interface Signer extends Verifier {
  /** Signs `message` (the whole message: hashing, where the scheme needs it, happens inside). */
  sign(message: Uint8Array): Promise<Uint8Array>;
}
