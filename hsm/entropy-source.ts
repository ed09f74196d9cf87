/**
 * A token's random number generator as an entropy source `pkcs11:<token label>` (PKCS#11 v3.0 §5.15
 * C_GenerateRandom; SP 800-90B §3.1.5 / SP 800-90C on crediting conditioned and DRBG output).
 *
 * The token's output is conditioned (a DRBG inside the token), so only a stuck-block check can watch it;
 * the health layer runs that. Reads are taken in small seeds (32–64 bytes per call, default 32): a
 * C_GenerateRandom call blocks the event loop, and a TPM answers large requests slowly.
 *
 * Credit: 4 bits per byte by default, half of what the token claims. The token's claim cannot be checked
 * from outside — SoftHSM is OpenSSL's DRBG in software, a TPM's DRBG strength is 128–256 bits depending
 * on the part, and a vendor module says "FIPS validated" without naming its entropy assessment — and
 * SP 800-90C only lets DRBG output count at the DRBG's strength when the construction is validated.
 * Half credit still gives a 64-byte read the 256 bits the pool wants, and it keeps a pool that leans on
 * this source alone from claiming more than a second source would corroborate. An operator with an HSM
 * whose entropy source has an ESV certificate may configure 8.
 */
import { EntropySourceError, type EntropySource } from '../crypto/entropy/index.js';
import { HsmError, check } from './errors.js';
import type { Pkcs11Hsm } from './pkcs11-hsm.js';

export const DEFAULT_PKCS11_CREDIT_BITS_PER_BYTE = 4;
export const DEFAULT_PKCS11_CHUNK_BYTES = 32;
/** A single read larger than this is refused: the source is for seeds, not bulk output. */
export const MAX_PKCS11_READ_BYTES = 4096;

export interface Pkcs11EntropySourceOptions {
  /** Bits of entropy credited per byte, 0–8. Default 4 (see the module comment). */
  readonly creditBitsPerByte?: number;
  /** Bytes per C_GenerateRandom call, 32–64. Default 32. */
  readonly chunkBytes?: number;
}

export class Pkcs11EntropySource implements EntropySource {
  readonly id: string;
  readonly kind = 'conditioned' as const;
  readonly creditBitsPerByte: number;
  private readonly chunkBytes: number;
  private readonly hsm: Pkcs11Hsm;

  constructor(hsm: Pkcs11Hsm, options: Pkcs11EntropySourceOptions = {}) {
    const credit = options.creditBitsPerByte ?? DEFAULT_PKCS11_CREDIT_BITS_PER_BYTE;
    const chunk = options.chunkBytes ?? DEFAULT_PKCS11_CHUNK_BYTES;
    check.number(credit, 'creditBitsPerByte', { min: 0, max: 8 });
    check.integer(chunk, 'chunkBytes', { min: 32, max: 64 });
    this.hsm = hsm;
    this.id = `pkcs11:${hsm.tokenLabel}`;
    this.creditBitsPerByte = credit;
    this.chunkBytes = chunk;
  }

  available(): boolean {
    return !this.hsm.closed;
  }

  unavailableReason(): string {
    return this.hsm.closed ? `the session to token '${this.hsm.tokenLabel}' is closed` : '';
  }

  read(bytes: number): Uint8Array {
    if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > MAX_PKCS11_READ_BYTES) {
      throw new EntropySourceError('CRYPTO_INVALID_ARGUMENT', this.id, `read of ${bytes} bytes; must be 1..${MAX_PKCS11_READ_BYTES}`);
    }
    if (this.hsm.closed) {
      throw new EntropySourceError('ENTROPY_SOURCE_UNAVAILABLE', this.id, this.unavailableReason());
    }
    const out = new Uint8Array(bytes);
    try {
      for (let offset = 0; offset < bytes; offset += this.chunkBytes) {
        const n = Math.min(this.chunkBytes, bytes - offset);
        const chunk = this.hsm.generateRandom(n);
        out.set(chunk, offset);
        chunk.fill(0);
      }
    } catch (err) {
      out.fill(0);
      const reason = err instanceof HsmError ? `${err.code}: ${err.message}` : 'C_GenerateRandom failed';
      throw new EntropySourceError('ENTROPY_SOURCE_READ_FAILED', this.id, reason, { cause: err });
    }
    return out;
  }
}
