import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../../crypto/clock.js';
import { InsufficientEntropyError } from '../../../../crypto/errors.js';
import type { SourceStatus } from '../../../../crypto/entropy/health/monitored-source.js';
import { EntropyPool, contributionDigest, hashDf } from '../../../../crypto/entropy/pool.js';
import { UniformStream, failsAfter, uniformSource, type ScriptedSource } from '../../../adversarial/entropy/fakes.js';

// An independent oracle on node:crypto's SHA3-512 for the pool's formulas (module header of pool.ts).
const lp = (s: string): Buffer => {
  const b = Buffer.from(s, 'utf8');
  const out = Buffer.alloc(4 + b.length);
  out.writeUInt32BE(b.length, 0);
  b.copy(out, 4);
  return out;
};
const ctr = (n: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
};
const sha3 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha3-512');
  for (const p of parts) h.update(p);
  return h.digest();
};
function oracleHashDf(input: Uint8Array, bytes: number): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 1; blocks.length * 64 < bytes; i++) {
    const header = Buffer.alloc(5);
    header[0] = i;
    header.writeUInt32BE(bytes * 8, 1);
    blocks.push(sha3(header, input));
  }
  return Buffer.concat(blocks).subarray(0, bytes);
}

function manualClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  return { monotonicMs: () => now, wallMs: () => now, advance: (ms) => void (now += ms) };
}

describe('pool formulas against a node:crypto oracle', () => {
  it('d_i = SHA3-512(lp(domain) ‖ lp(id) ‖ counter ‖ sample)', () => {
    const sample = new UniformStream('d').next(56);
    expect(Buffer.from(contributionDigest('os', 7n, sample))).toEqual(sha3(lp('hrng/pool/v1/source'), lp('os'), ctr(7n), sample));
  });

  it('Hash_df over SHA3-512 for 1, 48, 64, 65 and 200 bytes', () => {
    const input = new UniformStream('df').next(64);
    for (const n of [1, 48, 64, 65, 200])
      expect(Buffer.from(hashDf([input.subarray(0, 10), input.subarray(10)], n))).toEqual(oracleHashDf(input, n));
  });

  it('a whole draw equals the oracle: XOR of labelled digests, then Hash_df with the seed label and counter', () => {
    const a = uniformSource({ id: 'os', credit: 8 }, 'A');
    const b = uniformSource({ id: 'jitter', kind: 'raw', credit: 1 }, 'B');
    const aux = uniformSource({ id: 'auxiliary', credit: 0 }, 'C');
    const pool = new EntropyPool({ sources: [a, b, aux] });
    pool.startup();
    const draw = pool.draw(64);
    // Replay: each stream's first read was its start-up read.
    const sa = new UniformStream('A');
    sa.next(9 * 16);
    const sb = new UniformStream('B');
    sb.next(1024);
    const sc = new UniformStream('C');
    sc.next(9 * 16);
    const x = Buffer.alloc(64);
    const parts: [string, Uint8Array][] = [
      ['os', sa.next(56)],
      ['jitter', sb.next(448)],
      ['auxiliary', sc.next(64)],
    ];
    for (const [id, s] of parts) {
      const d = sha3(lp('hrng/pool/v1/source'), lp(id), ctr(1n), s);
      for (let i = 0; i < 64; i++) x[i] = (x[i] ?? 0) ^ (d[i] ?? 0);
    }
    expect(Buffer.from(draw.material)).toEqual(oracleHashDf(Buffer.concat([lp('hrng/pool/v1/seed'), ctr(1n), x]), 64));
    expect(draw.counter).toBe(1n);
    expect(draw.claimedBits).toBe(384);
    expect(draw.contributions).toEqual([
      { id: 'os', group: 'os', kind: 'conditioned', bytesRead: 56, creditedBits: 448 },
      { id: 'jitter', group: 'jitter', kind: 'raw', bytesRead: 448, creditedBits: 448 },
      { id: 'auxiliary', group: 'auxiliary', kind: 'conditioned', bytesRead: 64, creditedBits: 0 },
    ]);
    expect(pool.draw(48).counter).toBe(2n);
  });
});

describe('credit accounting and policy', () => {
  it('reads each credited source until its own credit covers the claim plus 64 bits', () => {
    const pool = new EntropyPool({ sources: [], policy: { minSources: 1 } });
    expect(pool.readBytesFor(uniformSource({ credit: 8 }))).toBe(56);
    expect(pool.readBytesFor(uniformSource({ credit: 4 }))).toBe(112);
    expect(pool.readBytesFor(uniformSource({ kind: 'raw', credit: 1 }))).toBe(448);
    expect(pool.readBytesFor(uniformSource({ kind: 'raw', credit: 0.5 }))).toBe(896);
    expect(pool.readBytesFor(uniformSource({ credit: 0 }))).toBe(64);
    const strict = new EntropyPool({ sources: [], policy: { minCreditedBits: 448 } });
    expect(strict.readBytesFor(uniformSource({ credit: 8 }))).toBe(64);
  });

  it('refuses with InsufficientEntropyError naming every source when too few credited sources are healthy', () => {
    const os = uniformSource({ id: 'os', credit: 8 });
    const jitter = failsAfter(1, { id: 'jitter', kind: 'raw', credit: 1 });
    const aux = uniformSource({ id: 'auxiliary', credit: 0 });
    const rdseed = uniformSource({ id: 'rdseed', credit: 4 });
    rdseed.isAvailable = false;
    const pool = new EntropyPool({ sources: [os, jitter, aux, rdseed] });
    pool.startup();
    const err = (() => {
      try {
        pool.draw(64);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(InsufficientEntropyError);
    const e = err as InsufficientEntropyError<SourceStatus>;
    expect(e.code).toBe('INSUFFICIENT_ENTROPY');
    expect(e.creditedSources).toBe(1);
    expect(e.message).toContain('jitter: available, quarantined, credit 1 bits/sample, last failure: repetition-count permanent');
    expect(e.message).toContain('rdseed: unavailable (unplugged by the test)');
    expect(e.message).toContain('auxiliary: available, healthy, credit 0 bits/byte');
    expect(e.sources.map((s) => [s.id, s.state])).toEqual([
      ['os', 'healthy'],
      ['jitter', 'quarantined'],
      ['auxiliary', 'healthy'],
      ['rdseed', 'unavailable'],
    ]);
  });

  it('zero-credit sources change the output but never count', () => {
    const pool = new EntropyPool({ sources: [uniformSource({ id: 'os' }), uniformSource({ id: 'aux', credit: 0 })] });
    pool.startup();
    expect(() => pool.draw(64)).toThrow(InsufficientEntropyError);
    const mk = (auxSeed: string): Uint8Array => {
      const p = new EntropyPool({
        sources: [uniformSource({ id: 'os' }, 'o'), uniformSource({ id: 'b' }, 'b'), uniformSource({ id: 'aux', credit: 0 }, auxSeed)],
      });
      p.startup();
      return p.draw(64).material;
    };
    expect(mk('x')).not.toEqual(mk('y'));
  });

  it('re-admits a quarantined source only after readmitAfterMs and a passing start-up', () => {
    const clock = manualClock();
    let stuck = false;
    const stream = new UniformStream('flaky');
    const flaky = uniformSource({ id: 'flaky' });
    const real = flaky.read.bind(flaky);
    flaky.read = (n: number) => (stuck ? (real(n), new Uint8Array(n).fill(3)) : (real(n), stream.next(n)));
    const pool = new EntropyPool({
      sources: [uniformSource({ id: 'os' }), flaky, uniformSource({ id: 'third' })],
      clock,
      policy: { readmitAfterMs: 1000 },
    });
    pool.startup();
    stuck = true;
    const first = pool.draw(64);
    expect(first.contributions.map((c) => c.id)).toEqual(['os', 'third']);
    stuck = false;
    clock.advance(999);
    expect(pool.draw(64).contributions.map((c) => c.id)).toEqual(['os', 'third']);
    clock.advance(1);
    expect(pool.draw(64).contributions.map((c) => c.id)).toEqual(['os', 'flaky', 'third']);
  });

  it('validates the policy and the request', () => {
    const typed = expect.objectContaining({ name: 'CryptoError', code: 'CRYPTO_INVALID_ARGUMENT' });
    expect(() => new EntropyPool({ sources: [], policy: { minCreditedBits: 200 } })).toThrow(
      expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }),
    );
    expect(() => new EntropyPool({ sources: [], policy: { minCreditedBits: 449 } })).toThrow(
      expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }),
    );
    expect(() => new EntropyPool({ sources: [], policy: { minSources: 0 } })).toThrow(
      expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }),
    );
    expect(() => new EntropyPool({ sources: [], policy: { alphaLog2: -10 } })).toThrow(typed);
    expect(() => new EntropyPool({ sources: [], policy: { readmitAfterMs: Number.NaN } })).toThrow(typed);
    expect(() => new EntropyPool({ sources: [uniformSource({ id: 'a' }), uniformSource({ id: 'a' })] })).toThrow(/share the id/);
    expect(() => new EntropyPool({ sources: [uniformSource({ id: 'a' }), uniformSource({ id: 'a' })] })).toThrow(typed);
    const pool = new EntropyPool({ sources: [] });
    expect(() => pool.draw(47)).toThrow(typed);
    expect(() => pool.draw(0)).toThrow(typed);
  });
});

describe('mixing properties', () => {
  const build = (order: number[]): Uint8Array => {
    const all: ScriptedSource[] = [
      uniformSource({ id: 'os' }, 's0'),
      uniformSource({ id: 'rdseed', credit: 4 }, 's1'),
      uniformSource({ id: 'jitter', kind: 'raw', credit: 1 }, 's2'),
      uniformSource({ id: 'auxiliary', credit: 0 }, 's3'),
    ];
    const pool = new EntropyPool({ sources: order.map((i) => all[i] as ScriptedSource) });
    pool.startup();
    pool.draw(64);
    return pool.draw(80).material;
  };

  it('the output does not depend on the order sources are read in (property)', () => {
    const reference = build([0, 1, 2, 3]);
    fc.assert(
      fc.property(fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 }), (order) => {
        expect(build(order)).toEqual(reference);
      }),
      { numRuns: 24 },
    );
  });

  it('a one-bit change in any one sample changes the output (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 55 }), fc.integer({ min: 0, max: 7 }), (byte, bit) => {
        const mk = (flip: boolean): Uint8Array => {
          const stream = new UniformStream('flip');
          const s = uniformSource({ id: 'os' }, 'flip');
          s.read = (n) => {
            const out = stream.next(n);
            if (flip && n === 56) out[byte] = (out[byte] ?? 0) ^ (1 << bit);
            return out;
          };
          const pool = new EntropyPool({ sources: [s, uniformSource({ id: 'b' }, 'b')] });
          pool.startup();
          return pool.draw(64).material;
        };
        expect(mk(true)).not.toEqual(mk(false));
      }),
      { numRuns: 30 },
    );
  });
});
