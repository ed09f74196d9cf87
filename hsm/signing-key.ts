/**
 * A token-held signing key behind the `Signer` contract, so the double-sign guard and the BFT harness
 * sit in front of it unchanged.
 *
 * Ed25519: CKM_EDDSA without parameters is pure Ed25519 (PKCS#11 Current Mechanisms v3.0 §2.3.6;
 * RFC 8032 §5.1.6). ECDSA P-256: CKM_ECDSA_SHA256 when the token has it, else SHA-256 here and CKM_ECDSA
 * on the digest (v3.0 §2.3.7, §2.3.8); either way the token returns r‖s, 32 bytes each. The S value is
 * then normalized to the lower half of the group order: both (r, s) and (r, n−s) are valid ECDSA, tokens
 * (the TPM) return either, and noble's p256.verify — like most consensus verifiers — accepts only low S,
 * so every signature this key hands out is the one canonical form.
 */
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { keyIdOf, PublicKeyVerifier, type SignatureScheme, type Signer } from '../crypto/index.js';
import { CKM_ECDSA, CKM_ECDSA_SHA256, CKM_EDDSA } from './constants.js';
import { copyBytes } from './bytes.js';
import { HsmError, check } from './errors.js';
import type { Pkcs11Handle } from './library.js';
import { asBuffer, toHex } from './bytes.js';
import type { Pkcs11Hsm } from './pkcs11-hsm.js';

export type HsmSignatureScheme = Extract<SignatureScheme, 'ed25519' | 'ecdsa-p256'>;

const P256_N = p256.Point.CURVE().n;

/** (r, s) → (r, n − s) when s > n/2: the low-S form of the same signature. */
export function normalizeLowS(signature: Uint8Array): Uint8Array {
  if (signature.length !== 64)
    throw new HsmError('HSM_OPERATION_FAILED', `ECDSA signature is ${signature.length} bytes, expected r‖s of 64`);
  const s = BigInt('0x' + toHex(signature.subarray(32)));
  if (s === 0n || s >= P256_N) throw new HsmError('HSM_OPERATION_FAILED', 'token returned an ECDSA signature with s outside [1, n−1]');
  const out = copyBytes(signature);
  if (s <= P256_N >> 1n) return out;
  out.set(Buffer.from((P256_N - s).toString(16).padStart(64, '0'), 'hex'), 32);
  return out;
}

export class HsmSigningKey implements Signer {
  readonly scheme: HsmSignatureScheme;
  /** Ed25519: 32 raw bytes (RFC 8032 §5.1.5); P-256: 33-byte compressed SEC1 point. */
  readonly publicKey: Uint8Array;
  readonly keyId: string;
  /** CKA_LABEL of the key pair. */
  readonly label: string;
  /** CKA_ID of the key pair, hex. */
  readonly objectId: string;
  private readonly hsm: Pkcs11Hsm;
  private readonly privateKey: Pkcs11Handle;
  private readonly edVerifier: PublicKeyVerifier | undefined;

  constructor(o: {
    hsm: Pkcs11Hsm;
    scheme: HsmSignatureScheme;
    publicKey: Uint8Array;
    label: string;
    objectId: Uint8Array;
    privateKey: Pkcs11Handle;
  }) {
    this.hsm = o.hsm;
    this.scheme = o.scheme;
    this.publicKey = copyBytes(o.publicKey);
    this.keyId = keyIdOf(o.scheme, this.publicKey);
    this.label = o.label;
    this.objectId = toHex(o.objectId);
    this.privateKey = o.privateKey;
    this.edVerifier = o.scheme === 'ed25519' ? new PublicKeyVerifier('ed25519', this.publicKey) : undefined;
  }

  verify(message: Uint8Array, signature: Uint8Array): boolean {
    check.bytes(message, 'message');
    check.bytes(signature, 'signature');
    if (this.edVerifier) return this.edVerifier.verify(message, signature);
    if (signature.length !== 64) return false;
    try {
      return p256.verify(signature, message, this.publicKey, { prehash: true, lowS: true });
    } catch {
      return false;
    }
  }

  async sign(message: Uint8Array): Promise<Uint8Array> {
    check.bytes(message, 'message');
    // Tokens differ on zero-length input (SoftHSM answers CKR_ARGUMENTS_BAD and wedges the session);
    // nothing this platform signs is empty, so refuse it here rather than learn each token's quirk.
    if (message.length === 0) throw new HsmError('HSM_INVALID_ARGUMENT', 'refusing to sign an empty message');
    // Our own copy (not `slice()`, which on a Buffer shares the caller's memory): the caller may reuse
    // its buffer while the token works on a worker thread, and what is verified below must be exactly
    // what was signed.
    const msg = copyBytes(message);
    const signature = this.scheme === 'ed25519' ? await this.signWith(CKM_EDDSA, msg) : await this.signP256(msg);
    // A token that returns a signature its own key does not verify is broken: never hand that out.
    if (!this.verify(msg, signature)) {
      throw new HsmError(
        'HSM_OPERATION_FAILED',
        `token '${this.hsm.tokenLabel}' returned a ${this.scheme} signature that does not verify under key ${this.keyId}`,
      );
    }
    return signature;
  }

  private async signP256(message: Uint8Array): Promise<Uint8Array> {
    const raw = this.hsm.supports(CKM_ECDSA_SHA256)
      ? await this.signWith(CKM_ECDSA_SHA256, message)
      : await this.signWith(CKM_ECDSA, sha256(message));
    return normalizeLowS(raw);
  }

  private signWith(mechanism: number, data: Uint8Array): Promise<Uint8Array> {
    return this.hsm.runAsync('C_Sign', async ({ lib, session }) => {
      lib.C_SignInit(session, { mechanism }, this.privateKey);
      const out = await lib.C_SignAsync(session, asBuffer(data), Buffer.alloc(64));
      if (out.length !== 64) {
        throw new HsmError('HSM_OPERATION_FAILED', `C_Sign returned ${out.length} bytes for ${this.scheme}, expected 64`, {
          call: 'C_Sign',
        });
      }
      return new Uint8Array(out);
    });
  }
}
