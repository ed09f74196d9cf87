/**
 * HKDF properties over generated inputs: equal to node:crypto's hkdfSync (OpenSSL, an independent
 * implementation) for all three hashes, hkdf = expand ∘ extract, and shorter outputs are prefixes of
 * longer ones (RFC 5869 §2.3: T(1) ‖ T(2) ‖ …).
 */
import { hkdfSync } from 'node:crypto';
import { bytesToHex } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hkdf, hkdfExpand, hkdfExtract } from '../../crypto/kdf/index.js';
import type { HashName } from '../../crypto/hash.js';

const HASHLEN: Record<HashName, number> = { sha256: 32, sha512: 64, 'sha3-512': 64 };
const hashName = fc.constantFrom<HashName>('sha256', 'sha512', 'sha3-512');
const bytes = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max });
const input = hashName.chain((hash) =>
  fc.record({
    hash: fc.constant(hash),
    ikm: bytes(200),
    salt: fc.option(bytes(200), { nil: undefined }),
    info: bytes(300),
    length: fc.integer({ min: 0, max: 255 * HASHLEN[hash] }),
  }),
);

describe('HKDF properties', () => {
  it('equals node:crypto hkdfSync (salt undefined ↦ empty for node: HMAC pads both to zeros)', () => {
    fc.assert(
      fc.property(input, ({ hash, ikm, salt, info, length }) => {
        // node refuses keylen 0; the RFC allows it and gives an empty OKM.
        fc.pre(length > 0);
        const theirs = new Uint8Array(hkdfSync(hash, ikm, salt ?? new Uint8Array(), info, length));
        expect(bytesToHex(hkdf(hash, ikm, salt, info, length))).toBe(bytesToHex(theirs));
      }),
      { numRuns: 1000 },
    );
  });

  it('hkdf = expand(extract) and shorter outputs are prefixes of longer ones', () => {
    fc.assert(
      fc.property(input, fc.nat(), ({ hash, ikm, salt, info, length }, cut) => {
        const okm = hkdf(hash, ikm, salt, info, length);
        expect(bytesToHex(hkdfExpand(hash, hkdfExtract(hash, ikm, salt), info, length))).toBe(bytesToHex(okm));
        const shorter = length === 0 ? 0 : cut % length;
        expect(bytesToHex(hkdf(hash, ikm, salt, info, shorter))).toBe(bytesToHex(okm.subarray(0, shorter)));
      }),
      { numRuns: 300 },
    );
  });
});
