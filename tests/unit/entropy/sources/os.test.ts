import { describe, expect, it } from 'vitest';
import { EntropySourceError } from '../../../../crypto/entropy/source.js';
import { OsSource } from '../../../../crypto/entropy/sources/os.js';
import { MAX_READ_BYTES } from '../../../../crypto/entropy/sources/request.js';

describe('OsSource', () => {
  const os = new OsSource();

  it('is a conditioned source credited 8 bits per byte', () => {
    expect(os.id).toBe('os');
    expect(os.kind).toBe('conditioned');
    expect(os.creditBitsPerByte).toBe(8);
    expect(os.available()).toBe(true);
  });

  it('returns exactly the bytes asked for, as a plain Uint8Array', () => {
    for (const n of [0, 1, 7, 8, 9, 33, 4096, 65537]) {
      const out = os.read(n);
      expect(out).toBeInstanceOf(Uint8Array);
      expect(Buffer.isBuffer(out)).toBe(false);
      expect(out.length).toBe(n);
    }
  });

  it('gives different bytes on every read', () => {
    const a = os.read(32);
    const b = os.read(32);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(a.some((x) => x !== 0)).toBe(true);
  });

  it('rejects malformed requests with CRYPTO_INVALID_ARGUMENT', () => {
    for (const n of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_READ_BYTES + 1]) {
      let caught: unknown;
      try {
        os.read(n);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(EntropySourceError);
      expect((caught as EntropySourceError).code).toBe('CRYPTO_INVALID_ARGUMENT');
      expect((caught as EntropySourceError).sourceId).toBe('os');
    }
  });
});
