import { DeterministicRng } from '../../../crypto/drbg/deterministic.js';
import type { RandomSource } from '../../../crypto/drbg/random-source.js';

/** A reproducible RandomSource for a test, one stream per label. */
export function testRng(label: string): DeterministicRng {
  return DeterministicRng.fromSeed(new Uint8Array(32).fill(7), { label });
}

/** A RandomSource that replays the given bytes, then throws. */
export function scriptedRng(bytes: readonly number[]): RandomSource {
  let at = 0;
  return {
    randomBytes(n: number): Uint8Array {
      if (at + n > bytes.length) throw new Error('scripted randomness ran out');
      const out = Uint8Array.from(bytes.slice(at, at + n));
      at += n;
      return out;
    },
  };
}

/** A reproducible RandomSource that draws 64 KiB at a time (for tests that split many thousand times). */
export function bufferedTestRng(label: string): RandomSource {
  const inner = testRng(label);
  let block: Uint8Array = new Uint8Array(0);
  let at = 0;
  return {
    randomBytes(n: number): Uint8Array {
      if (at + n > block.length) {
        block = inner.randomBytes(Math.max(65_536, n));
        at = 0;
      }
      const out = block.slice(at, at + n);
      at += n;
      return out;
    },
  };
}
