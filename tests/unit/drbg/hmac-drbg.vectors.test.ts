/**
 * HmacDrbg against every published HMAC_DRBG vector in tests/vectors/hmac_drbg: NIST CAVP (CAVS 14.3,
 * SHA-256 and SHA-512: no reseed, reseed, prediction resistance) and NIST ACVP sample sets (SHA-256,
 * SHA-512, SHA3-512: reseed, prediction resistance), run with the CAVP procedure of the vectors README.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { HmacDrbg } from '../../../crypto/drbg/index.js';
import { HASH_NAMES, loadVectorDir } from './vectors.js';
import type { DrbgVector, DrbgVectorFile } from './vectors.js';

/** An empty hex string is a zero-length input, which SP 800-90A treats as Null. */
const optional = (hex: string | undefined): Uint8Array | undefined => (hex ? hexToBytes(hex) : undefined);

function run(v: DrbgVector, file: DrbgVectorFile): string {
  const hash = HASH_NAMES[v.hash];
  if (hash === undefined) throw new Error(`unsupported hash ${v.hash}`);
  const personalization = optional(v.personalizationString);
  const drbg = new HmacDrbg({
    hash,
    entropy: hexToBytes(v.entropyInput),
    nonce: hexToBytes(v.nonce),
    ...(personalization ? { personalization } : {}),
  });
  const bytes = v.returnedBitsLen / 8;
  if (file.reseed) {
    if (v.entropyInputReseed === undefined) throw new Error('reseed vector without entropyInputReseed');
    drbg.reseed(hexToBytes(v.entropyInputReseed), optional(v.additionalInputReseed));
  }
  let out: Uint8Array = new Uint8Array();
  for (let i = 0; i < 2; i++) {
    if (file.predictionResistance) {
      const pr = v.entropyInputPR?.[i];
      if (pr === undefined) throw new Error('PR vector without entropyInputPR');
      drbg.reseed(hexToBytes(pr), optional(v.additionalInput[i]));
      out = drbg.generate(bytes);
    } else {
      out = drbg.generate(bytes, optional(v.additionalInput[i]));
    }
  }
  drbg.destroy();
  return bytesToHex(out);
}

const files = [...loadVectorDir('cavp'), ...loadVectorDir('acvp')];

describe('HMAC_DRBG published vectors', () => {
  it('has all twelve vector files, 630 vectors in total', () => {
    expect(files.map((f) => f.file)).toHaveLength(12);
    expect(files.reduce((n, f) => n + f.data.vectors.length, 0)).toBe(6 * 60 + 6 * 45);
  });

  for (const { file, data } of files) {
    it(`${file}: every vector`, () => {
      expect(data.vectors.length).toBeGreaterThan(0);
      for (const [i, v] of data.vectors.entries()) {
        expect(run(v, data), `${file} #${i} ${v.id ?? ''}`).toBe(v.returnedBits);
      }
    });
  }
});
