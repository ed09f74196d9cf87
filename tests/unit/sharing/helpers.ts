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
