/**
 * Share format v1 is pinned: shares made before the authenticated path was made cheaper (one nonce
 * request, one commitment per share, the public set id on OpenSSL's SHA3-256) are byte-identical to the
 * shares made now from the same randomness, and still inspect and combine. The set id over public bytes
 * equals @noble/hashes' SHA3-256 of the same input; sealShares asks its RandomSource once for all nonces.
 */
import { sha3_256 } from '@noble/hashes/sha3.js';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RandomSource } from '../../../crypto/drbg/random-source.js';
import {
  combineShares,
  commitShare,
  inspectShare,
  sealShares,
  SHARE_FORMAT_VERSION,
  shareSetId,
  splitSecret,
  type ShareCommitment,
} from '../../../crypto/sharing/authenticated.js';
import { splitRaw } from '../../../crypto/sharing/shamir.js';
import { thrown } from '../../helpers/thrown.js';
import { testRng } from './helpers.js';

/** A linear congruential byte stream: the same bytes however the requests are cut. */
function stream(seed: number): RandomSource {
  let c = seed;
  return {
    randomBytes(n: number): Uint8Array {
      const o = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        c = (Math.imul(c, 1103515245) + 12345) >>> 0;
        o[i] = c >>> 24;
      }
      return o;
    },
  };
}

// 2-of-3 shares of 01 08 0f 16 from stream(2003), made by the code at 8a69a73 (before this change).
const V1_SHARES = [
  '48525353010203a3bcaa71e64109893bbdae88d8094327d20004b0fb77d2bf03bc418892115e916bd228ec3aa2250821b25d1380183f18d13b90d9be0232a3c206110020ace5be7850e2cc528a34925a1b0799769264bcd1a4473e3d356ad3b4b52ab51c1899c2550af432ef1fd930927dba3c160e9357d49f42f430fcf80136364fa25f70599fee00ebe17b5f85cbd026f193fde031df5ccb8671bba359aaa10e',
  '48525353010203b4bcaa71e64109893bbdae88d8094327d20004c4f82e42794f6dcc2873625e0f7cb0114f250eed08274b5e5fb3b677a3d606249ebaa1a1a3c206110020ace5be7850e2cc528a34925a1b0799769264bcd1a4473e3d356ad3b4b52ab51c1899c2550af432ef1fd930927dba3c160e9357d49f42f430fcf80136364fa25f70599fee00ebe17b5f85cbd026f193fde031df5ccb8671bba359aaa10e',
  '4852535301020336bcaa71e64109893bbdae88d8094327d20004763a851aa98304303944fc6f9648c4021ca8cfd877f559964d5ff23e6da4d098b63fcbada3c206110020ace5be7850e2cc528a34925a1b0799769264bcd1a4473e3d356ad3b4b52ab51c1899c2550af432ef1fd930927dba3c160e9357d49f42f430fcf80136364fa25f70599fee00ebe17b5f85cbd026f193fde031df5ccb8671bba359aaa10e',
];
// SHA-256 over the concatenated shares of splitSecret(i·7 + 1 for i < L, {k, n}, stream(1000k + n)) at 8a69a73.
const V1_DIGESTS = [
  [2, 3, 4, '1b342b45533ac42001ec24a4e1f5ddd4ed3593f9d9166dd6ae2f074da576f50d'],
  [3, 5, 32, '78bd07fbb479c763dcfa15e72e09b1246450c68a0a75c283bd1c36ceaebb5597'],
  [128, 255, 32, 'fc16c7812d0933225cd36d26c941bc899dce8c7896f46fd720d8bf3ac8b3ec1d'],
] as const;

const fromHex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

describe('share format v1', () => {
  it('is still version 1', () => {
    expect(SHARE_FORMAT_VERSION).toBe(1);
  });

  it('shares made by the earlier code inspect and combine', () => {
    const shares = V1_SHARES.map(fromHex);
    expect(shares.map((s) => inspectShare(s).x)).toEqual(shares.map((s) => s[7]));
    expect(inspectShare(shares[0] as Uint8Array)).toMatchObject({ version: 1, threshold: 2, shares: 3, secretLength: 4 });
    for (const pair of [
      [0, 1],
      [1, 2],
      [2, 0],
    ])
      expect(Array.from(combineShares(pair.map((i) => shares[i] as Uint8Array)))).toEqual([1, 8, 15, 22]);
  });

  it('the same randomness gives byte-identical shares', () => {
    const now = splitSecret(Uint8Array.from([1, 8, 15, 22]), { threshold: 2, shares: 3 }, stream(2003));
    expect(now.map((s) => Buffer.from(s).toString('hex'))).toEqual(V1_SHARES);
    for (const [k, n, L, digest] of V1_DIGESTS) {
      const secret = Uint8Array.from({ length: L }, (_, i) => (i * 7 + 1) & 0xff);
      const h = createHash('sha256');
      for (const s of splitSecret(secret, { threshold: k, shares: n }, stream(k * 1000 + n))) h.update(s);
      expect(h.digest('hex'), `${k}-of-${n}`).toBe(digest);
    }
  });

  it('the set id (OpenSSL SHA3-256 over public bytes) equals noble SHA3-256 of the same input', () => {
    const label = Uint8Array.from([0, 0, 0, 19, ...Buffer.from('hrng/sharing/v1/set')]);
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 255 }),
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (k, L, seed) => {
          const rng = stream(seed);
          const n = Math.min(255, k + (seed % 9));
          const commitments: ShareCommitment[] = Array.from({ length: n }, (_, j) => ({ x: j + 1, commitment: rng.randomBytes(32) }));
          const input = [...label, 1, k, n, L >>> 8, L & 0xff, ...commitments.flatMap((c) => [c.x, ...c.commitment])];
          expect(Array.from(shareSetId(commitments, k, L))).toEqual(Array.from(sha3_256(Uint8Array.from(input)).subarray(0, 16)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a commitment (OpenSSL one-shot SHA3-256 over secret y) equals noble SHA3-256 of the same input', () => {
    const label = Uint8Array.from([0, 0, 0, 21, ...Buffer.from('hrng/sharing/v1/share')]);
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 255 }),
        fc.integer({ min: 0, max: 253 }),
        fc.integer({ min: 1, max: 255 }),
        fc.uint8Array({ minLength: 1, maxLength: 700 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (k, extra, x, y, nonce) => {
          const n = Math.min(255, k + extra);
          const input = [...label, 1, k, n, y.length >>> 8, y.length & 0xff, x, ...nonce, ...y];
          const before = Uint8Array.from(y);
          expect(Array.from(commitShare({ x, y }, nonce, k, n))).toEqual(Array.from(sha3_256(Uint8Array.from(input))));
          // The caller's y is read, not consumed: only our own scratch copy is zeroed.
          expect(Array.from(y)).toEqual(Array.from(before));
        },
      ),
      { numRuns: 80 },
    );
  });

  it('sealShares asks its RandomSource once, for all n nonces', () => {
    const raw = splitRaw(Uint8Array.from([9, 9, 9]), 3, 7, testRng('format-v1'));
    const inner = testRng('format-v1-nonces');
    const requests: number[] = [];
    const counting: RandomSource = {
      randomBytes(n: number): Uint8Array {
        requests.push(n);
        return inner.randomBytes(n);
      },
    };
    const shares = sealShares(raw, 3, counting);
    expect(requests).toEqual([7 * 32]);
    expect(Array.from(combineShares(shares.slice(2, 5)))).toEqual([9, 9, 9]);
  });

  it('sealShares refuses a repeated x, mixed lengths and k above n before drawing anything', () => {
    const raw = splitRaw(Uint8Array.from([1, 2]), 2, 3, testRng('format-v1-bad'));
    const never: RandomSource = {
      randomBytes(): Uint8Array {
        throw new Error('must not be reached');
      },
    };
    const dup = [raw[0]!, { x: raw[0]!.x, y: raw[1]!.y }, raw[2]!];
    expect(thrown(() => sealShares(dup, 2, never)).code).toBe('CRYPTO_INVALID_ARGUMENT');
    expect(thrown(() => sealShares([raw[0]!, { x: raw[1]!.x, y: new Uint8Array(3) }], 2, never)).message).toBe(
      'raw[1].y must be 2 bytes, got 3',
    );
    expect(thrown(() => sealShares(raw, 4, never)).message).toBe('commitments.length must be within 4..255, got 3');
  });
});
