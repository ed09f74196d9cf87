/**
 * The EIP-2335-like keystore: round trips, one typed error per kind of damage, and crash-safe writing.
 * Unit tests use cheap KDF parameters (scrypt N = 2^4, argon2id m = 8 KiB); the defaults are checked
 * only as values.
 */
import { createDecipheriv, createHash, scryptSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../crypto/fs/index.js';
import { generateKey } from '../../../crypto/keys/generate.js';
import { CryptoError } from '../../../crypto/errors.js';
import { ARGON2ID_RECOMMENDED, DEFAULT_KDF, type KdfParams } from '../../../crypto/keys/keystore-kdf.js';
import * as keystore from '../../../crypto/keys/keystore.js';
import { keystoreFileName, type KeystoreJson, type KeystoreJsonV1 } from '../../../crypto/keys/keystore.js';
import { SOFTWARE_SCHEMES } from '../../../crypto/keys/schemes.js';
import { hex, nodeRandom, streamRandom, toHex } from './helpers.js';

// Cheap KDF parameters pass only with the explicit test-only option (the floors are unchanged for users).
const T = { insecureTestKdf: true } as const;
type EncOpts = Parameters<typeof keystore.encryptKeystore>[2];
type WriteOpts = Parameters<typeof keystore.writeKeystore>[3];
const encryptKeystore = (k: Parameters<typeof keystore.encryptKeystore>[0], p: Uint8Array, o: EncOpts) =>
  keystore.encryptKeystore(k, p, { ...o, ...T });
const decryptKeystore = (i: string | Uint8Array, p: Uint8Array) => keystore.decryptKeystore(i, p, T);
const inspectKeystore = (i: string | Uint8Array) => keystore.inspectKeystore(i, T);
const readKeystore = (path: string, p: Uint8Array) => keystore.readKeystore(path, p, T);
const writeKeystore = (d: string, k: Parameters<typeof keystore.writeKeystore>[1], p: Uint8Array, o: WriteOpts) =>
  keystore.writeKeystore(d, k, p, { ...o, ...T });

const SCRYPT_TEST: KdfParams = { function: 'scrypt', n: 16, r: 8, p: 1 };
const ARGON_TEST: KdfParams = { function: 'argon2id', m: 8, t: 1, p: 1 };
const pass = (s: string): Uint8Array => new TextEncoder().encode(s);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hrng-keystore-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function sample(kdf: KdfParams = SCRYPT_TEST): Promise<{ json: KeystoreJson; seedHex: string; text: string }> {
  const key = generateKey('ed25519', { rng: streamRandom(11) });
  const json = await encryptKeystore(key, pass('correct horse'), { rng: streamRandom(12), kdf });
  return { json, seedHex: key.seed.use(toHex), text: JSON.stringify(json, null, 2) + '\n' };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (err) {
    expect(err).toBeInstanceOf(CryptoError);
    return (err as CryptoError).code;
  }
}

describe('keystore vector (tests/vectors/keys/)', () => {
  it('the checked-in keystore decrypts to the known key', async () => {
    const meta = JSON.parse(readFileSync(new URL('../../vectors/keys/keystore-vector.json', import.meta.url), 'utf8')) as {
      keystore: string;
      passphrase: string;
      seed: string;
      publicKey: string;
      keyId: string;
      scheme: string;
    };
    const text = readFileSync(new URL(`../../vectors/keys/${meta.keystore}`, import.meta.url));
    const record = await decryptKeystore(new Uint8Array(text), hex(meta.passphrase));
    expect(record.scheme).toBe(meta.scheme);
    expect(record.keyId).toBe(meta.keyId);
    expect(toHex(record.publicKey)).toBe(meta.publicKey);
    expect(record.seed.use(toHex)).toBe(meta.seed);
  });
  it('an independent decryption with node:crypto (scrypt + AES-256-GCM) agrees with the documented format', () => {
    const meta = JSON.parse(readFileSync(new URL('../../vectors/keys/keystore-vector.json', import.meta.url), 'utf8')) as Record<
      string,
      string
    >;
    const ks = JSON.parse(readFileSync(new URL(`../../vectors/keys/${meta.keystore!}`, import.meta.url), 'utf8')) as KeystoreJsonV1;
    const params = ks.crypto.kdf.params as { n: number; r: number; p: number; salt: string };
    const dk = scryptSync(Buffer.from(meta.passphrase!, 'hex'), Buffer.from(params.salt, 'hex'), 64, {
      N: params.n,
      r: params.r,
      p: params.p,
    });
    const msg = Buffer.from(ks.crypto.cipher.message, 'hex');
    const checksum = createHash('sha256').update(dk.subarray(32)).update(msg).digest('hex');
    expect(checksum).toBe(ks.crypto.checksum.message);
    const aad = Buffer.from(['hrng-keystore', '1', ks.scheme, ks.keyId, ks.publicKey].join('\u0000'));
    const d = createDecipheriv('aes-256-gcm', dk.subarray(0, 32), Buffer.from(ks.crypto.cipher.params.iv, 'hex'));
    d.setAAD(aad);
    d.setAuthTag(msg.subarray(msg.length - 16));
    const seed = Buffer.concat([d.update(msg.subarray(0, msg.length - 16)), d.final()]);
    expect(seed.toString('hex')).toBe(meta.seed);
  });
});

describe('keystore round trip', () => {
  it.each(SOFTWARE_SCHEMES)('%s with scrypt and argon2id', async (scheme) => {
    for (const kdf of [SCRYPT_TEST, ARGON_TEST]) {
      const key = generateKey(scheme, { rng: nodeRandom, clock: { monotonicMs: () => 0, wallMs: () => 1_700_000_000_000 } });
      const json = await encryptKeystore(key, pass('pw'), { rng: nodeRandom, kdf });
      expect(json.version).toBe(2);
      expect(json.scheme).toBe(scheme);
      expect(json.keyId).toBe(key.keyId);
      expect(json.createdAt).toBe('2023-11-14T22:13:20.000Z');
      expect(json.crypto.kdf.function).toBe(kdf.function);
      expect(json.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const back = await decryptKeystore(JSON.stringify(json), pass('pw'));
      expect(back.seed.equals(key.seed)).toBe(true);
      expect(toHex(back.publicKey)).toBe(toHex(key.publicKey));
      expect(back.createdAt).toBe(key.createdAt);
    }
  });

  it('defaults are the documented strong parameters', () => {
    expect(DEFAULT_KDF).toEqual({ function: 'scrypt', n: 262144, r: 8, p: 1 });
    expect(ARGON2ID_RECOMMENDED).toEqual({ function: 'argon2id', m: 65536, t: 3, p: 4 });
  });

  it('the file holds no secret in the clear and reports KDF progress', async () => {
    const key = generateKey('ed25519', { rng: nodeRandom });
    const seen: number[] = [];
    const json = await encryptKeystore(key, pass('pw'), {
      rng: nodeRandom,
      kdf: { function: 'scrypt', n: 1024, r: 8, p: 1 },
      onProgress: (f) => seen.push(f),
    });
    const text = JSON.stringify(json);
    expect(text).not.toContain(key.seed.use(toHex));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe(1);
    expect(inspectKeystore(text)).toMatchObject({ keyId: key.keyId, scheme: 'ed25519', kdf: { function: 'scrypt', n: 1024 } });
  });
});

describe('keystore errors: one code per kind of damage', () => {
  it('wrong passphrase', async () => {
    const { text } = await sample();
    expect(await codeOf(decryptKeystore(text, pass('Correct horse')))).toBe('KEYSTORE_WRONG_PASSPHRASE');
    expect(await codeOf(decryptKeystore(text, new Uint8Array(0)))).toBe('KEYSTORE_WRONG_PASSPHRASE');
  });

  it('tampered ciphertext, tag, passphrase check, header, key id → TAMPERED', async () => {
    const { json } = await sample();
    const flip = (h: string, i: number): string => h.slice(0, i) + (h[i] === '0' ? '1' : '0') + h.slice(i + 1);
    const variants: Array<(j: KeystoreJson) => void> = [
      (j) => (j.crypto.cipher.message = flip(j.crypto.cipher.message, 0)), // ciphertext
      (j) => (j.crypto.cipher.message = flip(j.crypto.cipher.message, j.crypto.cipher.message.length - 1)), // GCM tag
      (j) => (j.crypto.passphraseCheck.message = flip(j.crypto.passphraseCheck.message, 5)),
      (j) => (j.crypto.cipher.params.iv = flip(j.crypto.cipher.params.iv, 3)), // passphrase check OK, GCM fails
      (j) => (j.keyId = flip(j.keyId, 0)),
      (j) => {
        // a different public key with its own matching key id: only the AAD binding can catch it
        const other = generateKey('ed25519', { rng: nodeRandom });
        j.publicKey = toHex(other.publicKey);
        j.keyId = other.keyId;
      },
    ];
    for (const change of variants) {
      const j = structuredClone(json);
      change(j);
      expect(await codeOf(decryptKeystore(JSON.stringify(j), pass('correct horse')))).toBe('KEYSTORE_TAMPERED');
    }
  });

  it("inspect (no passphrase, as `hrng keys list` reads) refuses a key id that is not the public key's", async () => {
    const { json } = await sample();
    const j = structuredClone(json);
    j.keyId = (j.keyId[0] === '0' ? '1' : '0') + j.keyId.slice(1);
    expect(await codeOf(Promise.resolve().then(() => inspectKeystore(JSON.stringify(j))))).toBe('KEYSTORE_TAMPERED');
    expect(inspectKeystore(JSON.stringify(json)).keyId).toBe(json.keyId);
  });

  it('a truncated file at every length → TRUNCATED (or MALFORMED if what is left is complete JSON)', async () => {
    const { text } = await sample();
    const codes = new Set<string>();
    for (let n = 0; n < text.length - 1; n++) {
      codes.add(await codeOf(decryptKeystore(text.slice(0, n), pass('correct horse'))));
    }
    expect([...codes]).toEqual(['KEYSTORE_TRUNCATED']);
  });

  it('unknown version (a missing one is MALFORMED), unsupported KDF, KDF parameters out of bounds, malformed fields', async () => {
    const { json } = await sample();
    const run = (change: (j: Record<string, any>) => void): Promise<string> => {
      const j = structuredClone(json) as Record<string, any>;
      change(j);
      return codeOf(decryptKeystore(JSON.stringify(j), pass('correct horse')));
    };
    expect(await run((j) => (j.version = 3))).toBe('KEYSTORE_UNSUPPORTED_VERSION');
    expect(await run((j) => delete j.version)).toBe('KEYSTORE_MALFORMED');
    expect(await run((j) => (j.crypto.kdf.function = 'pbkdf2'))).toBe('KEYSTORE_UNSUPPORTED_KDF');
    expect(await run((j) => (j.crypto.kdf.params.n = 2 ** 30))).toBe('KEYSTORE_KDF_TOO_COSTLY');
    expect(await run((j) => (j.crypto.kdf.params.n = 1000))).toBe('KEYSTORE_UNSUPPORTED_KDF');
    expect(await run((j) => (j.crypto.kdf.params.dklen = 32))).toBe('KEYSTORE_UNSUPPORTED_KDF');
    expect(await run((j) => (j.scheme = 'rsa'))).toBe('KEYSTORE_MALFORMED');
    expect(await run((j) => (j.crypto.cipher.function = 'aes-128-ctr'))).toBe('KEYSTORE_MALFORMED');
    expect(await run((j) => (j.crypto.cipher.message = j.crypto.cipher.message.slice(2)))).toBe('KEYSTORE_MALFORMED');
    expect(await run((j) => (j.crypto.cipher.params.iv = 'zz'))).toBe('KEYSTORE_MALFORMED');
    expect(await run((j) => delete j.crypto.passphraseCheck)).toBe('KEYSTORE_MALFORMED');
    expect(await codeOf(decryptKeystore('[1,2]', pass('x')))).toBe('KEYSTORE_MALFORMED');
    expect(await codeOf(decryptKeystore('{"version": 1,}', pass('x')))).toBe('KEYSTORE_MALFORMED');
  });

  it('error messages carry neither the passphrase nor key bytes', async () => {
    const { json, seedHex } = await sample();
    const j = structuredClone(json);
    j.crypto.cipher.message = j.crypto.cipher.message.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
    for (const p of [pass('correct horse'), pass('hunter2-secret')]) {
      try {
        await decryptKeystore(JSON.stringify(j), p);
      } catch (err) {
        const m = (err as Error).message;
        expect(m).not.toContain('hunter2');
        expect(m).not.toContain('correct horse');
        expect(m).not.toContain(seedHex);
      }
    }
  });
});

describe('writing keystores', () => {
  it('writes DIR/keystore-<keyId>.json with mode 0600 and reads it back', async () => {
    const key = generateKey('ml-dsa-65', { rng: nodeRandom });
    const path = await writeKeystore(dir, key, pass('pw'), { rng: nodeRandom, kdf: SCRYPT_TEST });
    expect(path).toBe(join(dir, keystoreFileName(key.keyId)));
    expect(readdirSync(dir)).toEqual([keystoreFileName(key.keyId)]);
    const { statSync } = await import('node:fs');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const back = await readKeystore(path, pass('pw'));
    expect(back.seed.equals(key.seed)).toBe(true);
  });

  it('refuses to overwrite an existing keystore (FS_EXISTS) and leaves it intact', async () => {
    const key = generateKey('ed25519', { rng: nodeRandom });
    const path = await writeKeystore(dir, key, pass('one'), { rng: nodeRandom, kdf: SCRYPT_TEST });
    const before = readFileSync(path, 'utf8');
    await expect(writeKeystore(dir, key, pass('two'), { rng: nodeRandom, kdf: SCRYPT_TEST })).rejects.toMatchObject({ code: 'FS_EXISTS' });
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(readdirSync(dir)).toEqual([keystoreFileName(key.keyId)]);
  });

  it('a failure injected mid-write leaves no target file and no temp litter', async () => {
    const key = generateKey('ed25519', { rng: nodeRandom });
    for (const point of ['temp-written', 'temp-synced'] as const) {
      const hooks = {
        at(p: string): void {
          if (p === point) throw new Error(`injected failure at ${p}`);
        },
      };
      await expect(writeKeystore(dir, key, pass('pw'), { rng: nodeRandom, kdf: SCRYPT_TEST, hooks })).rejects.toMatchObject({
        code: 'FS_WRITE_FAILED',
      });
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('writeFileAtomic replaces a file whole: the old content or the new, never a mix', async () => {
    const path = join(dir, 'state.json');
    await writeFileAtomic(path, new TextEncoder().encode('old'));
    await expect(
      writeFileAtomic(path, new TextEncoder().encode('new, longer content'), {
        hooks: {
          at: (p) => {
            if (p === 'temp-written') throw new Error('disk full');
          },
        },
      }),
    ).rejects.toMatchObject({ code: 'FS_WRITE_FAILED' });
    expect(readFileSync(path, 'utf8')).toBe('old');
    await writeFileAtomic(path, new TextEncoder().encode('new'));
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['state.json']);
    await expect(writeFileAtomic(join(dir, 'missing', 'x'), new Uint8Array(1))).rejects.toMatchObject({ code: 'FS_WRITE_FAILED' });
  });
});
