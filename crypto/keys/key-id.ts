/**
 * A key's identifier: the first 16 bytes, in hex, of SHA-256(scheme ‖ 0x00 ‖ publicKey).
 * The scheme is hashed in so that equal bytes under two schemes never share an id.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { SignatureScheme } from './signer.js';

export function keyIdOf(scheme: SignatureScheme, publicKey: Uint8Array): string {
  const label = utf8ToBytes(scheme);
  const input = new Uint8Array(label.length + 1 + publicKey.length);
  input.set(label, 0);
  input.set(publicKey, label.length + 1);
  return bytesToHex(sha256(input).subarray(0, 16));
}
