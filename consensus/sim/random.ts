/**
 * `SimRandom`: every random choice of a simulation (latencies, losses, fault profiles, the simulated
 * entropy sources' noise) comes from one seed through this. A stream is the ChaCha20 keystream (RFC 8439
 * §2.4, node:crypto's OpenSSL cipher over zeros, block counter from 0) under the key
 * SHA-256("hrng/sim/stream/v1" ‖ 0 ‖ seed ‖ label), read in blocks (growing to 4 KiB) so that a choice
 * costs a few array reads; `fork(label)` derives an independent stream (a node's, the network's) so
 * adding a draw in one place does not shift another. A stream's cipher is made at its first draw: many
 * forks (a slot's own stream, the attacker's) are never drawn from.
 *
 * Not HMAC_DRBG (`DeterministicRng`), which it was until the Twins benchmark showed the DRBG's per-call
 * HMACs at a tenth of a run: these numbers only have to be uniform and reproducible. The validators'
 * own randomness — nonces and keys — still comes from HMAC_DRBG, in SimGenerator (entropy.ts), which
 * only reads its simulated sources' noise from here.
 *
 * Not supported: cryptographic use. These numbers drive a simulation; keys made from them are test keys.
 */
import { createCipheriv, type Cipher } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { ConsensusError } from '../errors.js';

/** Blocks grow from 64 bytes to 4 KiB: most forked streams (a node's noise source) draw little. */
const FIRST_BLOCK = 64;
const MAX_BLOCK = 4096;
const ZEROS = new Uint8Array(MAX_BLOCK);
const STREAM_LABEL = new TextEncoder().encode('hrng/sim/stream/v1\0');
/** OpenSSL's ChaCha20 IV: the 32-bit little-endian block counter (0) ‖ the 96-bit nonce (0; the key differs per stream). */
const IV = new Uint8Array(16);

export class SimRandom {
  readonly seed: Uint8Array;
  readonly #label: string;
  #cipher: Cipher | undefined;
  #block: Uint8Array = new Uint8Array(0);
  #view: DataView = new DataView(new ArrayBuffer(0));
  #at = 0;
  #next = FIRST_BLOCK;

  private constructor(seed: Uint8Array, label: string) {
    this.seed = seed;
    this.#label = label;
  }

  /** The stream for a numeric seed (what people type: `--seed 42`). */
  static fromSeed(seed: number | bigint | string, label = 'hrng/sim'): SimRandom {
    return new SimRandom(sha256(new TextEncoder().encode(`hrng-sim-seed:${String(seed)}`)), label);
  }

  /** An independent stream derived from this one's seed and `label`. */
  fork(label: string): SimRandom {
    return new SimRandom(this.seed, label);
  }

  #key(): Uint8Array {
    const label = new TextEncoder().encode(this.#label);
    const input = new Uint8Array(STREAM_LABEL.length + this.seed.length + label.length);
    input.set(STREAM_LABEL);
    input.set(this.seed, STREAM_LABEL.length);
    input.set(label, STREAM_LABEL.length + this.seed.length);
    return sha256(input);
  }

  #refill(): void {
    this.#cipher ??= createCipheriv('chacha20', this.#key(), IV);
    const out = this.#cipher.update(ZEROS.subarray(0, this.#next));
    this.#block = new Uint8Array(out.buffer, out.byteOffset, out.length);
    this.#next = Math.min(MAX_BLOCK, this.#next * 2);
    this.#view = new DataView(this.#block.buffer, this.#block.byteOffset, this.#block.byteLength);
    this.#at = 0;
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    if (this.#at + 4 > this.#block.length) this.#refill();
    const v = this.#view.getUint32(this.#at);
    this.#at += 4;
    return v;
  }

  /** A uniform float in [0, 1) with 53 bits. */
  float(): number {
    const hi = this.u32() >>> 5;
    const lo = this.u32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    if (hi <= lo) return lo;
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return p > 0 && this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new ConsensusError('SIM_INTERNAL', 'pick from an empty list');
    return item;
  }

  /** An exponentially distributed number with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      if (this.#at >= this.#block.length) this.#refill();
      out[i] = this.#block[this.#at++] ?? 0;
    }
    return out;
  }

  /** A Fisher–Yates shuffled copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const t = out[i] as T;
      out[i] = out[j] as T;
      out[j] = t;
    }
    return out;
  }
}
