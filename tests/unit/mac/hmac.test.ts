import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { hmac, hmacVerify, Secret, SecretDisposedError, UnknownHashError } from '../../../crypto/index.js';
import type { HashName } from '../../../crypto/index.js';

// RFC 4231 test case 2 (key "Jefe") and test case 6 (131-byte key, longer than the SHA-256 block).
const jefe = utf8ToBytes('Jefe');
const whatDo = utf8ToBytes('what do ya want for nothing?');
const longKey = new Uint8Array(131).fill(0xaa);
const tc6 = utf8ToBytes('Test Using Larger Than Block-Size Key - Hash Key First');

describe('hmac', () => {
  it('matches RFC 4231 test case 2', () => {
    expect(bytesToHex(hmac('sha256', jefe, whatDo))).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(bytesToHex(hmac('sha512', jefe, whatDo))).toBe(
      '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
    );
  });

  it('matches RFC 4231 test case 6 (key longer than the block)', () => {
    expect(bytesToHex(hmac('sha256', longKey, tc6))).toBe('60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
  });

  it('agrees with node:crypto for every hash, including SHA3-512 (72-byte block)', () => {
    const node: Record<HashName, string> = { sha256: 'sha256', sha512: 'sha512', 'sha3-512': 'sha3-512' };
    fc.assert(
      fc.property(
        fc.constantFrom<HashName>('sha256', 'sha512', 'sha3-512'),
        fc.uint8Array({ maxLength: 200 }),
        fc.uint8Array({ maxLength: 300 }),
        (hash, key, msg) => {
          const expected = createHmac(node[hash], key).update(msg).digest('hex');
          expect(bytesToHex(hmac(hash, key, msg))).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('takes a Secret key without disposing it', () => {
    const key = Secret.from(jefe.slice());
    expect(bytesToHex(hmac('sha256', key, whatDo))).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(key.disposed).toBe(false);
    key.dispose();
    expect(() => hmac('sha256', key, whatDo)).toThrow(SecretDisposedError);
  });
});

describe('hmacVerify', () => {
  const tag = hexToBytes('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');

  it('accepts the right tag, from a plain or a Secret key', () => {
    expect(hmacVerify('sha256', jefe, whatDo, tag)).toBe(true);
    expect(hmacVerify('sha256', Secret.from(jefe.slice()), whatDo, tag)).toBe(true);
  });

  it('rejects a tag with any single bit flipped', () => {
    for (let i = 0; i < tag.length * 8; i++) {
      const bad = tag.slice();
      bad[i >> 3] = (bad[i >> 3] as number) ^ (1 << (i & 7));
      expect(hmacVerify('sha256', jefe, whatDo, bad)).toBe(false);
    }
  });

  it('rejects truncated, extended and empty tags, and the wrong message or key', () => {
    expect(hmacVerify('sha256', jefe, whatDo, tag.subarray(0, 16))).toBe(false);
    expect(hmacVerify('sha256', jefe, whatDo, Uint8Array.of(...tag, 0))).toBe(false);
    expect(hmacVerify('sha256', jefe, whatDo, new Uint8Array(0))).toBe(false);
    expect(hmacVerify('sha256', jefe, utf8ToBytes('what do ya want for nothing!'), tag)).toBe(false);
    expect(hmacVerify('sha256', utf8ToBytes('Jeff'), whatDo, tag)).toBe(false);
    expect(hmacVerify('sha512', jefe, whatDo, tag)).toBe(false);
  });

  it('round-trips for random keys and messages', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<HashName>('sha256', 'sha512', 'sha3-512'),
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.uint8Array({ maxLength: 100 }),
        fc.nat(),
        (hash, key, msg, flip) => {
          const t = hmac(hash, key, msg);
          expect(hmacVerify(hash, key, msg, t)).toBe(true);
          const bad = t.slice();
          const i = flip % bad.length;
          bad[i] = (bad[i] as number) ^ 0x01;
          expect(hmacVerify(hash, key, msg, bad)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('throws typed errors for unknown hashes (incl. inherited property names) and non-byte inputs', () => {
    for (const name of ['md5', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(() => hmac(name as HashName, jefe, whatDo), name).toThrow(UnknownHashError);
      expect(() => hmacVerify(name as HashName, jefe, whatDo, new Uint8Array(32)), name).toThrow(UnknownHashError);
    }
    try {
      hmac('constructor' as HashName, jefe, whatDo);
    } catch (e) {
      expect((e as UnknownHashError).code).toBe('UNKNOWN_HASH');
    }
    const bad = (v: unknown): Uint8Array => v as Uint8Array;
    const invalid = expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' });
    expect(() => hmac('sha256', bad('key'), whatDo)).toThrow(invalid);
    expect(() => hmac('sha256', jefe, bad('message'))).toThrow(invalid);
    expect(() => hmacVerify('sha256', jefe, whatDo, bad('x'.repeat(32)))).toThrow(invalid);
    expect(() => hmacVerify('sha256', jefe, whatDo, bad(null))).toThrow(invalid);
    expect(() => hmac('sha256', bad('key'), whatDo)).toThrow(/HMAC key/);
  });
});
