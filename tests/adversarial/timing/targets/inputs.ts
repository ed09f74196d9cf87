/**
 * Input preparation shared by the target modules. Both classes go through the same code: a slot is
 * filled by copying the next bytes of a pool — the fixed pool (the fixed value repeated) for class 0,
 * the random pool (OS randomness, refilled in 64 KiB blocks) for class 1. Same function, same copy
 * length, same allocation pattern (none): the classes differ only in the values copied.
 */
import { randomFillSync } from 'node:crypto';
import type { TimingTarget } from '../dudect/spec.js';
import type { SampleClass } from '../dudect/welch.js';

export const fixedBytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed) & 0xff);

const POOL_BYTES = 65_536;

interface Pool {
  readonly bytes: Uint8Array;
  offset: number;
  readonly refill: (bytes: Uint8Array) => void;
}

function pool(refill: (bytes: Uint8Array) => void): Pool {
  const bytes = new Uint8Array(POOL_BYTES);
  refill(bytes);
  return { bytes, offset: 0, refill };
}

function drawInto(p: Pool, out: Uint8Array): void {
  if (p.offset + out.length > p.bytes.length) {
    p.refill(p.bytes);
    p.offset = 0;
  }
  out.set(p.bytes.subarray(p.offset, p.offset + out.length));
  p.offset += out.length;
}

/**
 * Two pools for a fixed value of `fixed.length` bytes: class 0 draws copies of `fixed`, class 1 random
 * bytes, both through `drawInto`.
 */
export function classPools(fixed: Uint8Array): (out: Uint8Array, cls: SampleClass) => void {
  const n = fixed.length;
  const repeat = (bytes: Uint8Array): void => {
    for (let i = 0; i + n <= bytes.length; i += n) bytes.set(fixed, i);
  };
  // The fixed pool holds whole copies only, so every draw of n bytes is exactly `fixed`.
  const fixedPool = pool(repeat);
  const usable = Math.floor(POOL_BYTES / n) * n;
  const fixedView: Pool = { bytes: fixedPool.bytes.subarray(0, usable), offset: 0, refill: () => undefined };
  const randomPool = pool((bytes) => randomFillSync(bytes));
  const pools = [fixedView, randomPool] as const;
  return (out, cls) => drawInto(pools[cls], out);
}

export interface Bytes {
  readonly a: Uint8Array;
}

/** A slot of `fixed.length` bytes: `fixed` for class 0, random bytes for class 1. */
export function bytesTarget(fixed: Uint8Array, run: (slot: Bytes) => unknown): TimingTarget<Bytes> {
  const fill = classPools(fixed);
  return {
    allocate: () => ({ a: new Uint8Array(fixed.length) }),
    prepare: (slot, cls) => fill(slot.a, cls),
    run,
  };
}
