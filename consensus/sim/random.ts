/**
 * `SimRandom`: every random choice of a simulation (latencies, losses, fault profiles, nodes' entropy)
 * comes from one seed through this. It reads a `DeterministicRng` (HMAC_DRBG, SP 800-90A §10.1.2) in
 * blocks (growing to 4 KiB) so that a choice costs a few array reads, not an HMAC; `fork(label)` derives an
 * independent stream (a node's, the network's) so adding a draw in one place does not shift another.
 *
 * Not supported: cryptographic use. These numbers drive a simulation; keys made from them are test keys.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { ConsensusError } from '../errors.js';
import { DeterministicRng } from './deterministic.js';

/** Blocks grow from 64 bytes to 4 KiB: most forked streams (a node's noise source) draw little. */
const FIRST_BLOCK = 64;
const MAX_BLOCK = 4096;

export class SimRandom {
  readonly seed: Uint8Array;
  readonly #label: string;
  /** Instantiated at the first draw: many forks (a slot's stream, the attacker's) are never drawn from. */
  #drbg: DeterministicRng | undefined;
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

  #refill(): void {
    this.#drbg ??= DeterministicRng.fromSeed(this.seed, { label: this.#label, hash: 'sha256' });
    this.#block = this.#drbg.randomBytes(this.#next);
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
