/**
 * The published HMAC_DRBG vectors in tests/vectors/hmac_drbg (NIST CAVP and ACVP, converted to JSON):
 * their record shape, the vectors' hash names mapped to ours, and loading.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DrbgHash } from '../../../crypto/drbg/index.js';

export interface DrbgVector {
  hash: string;
  id?: string;
  entropyInput: string;
  nonce: string;
  personalizationString: string;
  additionalInput: [string, string];
  entropyInputPR?: [string, string];
  entropyInputReseed?: string;
  additionalInputReseed?: string;
  returnedBitsLen: number;
  returnedBits: string;
}

export interface DrbgVectorFile {
  hash: string;
  predictionResistance: boolean;
  reseed: boolean;
  vectors: DrbgVector[];
}

/** The vectors' hash names (`SHA-256` …) as HmacDrbg and the oracle name them. */
export const HASH_NAMES: Readonly<Record<string, DrbgHash>> = { 'SHA-256': 'sha256', 'SHA-512': 'sha512', 'SHA3-512': 'sha3-512' };

const root = join(import.meta.dirname, '../../vectors/hmac_drbg');

/** One vector file, by its path under tests/vectors/hmac_drbg (e.g. `cavp/hmac_drbg_sha512_pr.json`). */
export function readVectorFile(file: string): DrbgVectorFile {
  return JSON.parse(readFileSync(join(root, file), 'utf8')) as DrbgVectorFile;
}

/** Every vector file in one directory of tests/vectors/hmac_drbg (`cavp`, `acvp`), sorted by name. */
export function loadVectorDir(dir: string): { file: string; data: DrbgVectorFile }[] {
  return readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: `${dir}/${f}`, data: readVectorFile(`${dir}/${f}`) }));
}
