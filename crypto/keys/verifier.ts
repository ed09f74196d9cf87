/**
 * Verification from a public key alone (RFC 8032 §5.1.7 with ZIP-215 acceptance rules, as CometBFT's
 * consensus verifies; FIPS 204 §5.3 ML-DSA.Verify; FIPS 205 §10.3 slh_verify), behind our Verifier.
 */
import { assert } from '../assert.js';
import { keyIdOf } from './key-id.js';
import { schemeImpl, type SchemeImpl, type SoftwareScheme } from './schemes.js';
import type { Verifier } from './signer.js';

export class PublicKeyVerifier implements Verifier {
  readonly scheme: SoftwareScheme;
  readonly publicKey: Uint8Array;
  readonly keyId: string;
  readonly #impl: SchemeImpl;

  constructor(scheme: SoftwareScheme, publicKey: Uint8Array) {
    const impl = schemeImpl(scheme);
    assert.bytes(publicKey, `${scheme} public key`, { length: impl.publicKeyLength });
    this.#impl = impl;
    this.scheme = scheme;
    this.publicKey = publicKey.slice();
    this.keyId = keyIdOf(scheme, this.publicKey);
    Object.freeze(this);
  }

  verify(message: Uint8Array, signature: Uint8Array): boolean {
    return verifyWith(this.#impl, this.publicKey, message, signature);
  }
}

export function verifyWith(impl: SchemeImpl, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  assert.bytes(message, 'message');
  assert.bytes(signature, 'signature');
  // A signature of the wrong length is simply not a valid signature, not a malformed call.
  if (signature.length !== impl.signatureLength) return false;
  return impl.verify(publicKey, message, signature);
}
