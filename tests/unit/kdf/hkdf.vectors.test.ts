/**
 * HKDF against RFC 5869 Appendix A (all seven cases, A.4–A.7 over SHA-1 through the module's CHash
 * entry points) and every Wycheproof HKDF-SHA-256 / HKDF-SHA-512 case, valid and invalid.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha1 } from '@noble/hashes/legacy.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { hkdf, hkdfExpand, hkdfExtract } from '../../../crypto/kdf/index.js';
import { hkdfExpandWith, hkdfExtractWith, hkdfWith } from '../../../crypto/kdf/hkdf.js';
import type { HashName } from '../../../crypto/hash.js';

const dir = join(import.meta.dirname, '../../vectors/hkdf');

interface RfcVector {
  tcId: number;
  rfcSection: string;
  hash: 'SHA-256' | 'SHA-1';
  ikm: string;
  salt: string;
  info: string;
  L: number;
  prk: string;
  okm: string;
  saltNotProvided?: boolean;
}
interface WycheproofFile {
  algorithm: string;
  numberOfTests: number;
  testGroups: {
    tests: { tcId: number; ikm: string; salt: string; info: string; size: number; okm: string; result: string; flags: string[] }[];
  }[];
}

const rfc = (JSON.parse(readFileSync(join(dir, 'rfc5869.json'), 'utf8')) as { vectors: RfcVector[] }).vectors;

describe('HKDF: RFC 5869 Appendix A', () => {
  it('has all seven cases', () => {
    expect(rfc.map((v) => v.rfcSection)).toEqual(['A.1', 'A.2', 'A.3', 'A.4', 'A.5', 'A.6', 'A.7']);
  });

  for (const v of rfc) {
    it(`${v.rfcSection} (${v.hash}${v.saltNotProvided ? ', salt not provided' : ''})`, () => {
      const ikm = hexToBytes(v.ikm);
      const salt = v.saltNotProvided ? undefined : hexToBytes(v.salt);
      const info = hexToBytes(v.info);
      if (v.hash === 'SHA-256') {
        const prk = hkdfExtract('sha256', ikm, salt);
        expect(bytesToHex(prk)).toBe(v.prk);
        expect(bytesToHex(hkdfExpand('sha256', prk, info, v.L))).toBe(v.okm);
        expect(bytesToHex(hkdf('sha256', ikm, salt, info, v.L))).toBe(v.okm);
      } else {
        const prk = hkdfExtractWith(sha1, ikm, salt);
        expect(bytesToHex(prk)).toBe(v.prk);
        expect(bytesToHex(hkdfExpandWith(sha1, prk, info, v.L))).toBe(v.okm);
        expect(bytesToHex(hkdfWith(sha1, ikm, salt, info, v.L))).toBe(v.okm);
      }
    });
  }

  it('A.7: "not provided" equals an explicit empty salt and HashLen zero bytes', () => {
    const v = rfc.find((x) => x.saltNotProvided);
    if (!v) throw new Error('A.7 missing');
    const ikm = hexToBytes(v.ikm);
    for (const salt of [undefined, new Uint8Array(), new Uint8Array(20)]) {
      expect(bytesToHex(hkdfWith(sha1, ikm, salt, new Uint8Array(), v.L))).toBe(v.okm);
    }
  });
});

for (const [file, hash] of [
  ['hkdf_sha256_test.json', 'sha256'],
  ['hkdf_sha512_test.json', 'sha512'],
] as [string, HashName][]) {
  describe(`HKDF: Wycheproof ${file}`, () => {
    const data = JSON.parse(readFileSync(join(dir, 'wycheproof', file), 'utf8')) as WycheproofFile;
    const tests = data.testGroups.flatMap((g) => g.tests);

    it(`runs all ${data.numberOfTests} cases`, () => {
      expect(tests).toHaveLength(data.numberOfTests);
      expect(tests.filter((t) => t.result === 'invalid').length).toBeGreaterThan(0);
    });

    it('valid cases give the expected OKM (one-shot and split)', () => {
      for (const t of tests.filter((x) => x.result === 'valid')) {
        const ikm = hexToBytes(t.ikm);
        const salt = hexToBytes(t.salt);
        const info = hexToBytes(t.info);
        expect(bytesToHex(hkdf(hash, ikm, salt, info, t.size)), `tcId ${t.tcId}`).toBe(t.okm);
        expect(bytesToHex(hkdfExpand(hash, hkdfExtract(hash, ikm, salt), info, t.size)), `tcId ${t.tcId}`).toBe(t.okm);
      }
    });

    it('invalid cases (size over 255·HashLen) are refused with HKDF_LENGTH_OUT_OF_RANGE', () => {
      for (const t of tests.filter((x) => x.result === 'invalid')) {
        expect(t.flags).toContain('SizeTooLarge');
        const args = [hexToBytes(t.ikm), hexToBytes(t.salt), hexToBytes(t.info)] as const;
        expect(() => hkdf(hash, ...args, t.size), `tcId ${t.tcId}`).toThrow(expect.objectContaining({ code: 'HKDF_LENGTH_OUT_OF_RANGE' }));
        const prk = hkdfExtract(hash, args[0], args[1]);
        expect(() => hkdfExpand(hash, prk, args[2], t.size)).toThrow(expect.objectContaining({ code: 'HKDF_LENGTH_OUT_OF_RANGE' }));
      }
    });
  });
}
