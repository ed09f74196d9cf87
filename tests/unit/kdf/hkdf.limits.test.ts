/**
 * HKDF's fail-closed checks: output length bounds (RFC 5869 §2.3), PRK length, argument types, and the
 * salt semantics the module header documents.
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '@noble/hashes/utils.js';
import { CryptoError } from '../../../crypto/errors.js';
import { hkdf, hkdfExpand, hkdfExtract } from '../../../crypto/kdf/index.js';
import type { HashName } from '../../../crypto/hash.js';
import { thrown } from '../../helpers/thrown.js';

const HASHLEN: Record<HashName, number> = { sha256: 32, sha512: 64, 'sha3-512': 64 };
const BLOCKLEN: Record<HashName, number> = { sha256: 64, sha512: 128, 'sha3-512': 72 };
const ikm = new Uint8Array(22).fill(0x0b);
const info = Uint8Array.of(1, 2, 3);

describe('HKDF limits', () => {
  for (const hash of ['sha256', 'sha512', 'sha3-512'] as HashName[]) {
    const max = 255 * HASHLEN[hash];
    it(`${hash}: 0..${max} bytes served, ${max + 1}, -1 and 1.5 refused`, () => {
      expect(hkdf(hash, ikm, undefined, info, 0)).toHaveLength(0);
      expect(hkdf(hash, ikm, undefined, info, max)).toHaveLength(max);
      const prk = hkdfExtract(hash, ikm, undefined);
      expect(prk).toHaveLength(HASHLEN[hash]);
      expect(hkdfExpand(hash, prk, info, max)).toHaveLength(max);
      for (const bad of [max + 1, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        for (const fn of [() => hkdf(hash, ikm, undefined, info, bad), () => hkdfExpand(hash, prk, info, bad)]) {
          const e = thrown(fn);
          expect(e).toBeInstanceOf(CryptoError);
          expect(e.code).toBe('HKDF_LENGTH_OUT_OF_RANGE');
        }
      }
      expect(thrown(() => hkdf(hash, ikm, undefined, info, max + 1)).message).toBe(
        `HKDF output length ${max + 1} is out of range: RFC 5869 §2.3 allows an integer from 0 to 255·HashLen = ${max} bytes`,
      );
    });

    it(`${hash}: expand refuses a PRK shorter than HashLen`, () => {
      const e = thrown(() => hkdfExpand(hash, new Uint8Array(HASHLEN[hash] - 1), info, 16));
      expect(e).toBeInstanceOf(CryptoError);
      expect(e.code).toBe('HKDF_PRK_TOO_SHORT');
      expect(e.message).toBe(`HKDF PRK is ${HASHLEN[hash] - 1} bytes; RFC 5869 §2.3 requires at least HashLen = ${HASHLEN[hash]}`);
      expect(hkdfExpand(hash, new Uint8Array(HASHLEN[hash]), info, 16)).toHaveLength(16);
    });

    it(`${hash}: undefined salt ≡ empty salt ≡ HashLen zeros ≡ block-size zeros (HMAC zero-pads keys)`, () => {
      const expected = bytesToHex(hkdf(hash, ikm, undefined, info, 80));
      for (const salt of [new Uint8Array(), new Uint8Array(HASHLEN[hash]), new Uint8Array(BLOCKLEN[hash])]) {
        expect(bytesToHex(hkdf(hash, ikm, salt, info, 80))).toBe(expected);
        expect(bytesToHex(hkdfExtract(hash, ikm, salt))).toBe(bytesToHex(hkdfExtract(hash, ikm, undefined)));
      }
      // A zero key one byte longer than the block is hashed first, so it is a different key.
      expect(bytesToHex(hkdf(hash, ikm, new Uint8Array(BLOCKLEN[hash] + 1), info, 80))).not.toBe(expected);
      expect(bytesToHex(hkdf(hash, ikm, Uint8Array.of(1), info, 80))).not.toBe(expected);
    });
  }

  it('refuses unknown hashes and non-Uint8Array inputs with CRYPTO_INVALID_ARGUMENT', () => {
    const bad: (() => unknown)[] = [
      () => hkdf('sha1' as HashName, ikm, undefined, info, 32),
      () => hkdfExtract('md5' as HashName, ikm, undefined),
      () => hkdf('sha256', 'secret' as unknown as Uint8Array, undefined, info, 32),
      () => hkdf('sha256', ikm, [] as unknown as Uint8Array, info, 32),
      () => hkdf('sha256', ikm, undefined, null as unknown as Uint8Array, 32),
      () => hkdfExpand('sha256', new Uint8Array(32), undefined as unknown as Uint8Array, 32),
    ];
    for (const fn of bad) {
      const e = thrown(fn);
      expect(e).toBeInstanceOf(CryptoError);
      expect(e.code).toBe('CRYPTO_INVALID_ARGUMENT');
    }
  });

  it('does not modify or keep its inputs', () => {
    const salt = Uint8Array.of(9, 9, 9);
    const i2 = Uint8Array.from(ikm);
    const prk = hkdfExtract('sha512', i2, salt);
    const copy = Uint8Array.from(prk);
    hkdfExpand('sha512', prk, info, 200);
    expect(prk).toEqual(copy);
    expect(i2).toEqual(ikm);
    expect(salt).toEqual(Uint8Array.of(9, 9, 9));
  });
});
