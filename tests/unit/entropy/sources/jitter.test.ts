import { describe, expect, it } from 'vitest';
import { EntropySourceError } from '../../../../crypto/entropy/source.js';
import { JITTER_CREDIT_BITS_PER_SAMPLE, JitterSource } from '../../../../crypto/entropy/sources/jitter.js';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof EntropySourceError ? e.code : `not an EntropySourceError: ${String(e)}`;
  }
  return undefined;
}

/** A timer that replays the given steps between successive calls, cycling. */
function steppingTimer(steps: readonly bigint[]): () => bigint {
  let now = 1_000_000n;
  let i = 0;
  return () => {
    now += steps[i % steps.length] ?? 0n;
    i++;
    return now;
  };
}

describe('JitterSource', () => {
  it('is a raw source with the stated constant credit', () => {
    const j = new JitterSource();
    expect(j.id).toBe('jitter');
    expect(j.kind).toBe('raw');
    expect(j.creditBitsPerByte).toBe(JITTER_CREDIT_BITS_PER_SAMPLE);
    expect(JITTER_CREDIT_BITS_PER_SAMPLE).toBeGreaterThan(0);
    expect(JITTER_CREDIT_BITS_PER_SAMPLE).toBeLessThanOrEqual(2);
  });

  it('is available with the real timer and returns exactly one sample per byte', () => {
    const j = new JitterSource();
    expect(j.unavailableReason()).toBeUndefined();
    for (const n of [0, 1, 7, 1024]) expect(j.read(n).length).toBe(n);
  });

  it('produces varying raw samples: many distinct values, none dominant', () => {
    const samples = new JitterSource().read(20_000);
    const counts = new Map<number, number>();
    for (const s of samples) counts.set(s, (counts.get(s) ?? 0) + 1);
    expect(counts.size).toBeGreaterThan(16);
    expect(Math.max(...counts.values()) / samples.length).toBeLessThan(0.5);
  });

  it('refuses a stuck timer instead of returning constant samples', () => {
    const j = new JitterSource({ timer: () => 42n });
    expect(j.available()).toBe(false);
    expect(j.unavailableReason()).toMatch(/too coarse or not monotonic/);
    expect(codeOf(() => j.read(16))).toBe('ENTROPY_SOURCE_UNAVAILABLE');
  });

  it('refuses a timer that runs backwards', () => {
    const j = new JitterSource({ timer: steppingTimer([-5n]) });
    expect(j.available()).toBe(false);
  });

  it('refuses a timer whose deltas never vary in their low byte', () => {
    // 1 µs granularity: every delta is exactly 1000 ns, low byte always 0xe8.
    const j = new JitterSource({ timer: steppingTimer([1000n]) });
    expect(j.unavailableReason()).toMatch(/never varied/);
  });

  it('returns the low byte of each delta when the timer is fine', () => {
    // Two timer calls per sample: the step before t0 is irrelevant, t1 - t0 is the second step.
    const j = new JitterSource({ timer: steppingTimer([7n, 0x1234n, 7n, 0x0299n]) });
    expect(j.available()).toBe(true);
    const out = j.read(4);
    expect(Array.from(out)).toEqual([0x34, 0x99, 0x34, 0x99]);
  });

  it('fails a read whose timer stops advancing after start-up, naming the sample', () => {
    let calls = 0;
    let now = 0n;
    const j = new JitterSource({
      timer: () => {
        calls++;
        if (calls <= 2 * 128 + 10) now += BigInt(100 + (calls % 7));
        return now;
      },
    });
    expect(j.available()).toBe(true);
    let caught: unknown;
    try {
      j.read(100);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(EntropySourceError);
    expect((caught as EntropySourceError).code).toBe('ENTROPY_SOURCE_READ_FAILED');
    expect((caught as Error).message).toMatch(/delta 0 ns at sample 5 of 100/);
  });

  it('turns a timer that throws into a typed error, in the probe and in a read', () => {
    const broken = new JitterSource({
      timer: () => {
        throw new Error('no clock');
      },
    });
    expect(broken.unavailableReason()).toMatch(/workload or timer failed: no clock/);
    let calls = 0;
    let now = 0n;
    const later = new JitterSource({
      timer: () => {
        if (++calls > 2 * 128) throw new Error('clock gone');
        now += BigInt(100 + (calls % 5));
        return now;
      },
    });
    expect(later.available()).toBe(true);
    expect(codeOf(() => later.read(4))).toBe('ENTROPY_SOURCE_READ_FAILED');
  });

  it('rejects malformed requests', () => {
    expect(codeOf(() => new JitterSource().read(-1))).toBe('CRYPTO_INVALID_ARGUMENT');
  });
});
