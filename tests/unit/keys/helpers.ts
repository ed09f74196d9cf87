/**
 * Test-local randomness for the key tests: a RandomSource over node:crypto (which does not go through
 * globalThis.crypto.getRandomValues, so the "noble never draws its own randomness" trap stays armed),
 * and a reproducible counter-mode SHA-256 stream for determinism checks.
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import type { RandomSource } from '../../../crypto/drbg/random-source.js';

export const nodeRandom: RandomSource = {
  randomBytes: (n) => new Uint8Array(nodeRandomBytes(n)),
};

/** SHA-256(label ‖ counter) blocks: the same label yields the same bytes, call after call. */
export function streamRandom(label: number): RandomSource & { readonly drawn: number } {
  let counter = 0;
  let drawn = 0;
  return {
    get drawn() {
      return drawn;
    },
    randomBytes(n: number): Uint8Array {
      const out = new Uint8Array(n);
      for (let off = 0; off < n; off += 32) {
        const block = sha256(
          Uint8Array.of(label & 0xff, (counter >>> 24) & 0xff, (counter >>> 16) & 0xff, (counter >>> 8) & 0xff, counter & 0xff),
        );
        counter++;
        out.set(block.subarray(0, Math.min(32, n - off)), off);
      }
      drawn += n;
      return out;
    },
  };
}

/** A source that always returns the same bytes (to compare our hedged signing with noble's directly). */
export function constantRandom(byte: number): RandomSource {
  return { randomBytes: (n) => new Uint8Array(n).fill(byte) };
}

export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Runs `fn` with globalThis.crypto.getRandomValues replaced by a function that throws. */
export async function withoutGetRandomValues<T>(fn: () => Promise<T> | T): Promise<T> {
  const c = globalThis.crypto;
  const original = c.getRandomValues;
  let calls = 0;
  Object.defineProperty(c, 'getRandomValues', {
    configurable: true,
    writable: true,
    value: () => {
      calls++;
      throw new Error('crypto.getRandomValues must not be called');
    },
  });
  try {
    const result = await fn();
    if (calls !== 0) throw new Error(`crypto.getRandomValues was called ${calls} times`);
    return result;
  } finally {
    Object.defineProperty(c, 'getRandomValues', { configurable: true, writable: true, value: original });
  }
}
