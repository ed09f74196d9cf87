/**
 * Ed25519 signing (RFC 8032 §5.1.6) with the public key computed once, when the key is expanded, rather
 * than on every signature. noble's `sign(message, seed)` derives A = [s]B anew each time, one of the two
 * base-point multiplications a signature costs, so a signer that keeps its key pays it once.
 *
 * The expanded secret key is libsodium's layout, seed ‖ A (64 bytes), and A in it is always the one
 * `expandEd25519` derived from the seed, never a caller's: signing one message under two different As
 * gives away the private scalar (k differs, r does not), which is why this takes no public key argument.
 * The point arithmetic is noble's (`Point.BASE.multiply`, as in its own sign); every byte buffer that
 * held secret-derived data (the hashed seed, the nonce hash) is zeroed before returning. The scalars are
 * bigints, converted through hex strings by noble's `bytesToNumberLE`; neither can be wiped, the same limit
 * as noble's own sign, which converts them the same way (docs/secrets.md).
 *
 * Not supported: Ed25519ctx and Ed25519ph (§5.1's variants with a context string or a prehash).
 */
import * as ed from '@noble/ed25519';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { assert } from '../assert.js';

// noble's synchronous API (getPublicKey, and verify in schemes.ts) needs a SHA-512 provider; set it
// once, keeping one another caller set first.
if (ed.hashes.sha512 === undefined) ed.hashes.sha512 = sha512;

/** The order of the base point B (RFC 8032 §5.1: L). */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

/** seed ‖ A. */
export const ED25519_EXPANDED_KEY_LENGTH = 64;

/** §5.1.5: the public key of `seed`, and the expanded secret key seed ‖ A (the caller owns and zeroes it). */
export function expandEd25519(seed: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array } {
  assert.bytes(seed, 'Ed25519 seed', { length: 32 });
  const publicKey = ed.getPublicKey(seed);
  const secretKey = new Uint8Array(ED25519_EXPANDED_KEY_LENGTH);
  secretKey.set(seed, 0);
  secretKey.set(publicKey, 32);
  return { publicKey, secretKey };
}

/** §5.1.6 with the expanded key of `expandEd25519`: the same 64 bytes as noble's `sign(message, seed)`. */
export function signEd25519(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  assert.bytes(secretKey, 'Ed25519 expanded secret key', { length: ED25519_EXPANDED_KEY_LENGTH });
  const publicKey = secretKey.subarray(32);
  const h = sha512(secretKey.subarray(0, 32));
  const prefixed = new Uint8Array(32 + message.length);
  let nonceHash: Uint8Array | undefined;
  try {
    // s: the clamped lower half; reducing it mod L changes no multiple of B and no S.
    h[0] = (h[0] as number) & 248;
    h[31] = ((h[31] as number) & 127) | 64;
    const s = bytesToNumberLE(h.subarray(0, 32)) % L;
    // r = SHA-512(prefix ‖ M) mod L; R = [r]B.
    prefixed.set(h.subarray(32), 0);
    prefixed.set(message, 32);
    nonceHash = sha512(prefixed);
    const r = bytesToNumberLE(nonceHash) % L;
    const R = ed.Point.BASE.multiply(r).toBytes();
    // k = SHA-512(R ‖ A ‖ M) mod L; S = (r + k·s) mod L.
    const k = bytesToNumberLE(sha512.create().update(R).update(publicKey).update(message).digest()) % L;
    const signature = new Uint8Array(64);
    signature.set(R, 0);
    signature.set(numberToBytesLE((r + k * s) % L, 32), 32);
    return signature;
  } finally {
    h.fill(0);
    prefixed.fill(0);
    nonceHash?.fill(0);
  }
}
