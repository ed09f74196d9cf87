import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ct } from '../../../crypto/index.js';
import { CryptoError } from '../../../crypto/errors.js';

// Naive references: obviously correct, not constant time.
const naiveEqual = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const naiveIsZero = (a: Uint8Array): boolean => a.every((x) => x === 0);
const naiveCompare = (a: Uint8Array, b: Uint8Array): number => {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

const sameLengthPair = fc
  .integer({ min: 0, max: 64 })
  .chain((n) => fc.tuple(fc.uint8Array({ minLength: n, maxLength: n }), fc.uint8Array({ minLength: n, maxLength: n })));

// Pairs that share a prefix, so differences deep in the array are exercised, not just at byte 0.
const nearPair = fc
  .tuple(fc.uint8Array({ minLength: 1, maxLength: 48 }), fc.nat(), fc.integer({ min: 1, max: 255 }))
  .map(([a, pos, delta]) => {
    const b = a.slice();
    const i = pos % a.length;
    b[i] = ((b[i] as number) + delta) & 0xff;
    return [a, b] as const;
  });

describe('ct.equal', () => {
  it('agrees with a naive comparison', () => {
    fc.assert(
      fc.property(sameLengthPair, ([a, b]) => {
        expect(ct.equal(a, b)).toBe(naiveEqual(a, b));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(nearPair, ([a, b]) => {
        expect(ct.equal(a, b)).toBe(false);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.uint8Array(), (a) => {
        expect(ct.equal(a, a.slice())).toBe(true);
      }),
    );
  });

  it('is false for unequal lengths, including a prefix', () => {
    expect(ct.equal(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2))).toBe(false);
    expect(ct.equal(new Uint8Array(0), Uint8Array.of(0))).toBe(false);
    expect(ct.equal(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  it('compares views by their contents, not their backing buffers', () => {
    const backing = Uint8Array.of(9, 1, 2, 3, 9, 9, 1, 2, 3, 7);
    expect(ct.equal(backing.subarray(1, 4), backing.subarray(6, 9))).toBe(true);
    expect(ct.equal(backing.subarray(0, 4), backing.subarray(6, 10))).toBe(false);
    expect(ct.equal(Buffer.from([1, 2]), Uint8Array.of(1, 2))).toBe(true);
  });
});

describe('ct.isZero', () => {
  it('agrees with a naive check', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (a) => {
        expect(ct.isZero(a)).toBe(naiveIsZero(a));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (n, pos, v) => {
        const a = new Uint8Array(n);
        expect(ct.isZero(a)).toBe(true);
        a[pos % n] = v;
        expect(ct.isZero(a)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('treats the empty array as zero', () => {
    expect(ct.isZero(new Uint8Array(0))).toBe(true);
    expect(ct.isZero(Uint8Array.of(0x80))).toBe(false);
    expect(ct.isZero(Uint8Array.of(0, 0, 1))).toBe(false);
  });
});

describe('ct.compare', () => {
  it('agrees with a naive lexicographic comparison and with Buffer.compare', () => {
    const check = ([a, b]: readonly [Uint8Array, Uint8Array]): void => {
      const r = ct.compare(a, b);
      expect(r).toBe(naiveCompare(a, b));
      expect(r).toBe(Buffer.compare(a, b));
      expect(ct.compare(b, a)).toBe(-r || 0);
    };
    fc.assert(fc.property(sameLengthPair, check), { numRuns: 500 });
    fc.assert(fc.property(nearPair, check), { numRuns: 500 });
  });

  it('lets the most significant difference win', () => {
    expect(ct.compare(Uint8Array.of(1, 255), Uint8Array.of(2, 0))).toBe(-1);
    expect(ct.compare(Uint8Array.of(2, 0), Uint8Array.of(1, 255))).toBe(1);
    expect(ct.compare(Uint8Array.of(0, 0, 1), Uint8Array.of(0, 0, 0))).toBe(1);
    expect(ct.compare(Uint8Array.of(255, 255), Uint8Array.of(255, 255))).toBe(0);
    expect(ct.compare(new Uint8Array(0), new Uint8Array(0))).toBe(0);
  });

  it('throws CT_LENGTH_MISMATCH on unequal lengths, naming only the lengths', () => {
    expect(() => ct.compare(Uint8Array.of(1), Uint8Array.of(1, 2))).toThrow(expect.objectContaining({ code: 'CT_LENGTH_MISMATCH' }));
    try {
      ct.compare(Uint8Array.of(0xab, 0xcd, 0xef), Uint8Array.of(1));
    } catch (e) {
      expect((e as CryptoError).code).toBe('CT_LENGTH_MISMATCH');
      expect((e as Error).message).toBe('ct.compare: inputs must have equal lengths (got 3 and 1)');
    }
  });
});

describe('ct.select', () => {
  it('returns a copy of a for 1 and of b for 0', () => {
    fc.assert(
      fc.property(sameLengthPair, ([a, b]) => {
        const one = ct.select(1, a, b);
        const zero = ct.select(0, a, b);
        expect(one).toEqual(a);
        expect(zero).toEqual(b);
        expect(one).not.toBe(a);
        expect(zero).not.toBe(b);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects choices other than 0 and 1, and unequal lengths', () => {
    const a = Uint8Array.of(1);
    const b = Uint8Array.of(2);
    for (const bad of [2, -1, 0xff, 0.5, Number.NaN, 3]) {
      expect(() => ct.select(bad, a, b)).toThrow(expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }));
    }
    expect(() => ct.select('1' as unknown as number, a, b)).toThrow(expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }));
    expect(() => ct.select(1, a, Uint8Array.of(1, 2))).toThrow(expect.objectContaining({ code: 'CT_LENGTH_MISMATCH' }));
  });

  it('rejects choices that ToInt32 wraps to 0 or 1 (2^32, 2^32 + 1, -2^32, 2^53 + 1)', () => {
    const a = Uint8Array.of(1);
    const b = Uint8Array.of(2);
    for (const bad of [2 ** 32, 2 ** 32 + 1, -(2 ** 32), -(2 ** 32) + 1, 2 ** 52 + 1, Number.POSITIVE_INFINITY]) {
      expect(() => ct.select(bad, a, b), String(bad)).toThrow(expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }));
    }
    expect(ct.select(-0, a, b)).toEqual(b);
  });
});
