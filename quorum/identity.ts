/**
 * Agent identities: an Ed25519 key (RFC 8032) that is both the agent's TLS client-certificate key and the
 * key that signs its messages, so pinning the certificate to the enrolled identity is comparing one public
 * key. Signing and verification go through node:crypto (OpenSSL), the same library TLS uses.
 */
import { createPrivateKey, createPublicKey, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { check, QuorumError } from './errors.js';
import { signBytes } from './canonical.js';

/** The 32-byte raw Ed25519 public key of a KeyObject, as hex. */
export function rawPublicKeyHex(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' }) as { crv?: string; x?: string };
  if (jwk.crv !== 'Ed25519' || jwk.x === undefined)
    throw new QuorumError('QUORUM_INVALID_ARGUMENT', `an identity key must be Ed25519, got ${jwk.crv ?? key.asymmetricKeyType}`);
  return Buffer.from(jwk.x, 'base64url').toString('hex');
}

/** The identity public key (hex) a DER certificate carries. */
export function certificatePublicKeyHex(der: Uint8Array): string {
  return rawPublicKeyHex(new X509Certificate(der).publicKey);
}

export function publicKeyFromHex(hex: string): KeyObject {
  const raw = check.hex(hex, 'publicKey', { bytes: 32 });
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
}

export class AgentIdentity {
  readonly publicKey: string;
  private readonly key: KeyObject;

  private constructor(key: KeyObject) {
    this.key = key;
    this.publicKey = rawPublicKeyHex(createPublicKey(key));
  }

  /** From a PKCS#8 PEM (the TLS key file). */
  static fromPem(pem: string | Uint8Array): AgentIdentity {
    return new AgentIdentity(createPrivateKey({ key: Buffer.from(pem), format: 'pem' }));
  }

  /** Ed25519 signature (hex) over the message's sign bytes. */
  sign(type: string, body: unknown): string {
    return sign(null, signBytes(type, body), this.key).toString('hex');
  }

  toString(): string {
    return `AgentIdentity(${this.publicKey.slice(0, 16)}…)`;
  }
  toJSON(): string {
    return this.toString();
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** True when `signature` (hex) is `publicKey`'s signature over the message's sign bytes. */
export function verifySignature(publicKey: string | KeyObject, type: string, body: unknown, signature: string): boolean {
  if (!/^[0-9a-f]{128}$/.test(signature)) return false;
  const key = typeof publicKey === 'string' ? publicKeyFromHex(publicKey) : publicKey;
  return verify(null, signBytes(type, body), key, Buffer.from(signature, 'hex'));
}
