/**
 * The node:crypto oracle must itself be right before it can vouch for SHA3-512: it is checked here
 * against published CAVP (SHA-256, SHA-512) and ACVP (SHA3-512) vectors, independently of HmacDrbg.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { NodeHmacDrbgOracle } from './node-hmac-drbg-oracle.js';
import { HASH_NAMES, readVectorFile } from './vectors.js';

const cases: [string, boolean, boolean][] = [
  ['cavp/hmac_drbg_sha256_noreseed.json', false, false],
  ['cavp/hmac_drbg_sha512_reseed.json', true, false],
  ['cavp/hmac_drbg_sha512_pr.json', false, true],
  ['acvp/hmac_drbg_sha3-512_reseed_acvp.json', true, false],
  ['acvp/hmac_drbg_sha3-512_pr_acvp.json', false, true],
];

describe('node:crypto HMAC_DRBG oracle', () => {
  for (const [file, reseed, pr] of cases) {
    it(`reproduces ${file}`, () => {
      const vectors = readVectorFile(file).vectors;
      for (const v of vectors) {
        const hash = HASH_NAMES[v.hash];
        if (!hash) throw new Error(v.hash);
        const o = new NodeHmacDrbgOracle(hash, hexToBytes(v.entropyInput), hexToBytes(v.nonce), hexToBytes(v.personalizationString));
        if (reseed) o.reseed(hexToBytes(v.entropyInputReseed ?? ''), hexToBytes(v.additionalInputReseed ?? ''));
        let out: Uint8Array = new Uint8Array();
        for (let i = 0; i < 2; i++) {
          if (pr) {
            o.reseed(hexToBytes(v.entropyInputPR?.[i] ?? ''), hexToBytes(v.additionalInput[i] ?? ''));
            out = o.generate(v.returnedBitsLen / 8);
          } else {
            out = o.generate(v.returnedBitsLen / 8, hexToBytes(v.additionalInput[i] ?? ''));
          }
        }
        expect(bytesToHex(out)).toBe(v.returnedBits);
      }
    });
  }
});
