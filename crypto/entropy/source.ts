/**
 * The contract every entropy source meets, from the OS to an HSM (DESIGN.md, "Contracts").
 *
 * A `raw` source returns one noise sample per byte, unconditioned, so the SP 800-90B §4.4 continuous
 * health tests (repetition count, adaptive proportion) can see every sample; its `creditBitsPerByte` is
 * the assessed min-entropy per sample. A `conditioned` source (getrandom, RDSEED, an HSM's generator)
 * returns full-entropy-claimed output, which only a stuck-block check can watch.
 */
export { EntropySourceError, type EntropySourceErrorCode } from '../errors.js';

export type EntropySourceKind = 'raw' | 'conditioned';

export interface EntropySource {
  /** 'os', 'rdseed', 'rdrand', 'jitter', 'pkcs11:<token>', 'auxiliary', or a user's own id. */
  readonly id: string;
  readonly kind: EntropySourceKind;
  /** Entropy credited per byte read; 0 for auxiliary input. From an assessment, conservative. */
  readonly creditBitsPerByte: number;
  /**
   * Sources that may rest on one noise source share a dependency group, and the pool counts at most one
   * credited source per group toward `minSources` (docs/entropy.md, "Independence"). The kernel's
   * generator mixes in RDSEED/RDRAND output, so `os`, `rdseed` and `rdrand` are all in group `cpu`. A
   * source without a group is its own (its id).
   */
  readonly group?: string;
  /** Whether the source can be read here at all (hardware present, addon built, token reachable). */
  available(): boolean;
  /** When `available()` is false: why, in words an operator can act on; undefined when available. */
  unavailableReason?(): string | undefined;
  /** Exactly `bytes` bytes, or an `EntropySourceError`: never a short or silently weakened read. */
  read(bytes: number): Uint8Array;
}
