/**
 * The keystore KDF floors (RFC 9106 §4's second profile; scrypt n ≥ 2^15, r ≥ 8) and work ceilings, on
 * write and on open, with typed errors naming the parameter. No KDF runs at full cost here: refusals
 * happen before any work, and the one accepted file uses the explicit test-only option.
 */
import { describe, expect, it } from 'vitest';
import { KeystoreKdfError } from '../../../crypto/errors.js';
import { generateKey } from '../../../crypto/keys/generate.js';
import { ARGON2ID_RECOMMENDED, DEFAULT_KDF, KDF_LIMITS, checkKdfParams, type KdfParams } from '../../../crypto/keys/keystore-kdf.js';
import { decryptKeystore, encryptKeystore } from '../../../crypto/keys/keystore.js';
import { nodeRandom } from './helpers.js';

const pass = new TextEncoder().encode('pw');

function refusal(params: KdfParams, opts = {}): { code: string; parameter: string } | 'accepted' {
  try {
    checkKdfParams(params, opts);
    return 'accepted';
  } catch (err) {
    expect(err).toBeInstanceOf(KeystoreKdfError);
    const e = err as KeystoreKdfError;
    expect(e.message).toContain(`${e.parameter} = `);
    return { code: e.code, parameter: e.parameter };
  }
}

describe('KDF floors and ceilings (truth table)', () => {
  const WEAK = 'KEYSTORE_KDF_TOO_WEAK';
  const COSTLY = 'KEYSTORE_KDF_TOO_COSTLY';
  const rows: [KdfParams, ReturnType<typeof refusal>][] = [
    [DEFAULT_KDF, 'accepted'],
    [{ function: 'scrypt', n: 2 ** 15, r: 8, p: 1 }, 'accepted'],
    [
      { function: 'scrypt', n: 2 ** 14, r: 8, p: 1 },
      { code: WEAK, parameter: 'n' },
    ],
    [
      { function: 'scrypt', n: 2 ** 18, r: 4, p: 1 },
      { code: WEAK, parameter: 'r' },
    ],
    [{ function: 'scrypt', n: 2 ** 20, r: 8, p: 1 }, 'accepted'],
    [
      { function: 'scrypt', n: 2 ** 20, r: 8, p: 2 },
      { code: COSTLY, parameter: 'n·r·p' },
    ],
    [
      { function: 'scrypt', n: 2 ** 18, r: 8, p: 16 },
      { code: COSTLY, parameter: 'n·r·p' },
    ],
    [
      { function: 'scrypt', n: 2 ** 21, r: 8, p: 1 },
      { code: COSTLY, parameter: 'n·r' },
    ],
    [
      { function: 'scrypt', n: 2 ** 15, r: 33, p: 1 },
      { code: COSTLY, parameter: 'r' },
    ],
    [ARGON2ID_RECOMMENDED, 'accepted'],
    [{ function: 'argon2id', m: 65536, t: 3, p: 1 }, 'accepted'],
    [
      { function: 'argon2id', m: 65535, t: 3, p: 4 },
      { code: WEAK, parameter: 'm' },
    ],
    [
      { function: 'argon2id', m: 65536, t: 2, p: 4 },
      { code: WEAK, parameter: 't' },
    ],
    [{ function: 'argon2id', m: 65536, t: 12, p: 4 }, 'accepted'],
    [
      { function: 'argon2id', m: 65536, t: 13, p: 4 },
      { code: COSTLY, parameter: 'm·t' },
    ],
    [
      { function: 'argon2id', m: 2 ** 21, t: 3, p: 4 },
      { code: COSTLY, parameter: 'm' },
    ],
    [
      { function: 'argon2id', m: 65536, t: 3, p: 17 },
      { code: COSTLY, parameter: 'p' },
    ],
  ];
  it.each(rows)('%o → %o', (params, expected) => {
    expect(refusal(params)).toEqual(expected);
  });

  it('the test-only option lifts the floors, never the ceilings', () => {
    expect(refusal({ function: 'scrypt', n: 16, r: 1, p: 1 }, { insecureTestKdf: true })).toBe('accepted');
    expect(refusal({ function: 'argon2id', m: 8, t: 1, p: 1 }, { insecureTestKdf: true })).toBe('accepted');
    expect(refusal({ function: 'scrypt', n: 2 ** 21, r: 8, p: 1 }, { insecureTestKdf: true })).toEqual({
      code: 'KEYSTORE_KDF_TOO_COSTLY',
      parameter: 'n·r',
    });
    expect(refusal({ function: 'argon2id', m: 65536, t: 13, p: 4 }, { insecureTestKdf: true })).toEqual({
      code: 'KEYSTORE_KDF_TOO_COSTLY',
      parameter: 'm·t',
    });
  });

  it('the limits are the documented numbers', () => {
    expect(KDF_LIMITS).toMatchObject({
      scryptMinN: 32768,
      scryptMinR: 8,
      scryptMaxWork: 2 ** 23,
      argon2idMinM: 65536,
      argon2idMinT: 3,
      argon2idMaxWork: 786432,
      maxMemoryBytes: 2 ** 30,
    });
  });
});

describe('the floors hold on write and on open', () => {
  it('encryptKeystore refuses weak parameters before drawing any randomness', async () => {
    const key = generateKey('ed25519', { rng: nodeRandom });
    let drawn = 0;
    const rng = { randomBytes: (n: number) => ((drawn += n), nodeRandom.randomBytes(n)) };
    await expect(encryptKeystore(key, pass, { rng, kdf: { function: 'scrypt', n: 1024, r: 8, p: 1 } })).rejects.toMatchObject({
      code: 'KEYSTORE_KDF_TOO_WEAK',
      parameter: 'n',
    });
    await expect(encryptKeystore(key, pass, { rng, kdf: { function: 'argon2id', m: 8, t: 1, p: 1 } })).rejects.toMatchObject({
      code: 'KEYSTORE_KDF_TOO_WEAK',
      parameter: 'm',
    });
    expect(drawn).toBe(0);
  });

  it('a file with weak or hostile parameters is refused at once, without running the KDF', async () => {
    const key = generateKey('ed25519', { rng: nodeRandom });
    const json = await encryptKeystore(key, pass, {
      rng: nodeRandom,
      kdf: { function: 'scrypt', n: 16, r: 8, p: 1 },
      insecureTestKdf: true,
    });
    const text = JSON.stringify(json);
    await expect(decryptKeystore(text, pass)).rejects.toMatchObject({ code: 'KEYSTORE_KDF_TOO_WEAK', parameter: 'n' });
    const hostile = structuredClone(json);
    hostile.crypto.kdf.params.n = 2 ** 20;
    hostile.crypto.kdf.params.p = 16;
    let progress = 0;
    await expect(decryptKeystore(JSON.stringify(hostile), pass, { onProgress: () => progress++ })).rejects.toMatchObject({
      code: 'KEYSTORE_KDF_TOO_COSTLY',
      parameter: 'n·r·p',
    });
    expect(progress).toBe(0); // refused before the KDF started (2^27 scrypt work would take minutes)
    expect((await decryptKeystore(text, pass, { insecureTestKdf: true })).keyId).toBe(key.keyId);
  });
});
