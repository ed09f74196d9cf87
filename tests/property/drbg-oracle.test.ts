/**
 * HmacDrbg ≡ an independent node:crypto HMAC_DRBG (tests/unit/drbg/node-hmac-drbg-oracle.ts) over
 * thousands of generated histories: input lengths on both sides of the hash block sizes (64, 72, 128),
 * request sizes at the output-block edges (1, 63, 64, 65, multiples of 64, 65536), empty and absent
 * additional input, reseeds interleaved. This is the SHA3-512 proof CAVP cannot give.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HmacDrbg } from '../../crypto/drbg/index.js';
import type { DrbgHash } from '../../crypto/drbg/index.js';
import { NodeHmacDrbgOracle } from '../unit/drbg/node-hmac-drbg-oracle.js';

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
/** Lengths that straddle HMAC block boundaries: a key or message of exactly 64/72/128 bytes ± 1. */
const edgyBytes = (min: number) =>
  fc.oneof(
    bytes(min, min + 40),
    fc
      .constantFrom(63, 64, 65, 71, 72, 73, 127, 128, 129, 200, 300)
      .filter((n) => n >= min)
      .chain((n) => bytes(n, n)),
  );
const additional = fc.option(fc.oneof(fc.constant(new Uint8Array()), edgyBytes(1)), { nil: undefined });
const requestSize = fc.oneof(
  fc.constantFrom(1, 31, 32, 33, 63, 64, 65, 127, 128, 129, 192, 256, 1024, 4096),
  fc.integer({ min: 1, max: 64 }).map((k) => 64 * k),
  fc.integer({ min: 1, max: 3000 }),
);
const op = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('generate' as const), n: requestSize, ai: additional }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reseed' as const), entropy: edgyBytes(32), ai: additional }) },
);
const history = fc.record({
  entropy: edgyBytes(32),
  nonce: edgyBytes(16),
  personalization: fc.option(fc.oneof(fc.constant(new Uint8Array()), edgyBytes(1)), { nil: undefined }),
  ops: fc.array(op, { minLength: 1, maxLength: 6 }),
});

type History = typeof history extends fc.Arbitrary<infer T> ? T : never;

function agree(hash: DrbgHash, h: History): void {
  const mine = new HmacDrbg({
    hash,
    entropy: h.entropy,
    nonce: h.nonce,
    ...(h.personalization ? { personalization: h.personalization } : {}),
  });
  const oracle = new NodeHmacDrbgOracle(hash, h.entropy, h.nonce, h.personalization);
  for (const o of h.ops) {
    if (o.kind === 'reseed') {
      mine.reseed(o.entropy, o.ai);
      oracle.reseed(o.entropy, o.ai);
    } else {
      expect(bytesToHex(mine.generate(o.n, o.ai))).toBe(bytesToHex(oracle.generate(o.n, o.ai)));
    }
    expect(mine.reseedCounter).toBe(oracle.reseedCounter);
  }
  mine.destroy();
}

describe('HmacDrbg agrees with the node:crypto oracle', () => {
  it('SHA3-512: 3000 generated histories', () => {
    fc.assert(
      fc.property(history, (h) => agree('sha3-512', h)),
      { numRuns: 3000 },
    );
  });
  it('SHA-512 and SHA-256: 500 histories each', () => {
    fc.assert(
      fc.property(history, (h) => agree('sha512', h)),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(history, (h) => agree('sha256', h)),
      { numRuns: 500 },
    );
  });
  it('65536-byte requests (the Table 2 maximum), with and without additional input', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<DrbgHash>('sha256', 'sha512', 'sha3-512'),
        edgyBytes(32),
        bytes(16, 40),
        additional,
        (hash, entropy, nonce, ai) => {
          const mine = new HmacDrbg({ hash, entropy, nonce });
          const oracle = new NodeHmacDrbgOracle(hash, entropy, nonce);
          expect(bytesToHex(mine.generate(65536, ai))).toBe(bytesToHex(oracle.generate(65536, ai)));
          expect(bytesToHex(mine.generate(64, ai))).toBe(bytesToHex(oracle.generate(64, ai)));
        },
      ),
      { numRuns: 12 },
    );
  });
});
