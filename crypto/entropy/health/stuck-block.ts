/**
 * Continuous test for conditioned sources (getrandom, RDSEED/RDRAND, an HSM): the output is split into
 * blocks and a block equal to the one before it fails — the FIPS 140-2 §4.9.2 continuous RNG test that
 * SP 800-90B §4.4 leaves room for as a developer-defined test. Blocks are sized so each carries ≥ 64
 * credited bits: a healthy source repeats one with probability ≤ 2^-64, below the permanent level α²
 * (2^-60), so a repeat is a permanent failure.
 *
 * Across reads only a SHA3-256 fingerprint of the last block is kept, not the block: that block went into
 * a seed and must not linger in memory.
 */
import { CryptoError } from '../../errors.js';
import { sha3_256 } from '@noble/hashes/sha3.js';
import type { HealthAlarm } from './alarm.js';

const FINGERPRINT_LABEL = new TextEncoder().encode('hrng/health/stuck-block/v1');

/** Bytes per compared block for a source credited `creditBitsPerByte`: ≥ 64 credited bits, 16..256. */
export function stuckBlockSize(creditBitsPerByte: number): number {
  if (!(creditBitsPerByte > 0)) return 16;
  return Math.min(256, Math.max(16, Math.ceil(64 / creditBitsPerByte)));
}

function fingerprint(block: Uint8Array): Uint8Array {
  return sha3_256.create().update(FINGERPRINT_LABEL).update(block).digest();
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

export class StuckBlockTest {
  readonly blockBytes: number;
  #previous: Uint8Array | undefined;
  private seen = 0;

  constructor(blockBytes: number) {
    if (!Number.isInteger(blockBytes) || blockBytes < 1)
      throw new CryptoError('CRYPTO_INVALID_ARGUMENT', `block size must be a positive integer, got ${blockBytes}`);
    this.blockBytes = blockBytes;
  }

  /** Checks every whole block of `output` (a trailing partial block is not compared). */
  feed(output: Uint8Array): HealthAlarm | undefined {
    const n = this.blockBytes;
    const blocks = Math.floor(output.length / n);
    if (blocks === 0) return undefined;
    const first = output.subarray(0, n);
    if (this.#previous !== undefined && equalBytes(fingerprint(first), this.#previous)) {
      this.seen++;
      return this.alarm();
    }
    this.seen++;
    for (let b = 1; b < blocks; b++) {
      this.seen++;
      if (equalBytes(output.subarray(b * n, (b + 1) * n), output.subarray((b - 1) * n, b * n))) return this.alarm();
    }
    this.#previous = fingerprint(output.subarray((blocks - 1) * n, blocks * n));
    return undefined;
  }

  private alarm(): HealthAlarm {
    this.#previous = undefined;
    return { test: 'stuck-block', level: 'permanent', observed: 2, cutoff: 2, sampleIndex: this.seen };
  }
}
