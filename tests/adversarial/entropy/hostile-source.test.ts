/**
 * A hostile source that knows every other source's sample for the draw and the pool counter tries to
 * choose the pool's output. Against a plain XOR it succeeds outright (shown first, so the test can see the
 * attack work); against the labelled-hash pool the best it does with 2^12 tries is what 2^12 random tries
 * give anyone (~12 leading zero bits), whichever position it is read in.
 */
import { describe, expect, it } from 'vitest';
import { EntropyPool, contributionDigest, hashDf } from '../../../crypto/entropy/pool.js';
import type { EntropySource } from '../../../crypto/entropy/source.js';
import { UniformStream } from './fakes.js';

const STARTUP_BYTES = 9 * 16;
const DRAW_BYTES = 56; // credit 8 bits/byte, 384 + 64 bits
const TRIES = 4096;

function leadingZeroBits(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) {
    if (b === 0) {
      n += 8;
      continue;
    }
    return n + Math.clz32(b) - 24;
  }
  return n;
}

/** An honest source whose future output the adversary can replay: a SHAKE stream under a known seed. */
class HonestSource implements EntropySource {
  readonly kind = 'conditioned' as const;
  readonly creditBitsPerByte = 8;
  private readonly stream: UniformStream;
  constructor(readonly id: string) {
    this.stream = new UniformStream(id);
  }
  available(): boolean {
    return true;
  }
  read(bytes: number): Uint8Array {
    return this.stream.next(bytes);
  }
}

/** Omniscient: replays the honest streams, knows the labels, the counter and the conditioning. */
class HostileSource implements EntropySource {
  readonly kind = 'conditioned' as const;
  readonly creditBitsPerByte = 8;
  readonly id = 'hostile';
  private readonly replicas: Map<string, UniformStream>;
  private readonly warmup = new UniformStream('hostile-startup');
  private counter = 0n;
  bestZeroBits = 0;
  constructor(
    honestIds: readonly string[],
    private readonly goal: 'zero' | 'naive-xor',
  ) {
    this.replicas = new Map(honestIds.map((id) => [id, new UniformStream(id)]));
  }
  available(): boolean {
    return true;
  }
  read(bytes: number): Uint8Array {
    if (bytes === STARTUP_BYTES) {
      for (const r of this.replicas.values()) r.next(STARTUP_BYTES);
      return this.warmup.next(bytes);
    }
    this.counter += 1n;
    const others = [...this.replicas].map(([id, r]) => [id, r.next(bytes)] as const);
    if (this.goal === 'naive-xor') {
      // Against out = XOR of samples, cancelling is one XOR away.
      const cancel = new Uint8Array(bytes);
      for (const [, s] of others) for (let i = 0; i < bytes; i++) cancel[i] = (cancel[i] ?? 0) ^ (s[i] ?? 0);
      return cancel;
    }
    const xOthers = new Uint8Array(64);
    for (const [id, s] of others) {
      const d = contributionDigest(id, this.counter, s);
      for (let i = 0; i < 64; i++) xOthers[i] = (xOthers[i] ?? 0) ^ (d[i] ?? 0);
    }
    let best: Uint8Array = new Uint8Array(bytes);
    let bestScore = -1;
    const candidates = new UniformStream('hostile-candidates');
    for (let t = 0; t < TRIES; t++) {
      const cand = candidates.next(bytes);
      const d = contributionDigest(this.id, this.counter, cand);
      const x = xOthers.map((v, i) => v ^ (d[i] ?? 0));
      const ctr = new Uint8Array(8);
      new DataView(ctr.buffer).setBigUint64(0, this.counter);
      const label = new Uint8Array([0, 0, 0, 17, ...new TextEncoder().encode('hrng/pool/v1/seed')]);
      const out = hashDf([label, ctr, x], 64);
      const score = leadingZeroBits(out);
      if (score > bestScore) {
        bestScore = score;
        best = cand;
      }
    }
    this.bestZeroBits = bestScore;
    return best;
  }
}

describe('a hostile source that sees all other contributions cannot choose the pool output', () => {
  it('the attack is real: against a plain XOR of samples it forces all zeros', () => {
    const honest = [new HonestSource('a'), new HonestSource('b')];
    const hostile = new HostileSource(['a', 'b'], 'naive-xor');
    for (const s of [...honest, hostile]) s.read(STARTUP_BYTES);
    const samples = [...honest, hostile].map((s) => s.read(DRAW_BYTES));
    const xor = new Uint8Array(DRAW_BYTES);
    for (const s of samples) for (let i = 0; i < DRAW_BYTES; i++) xor[i] = (xor[i] ?? 0) ^ (s[i] ?? 0);
    expect(xor.every((b) => b === 0)).toBe(true);
  });

  it.each([0, 1, 2])('against the pool, at position %i, cancelling fails and 2^12 tries buy only ~12 zero bits', (position) => {
    const honest = [new HonestSource('a'), new HonestSource('b')];
    const canceller = new HostileSource(['a', 'b'], 'naive-xor');
    const sources: EntropySource[] = [...honest];
    sources.splice(position, 0, canceller);
    const pool = new EntropyPool({ sources });
    pool.startup();
    const out = pool.draw(64).material;
    expect(out.every((b) => b === 0)).toBe(false);
    expect(leadingZeroBits(out)).toBeLessThan(24);

    const honest2 = [new HonestSource('a'), new HonestSource('b')];
    const grinder = new HostileSource(['a', 'b'], 'zero');
    const sources2: EntropySource[] = [...honest2];
    sources2.splice(position, 0, grinder);
    const pool2 = new EntropyPool({ sources: sources2 });
    pool2.startup();
    const ground = pool2.draw(64).material;
    // The grinder computed the exact output of its chosen candidate: the pool's output is that output,
    // so its model is right — and the best prefix it could buy is that of a 2^12 brute-force search.
    expect(leadingZeroBits(ground)).toBe(grinder.bestZeroBits);
    expect(grinder.bestZeroBits).toBeGreaterThanOrEqual(6);
    expect(grinder.bestZeroBits).toBeLessThan(24);
  });
});
