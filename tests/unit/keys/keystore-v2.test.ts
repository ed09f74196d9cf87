/**
 * Keystore format v2: every header field is authenticated as AES-GCM AAD through a canonical encoding
 * (independent of JSON layout); a field the AAD does not cover is refused; v1 files still open; and
 * `upgradeKeystoreFile` rewrites v1 as v2 atomically. Cheap KDF parameters via the test-only option.
 */
import { createDecipheriv, scryptSync } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CryptoError } from '../../../crypto/errors.js';
import { generateKey } from '../../../crypto/keys/generate.js';
import { encodeHeaderV2, headerFields } from '../../../crypto/keys/keystore-header.js';
import * as keystore from '../../../crypto/keys/keystore.js';
import type { KeystoreJsonV2 } from '../../../crypto/keys/keystore.js';
import { hex, nodeRandom, streamRandom, toHex } from './helpers.js';

const T = { insecureTestKdf: true } as const;
const KDF = { function: 'scrypt', n: 16, r: 8, p: 1 } as const;
const pw = new TextEncoder().encode('correct horse');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hrng-keystore-v2-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function sample(kdf: typeof KDF | { function: 'argon2id'; m: number; t: number; p: number } = KDF): Promise<KeystoreJsonV2> {
  const key = generateKey('ed25519', { rng: streamRandom(21) });
  return keystore.encryptKeystore(key, pw, { rng: streamRandom(22), kdf, ...T });
}

/** The header fields the v2 AAD binds, as a file made by `sample()` (default KDF) carries them. */
function headerOf(json: KeystoreJsonV2): Parameters<typeof encodeHeaderV2>[0] {
  return {
    id: json.id,
    keyId: json.keyId,
    scheme: json.scheme,
    publicKey: json.publicKey,
    createdAt: json.createdAt,
    kdf: KDF,
    dklen: 64,
    salt: String(json.crypto.kdf.params.salt),
    passphraseCheckFunction: 'sha256',
    passphraseCheck: json.crypto.passphraseCheck.message,
    cipherFunction: 'aes-256-gcm',
    iv: json.crypto.cipher.params.iv,
  };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'opened';
  } catch (err) {
    expect(err).toBeInstanceOf(CryptoError);
    return (err as CryptoError).code;
  }
}

const open = (j: unknown): Promise<string> => codeOf(keystore.decryptKeystore(JSON.stringify(j), pw, T));

/** Another valid value for a field, of the right shape, so that only authentication can catch it. */
function altered(value: string): string {
  const i = value.length - 1;
  const c = value[i] ?? '0';
  return value.slice(0, i) + (c === '0' ? '1' : c === 'Z' ? 'Y' : '0');
}

describe('v2: every header field is authenticated', () => {
  // Field → the code a change to it gives. KDF parameters and salt change the derived key, so a change
  // there looks exactly like a wrong passphrase: refused either way, never opened.
  const cases: [string, (j: any) => void, string][] = [
    ['id', (j) => (j.id = altered(j.id)), 'KEYSTORE_TAMPERED'],
    ['createdAt', (j) => (j.createdAt = '2001-01-01T00:00:00.000Z'), 'KEYSTORE_TAMPERED'],
    ['createdAt (same instant, other spelling)', (j) => (j.createdAt = j.createdAt.replace('Z', '+00:00')), 'KEYSTORE_TAMPERED'],
    ['keyId', (j) => (j.keyId = altered(j.keyId)), 'KEYSTORE_TAMPERED'],
    [
      'scheme + publicKey + keyId (another valid key)',
      (j) => {
        const other = generateKey('ed25519', { rng: nodeRandom });
        j.publicKey = toHex(other.publicKey);
        j.keyId = other.keyId;
      },
      'KEYSTORE_TAMPERED',
    ],
    ['crypto.kdf.params.n', (j) => (j.crypto.kdf.params.n = 32), 'KEYSTORE_WRONG_PASSPHRASE'],
    ['crypto.kdf.params.r', (j) => (j.crypto.kdf.params.r = 9), 'KEYSTORE_WRONG_PASSPHRASE'],
    ['crypto.kdf.params.p', (j) => (j.crypto.kdf.params.p = 2), 'KEYSTORE_WRONG_PASSPHRASE'],
    ['crypto.kdf.params.salt', (j) => (j.crypto.kdf.params.salt = altered(j.crypto.kdf.params.salt)), 'KEYSTORE_WRONG_PASSPHRASE'],
    [
      'crypto.passphraseCheck.message',
      (j) => (j.crypto.passphraseCheck.message = altered(j.crypto.passphraseCheck.message)),
      'KEYSTORE_TAMPERED',
    ],
    ['crypto.cipher.params.iv', (j) => (j.crypto.cipher.params.iv = altered(j.crypto.cipher.params.iv)), 'KEYSTORE_TAMPERED'],
    ['crypto.cipher.message (ciphertext)', (j) => (j.crypto.cipher.message = 'ff' + j.crypto.cipher.message.slice(2)), 'KEYSTORE_TAMPERED'],
    ['crypto.cipher.message (tag)', (j) => (j.crypto.cipher.message = altered(j.crypto.cipher.message)), 'KEYSTORE_TAMPERED'],
  ];
  it.each(cases)('a change to %s is refused', async (_name, change, code) => {
    const j = structuredClone(await sample());
    change(j);
    expect(await open(j)).toBe(code);
  });

  it('argon2id parameters m, t, p are bound too', async () => {
    const json = await sample({ function: 'argon2id', m: 16, t: 1, p: 1 });
    expect(await open(json)).toBe('opened');
    for (const [k, v] of [
      ['m', 24],
      ['t', 2],
      ['p', 2],
    ] as const) {
      const j = structuredClone(json) as any;
      j.crypto.kdf.params[k] = v;
      expect([k, await open(j)]).toEqual([k, 'KEYSTORE_WRONG_PASSPHRASE']);
    }
  });

  it('the AAD covers every field of the file except the ciphertext (checked against the file itself)', async () => {
    const json = await sample();
    const leaves: string[] = [];
    const walk = (o: Record<string, unknown>, prefix: string): void => {
      for (const [k, v] of Object.entries(o)) {
        if (typeof v === 'object' && v !== null) walk(v as Record<string, unknown>, `${prefix}${k}.`);
        else leaves.push(`${prefix}${k}`);
      }
    };
    walk(json as unknown as Record<string, unknown>, '');
    const h = headerOf(json);
    const bound = headerFields(h).map(([name]) => name);
    expect(leaves.filter((l) => !bound.includes(l))).toEqual(['crypto.cipher.message']);
  });

  it('a field the AAD does not cover is refused (MALFORMED), at any level', async () => {
    const json = await sample();
    for (const add of [
      (j: any) => (j.note = 'x'),
      (j: any) => (j.crypto.extra = 1),
      (j: any) => (j.crypto.kdf.params.dkLen = 64),
      (j: any) => (j.crypto.cipher.params.tagLength = 16),
    ]) {
      const j = structuredClone(json);
      add(j);
      expect(await open(j)).toBe('KEYSTORE_MALFORMED');
    }
  });

  it('the AAD is canonical: key order and whitespace of the JSON do not matter', async () => {
    const json = await sample();
    const reorder = (v: unknown): unknown =>
      typeof v === 'object' && v !== null
        ? Object.fromEntries(
            Object.entries(v)
              .reverse()
              .map(([k, x]) => [k, reorder(x)]),
          )
        : v;
    const text = JSON.stringify(reorder(json));
    expect(text.indexOf('"crypto"')).toBeLessThan(text.indexOf('"version"'));
    expect((await keystore.decryptKeystore(text, pw, T)).keyId).toBe(json.keyId);
    expect((await keystore.decryptKeystore(JSON.stringify(json), pw, T)).keyId).toBe(json.keyId);
  });

  it('an independent AES-256-GCM decryption (node:crypto) with the AAD built from the documented encoding', async () => {
    const json = await sample();
    const p = json.crypto.kdf.params as { n: number; r: number; p: number; salt: string };
    const dk = scryptSync(Buffer.from(pw), Buffer.from(p.salt, 'hex'), 64, { N: p.n, r: p.r, p: p.p });
    const fields: [string, string][] = [
      ['version', '2'],
      ['id', json.id],
      ['keyId', json.keyId],
      ['scheme', json.scheme],
      ['publicKey', json.publicKey],
      ['createdAt', json.createdAt],
      ['crypto.kdf.function', 'scrypt'],
      ['crypto.kdf.params.dklen', '64'],
      ['crypto.kdf.params.n', String(p.n)],
      ['crypto.kdf.params.r', String(p.r)],
      ['crypto.kdf.params.p', String(p.p)],
      ['crypto.kdf.params.salt', p.salt],
      ['crypto.passphraseCheck.function', 'sha256'],
      ['crypto.passphraseCheck.message', json.crypto.passphraseCheck.message],
      ['crypto.cipher.function', 'aes-256-gcm'],
      ['crypto.cipher.params.iv', json.crypto.cipher.params.iv],
    ];
    const aad = Buffer.concat([
      Buffer.from('hrng-keystore/v2'),
      ...fields.map(([n, v]) => {
        const len = Buffer.alloc(4);
        len.writeUInt32BE(Buffer.byteLength(v));
        return Buffer.concat([Buffer.from(n), Buffer.of(0), len, Buffer.from(v)]);
      }),
    ]);
    const msg = Buffer.from(json.crypto.cipher.message, 'hex');
    const d = createDecipheriv('aes-256-gcm', dk.subarray(0, 32), Buffer.from(json.crypto.cipher.params.iv, 'hex'));
    d.setAAD(aad);
    d.setAuthTag(msg.subarray(msg.length - 16));
    const seed = Buffer.concat([d.update(msg.subarray(0, msg.length - 16)), d.final()]);
    const key = generateKey('ed25519', { rng: streamRandom(21) });
    expect(seed.toString('hex')).toBe(key.seed.use(toHex));
    expect(Buffer.from(encodeHeaderV2(headerOf(json))).equals(aad)).toBe(true);
  });
});

describe('v1 files', () => {
  const vector = (): { path: string; seed: string; keyId: string; passphrase: Uint8Array } => {
    const meta = JSON.parse(readFileSync(new URL('../../vectors/keys/keystore-vector.json', import.meta.url), 'utf8')) as Record<
      string,
      string
    >;
    const path = join(dir, 'keystore-v1.json');
    copyFileSync(new URL(`../../vectors/keys/${meta.keystore ?? ''}`, import.meta.url), path);
    return { path, seed: meta.seed ?? '', keyId: meta.keyId ?? '', passphrase: hex(meta.passphrase ?? '') };
  };

  it('still open, and inspect reports version 1', async () => {
    const v = vector();
    expect(keystore.inspectKeystore(readFileSync(v.path), T).version).toBe(1);
    expect((await keystore.readKeystore(v.path, v.passphrase, T)).seed.use(toHex)).toBe(v.seed);
  });

  it('upgradeKeystoreFile rewrites v1 as v2 in place: same key, id and createdAt, mode 0600; a v2 file is left alone', async () => {
    const v = vector();
    const before = JSON.parse(readFileSync(v.path, 'utf8')) as { id: string; createdAt: string };
    expect(await keystore.upgradeKeystoreFile(v.path, v.passphrase, { rng: nodeRandom, ...T })).toBe('upgraded');
    const after = JSON.parse(readFileSync(v.path, 'utf8')) as KeystoreJsonV2;
    expect([after.version, after.id, after.createdAt, after.keyId]).toEqual([2, before.id, before.createdAt, v.keyId]);
    expect(statSync(v.path).mode & 0o777).toBe(0o600);
    expect((await keystore.readKeystore(v.path, v.passphrase, T)).seed.use(toHex)).toBe(v.seed);
    const text = readFileSync(v.path, 'utf8');
    expect(await keystore.upgradeKeystoreFile(v.path, v.passphrase, { rng: nodeRandom, ...T })).toBe('already-current');
    expect(readFileSync(v.path, 'utf8')).toBe(text);
    expect(readdirSync(dir)).toEqual(['keystore-v1.json']);
  });

  it('the old file stays intact until the rename: a failure before it leaves v1 byte for byte, and no litter', async () => {
    const v = vector();
    const original = readFileSync(v.path);
    for (const point of ['temp-written', 'temp-synced'] as const) {
      const hooks = {
        at: (p: string) => {
          if (p === point) throw new Error(`injected at ${p}`);
        },
      };
      await expect(keystore.upgradeKeystoreFile(v.path, v.passphrase, { rng: nodeRandom, hooks, ...T })).rejects.toMatchObject({
        code: 'FS_WRITE_FAILED',
      });
      expect(readFileSync(v.path).equals(original)).toBe(true);
      expect(readdirSync(dir)).toEqual(['keystore-v1.json']);
    }
    // A wrong passphrase changes nothing either.
    await expect(keystore.upgradeKeystoreFile(v.path, pw, { rng: nodeRandom, ...T })).rejects.toMatchObject({
      code: 'KEYSTORE_WRONG_PASSPHRASE',
    });
    expect(readFileSync(v.path).equals(original)).toBe(true);
  });

  it('a v1 file with an unauthenticated createdAt changed still opens (why v2 exists), a v2 one does not', async () => {
    const v = vector();
    const j = JSON.parse(readFileSync(v.path, 'utf8')) as Record<string, unknown>;
    j.createdAt = '2001-01-01T00:00:00.000Z';
    writeFileSync(v.path, JSON.stringify(j));
    expect((await keystore.readKeystore(v.path, v.passphrase, T)).createdAt).toBe(Date.parse('2001-01-01T00:00:00.000Z'));
  });
});
