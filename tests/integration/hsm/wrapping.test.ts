/**
 * AES-256-GCM and AES key wrap with SoftHSM2-held keys. Keys generated on the token show round trips and
 * tamper detection; keys imported with a known value let an independent implementation (@noble/ciphers)
 * confirm the token computes exactly SP 800-38D GCM, RFC 3394 and RFC 5649.
 */
import { aeskw, aeskwp, gcm } from '@noble/ciphers/aes.js';
import { describe, expect, it } from 'vitest';
import { HsmError, Pkcs11Hsm, deleteObjects, findAesKey, generateAesKey, type AesKeyPurpose } from '../../../hsm/index.js';
import { CKA_CLASS, CKA_ID, CKA_VALUE, CKM_AES_KEY_WRAP_KWP, CKM_AES_KEY_WRAP_PAD, CKO_SECRET_KEY } from '../../../hsm/constants.js';
import { findObjects } from '../../../hsm/find.js';
import { newObjectId } from '../../../hsm/object-id.js';
import { aesKeyTemplate, sessionSecretTemplate } from '../../../hsm/wrapping.js';
import type { Pkcs11Handle, Pkcs11Lib } from '../../../hsm/index.js';
import { openTokenForSuite, requireTokenOnCi, softhsm, suiteTitle, uniqueLabel } from '../helpers/tokens.js';

requireTokenOnCi(softhsm, 'SoftHSM2');

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const eq = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

function findAesKeyHandle(lib: Pkcs11Lib, session: Pkcs11Handle, idHex: string): Pkcs11Handle {
  const [handle] = findObjects(lib, session, [
    { type: CKA_CLASS, value: CKO_SECRET_KEY },
    { type: CKA_ID, value: Buffer.from(idHex, 'hex') },
  ]);
  if (handle === undefined) throw new Error(`no secret key with id ${idHex}`);
  return handle;
}

describe.skipIf(!softhsm.up)(suiteTitle(softhsm, 'SoftHSM2 wrapping keys'), () => {
  if (!softhsm.up) return;
  const token = softhsm.token;
  let hsm: Pkcs11Hsm;
  openTokenForSuite(token, (opened) => {
    hsm = opened;
  });

  /**
   * Imports a known AES-256 key (test only: production keys are generated on the token), with the same
   * template generation uses plus the value.
   */
  function importKey(value: Uint8Array, purpose: AesKeyPurpose): string {
    const label = uniqueLabel(`known-${purpose}`);
    const template = [
      ...aesKeyTemplate(label, newObjectId(hsm.generateRandom(12)), purpose),
      { type: CKA_VALUE, value: Buffer.from(value) },
    ];
    hsm.run('C_CreateObject', ({ lib, session }) => lib.C_CreateObject(session, template));
    return label;
  }

  it('encrypts and decrypts with a generated AES-256-GCM key, with a fresh 12-byte IV each time', () => {
    const key = generateAesKey(hsm, { label: uniqueLabel('gcm'), purpose: 'gcm' }).key;
    const plaintext = new TextEncoder().encode('validator key share 3 of 5');
    const aad = new TextEncoder().encode('hrng-keystore v1');
    const a = key.encryptGcm(plaintext, { aad });
    const b = key.encryptGcm(plaintext, { aad });
    expect(a.iv.length).toBe(12);
    expect(a.ciphertext.length).toBe(plaintext.length + 16);
    expect(eq(a.iv, b.iv)).toBe(false);
    expect(eq(a.ciphertext, b.ciphertext)).toBe(false);
    expect(eq(key.decryptGcm(a, { aad }), plaintext)).toBe(true);
    expect(eq(findAesKey(hsm, { id: key.objectId }).decryptGcm(b, { aad }), plaintext)).toBe(true);
  });

  it('rejects a tampered ciphertext, tag, IV or AAD with HSM_DECRYPT_FAILED, and keeps working after', () => {
    const key = generateAesKey(hsm, { label: uniqueLabel('gcm-tamper'), purpose: 'gcm' }).key;
    const plaintext = Uint8Array.from({ length: 40 }, (_, i) => i);
    const aad = Uint8Array.of(1, 2, 3);
    const sealed = key.encryptGcm(plaintext, { aad });
    const flip = (bytes: Uint8Array, i: number): Uint8Array => {
      const c = bytes.slice();
      c[i] = (c[i] ?? 0) ^ 0x01;
      return c;
    };
    const attempts: [string, () => Uint8Array][] = [
      ['ciphertext', () => key.decryptGcm({ iv: sealed.iv, ciphertext: flip(sealed.ciphertext, 0) }, { aad })],
      ['tag', () => key.decryptGcm({ iv: sealed.iv, ciphertext: flip(sealed.ciphertext, sealed.ciphertext.length - 1) }, { aad })],
      ['iv', () => key.decryptGcm({ iv: flip(sealed.iv, 11), ciphertext: sealed.ciphertext }, { aad })],
      ['aad', () => key.decryptGcm(sealed, { aad: flip(aad, 2) })],
      ['no aad', () => key.decryptGcm(sealed)],
    ];
    for (const [what, attempt] of attempts) {
      let caught: unknown;
      try {
        attempt();
      } catch (e) {
        caught = e;
      }
      expect(caught, what).toBeInstanceOf(HsmError);
      expect((caught as HsmError).code, what).toBe('HSM_DECRYPT_FAILED');
      expect((caught as HsmError).call, what).toBe('C_Decrypt');
    }
    expect(eq(key.decryptGcm(sealed, { aad }), plaintext)).toBe(true);
  });

  it('computes exactly SP 800-38D AES-256-GCM (checked with @noble/ciphers on a known key), with token IVs only', () => {
    const k = hex('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308');
    const key = findAesKey(hsm, { label: importKey(k, 'gcm') });
    const iv = hex('cafebabefacedbaddecaf888');
    const pt = hex(
      'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
    );
    const aad = hex('feedfacedeadbeeffeedfacedeadbeefabaddad2');
    // The GCM spec's test case 16 (AES-256, 60-byte plaintext, 20-byte AAD), decrypted on the token.
    const tc16 = gcm(k, iv, aad).encrypt(pt);
    expect(Buffer.from(tc16.subarray(-16)).toString('hex')).toBe('76fc6ece0f4e1768cddf8853bb2d551b');
    expect(eq(key.decryptGcm({ iv, ciphertext: tc16 }, { aad }), pt)).toBe(true);
    // Encryption picks its own IV; what it returns is exactly GCM under that IV.
    const sealed = key.encryptGcm(pt, { aad });
    expect(Buffer.from(sealed.ciphertext).toString('hex')).toBe(Buffer.from(gcm(k, sealed.iv, aad).encrypt(pt)).toString('hex'));
    // No caller-supplied IV, even through an untyped call.
    expect(() => key.encryptGcm(pt, { aad, iv } as never)).toThrow(expect.objectContaining({ code: 'HSM_INVALID_ARGUMENT' }));
  });

  it('wraps with RFC 3394 and RFC 5649 exactly (checked with @noble/ciphers), and unwraps', () => {
    const kekBytes = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    const kek = findAesKey(hsm, { label: importKey(kekBytes, 'wrap') });
    expect(kek.purpose).toBe('wrap');
    const secret = hex('00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f');
    const wrapped = kek.wrap(secret);
    // RFC 3394 §4.6: 256-bit key data with a 256-bit KEK.
    expect(Buffer.from(wrapped).toString('hex')).toBe('28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21');
    expect(eq(wrapped, aeskw(kekBytes).encrypt(secret))).toBe(true);
    expect(eq(kek.unwrap(wrapped), secret)).toBe(true);
    expect(() => kek.wrap(hex('c37b7e6492584340bed12207808941155068f738'))).toThrow(
      expect.objectContaining({ code: 'HSM_INVALID_ARGUMENT' }),
    );
  });

  it('refuses RFC 5649 on SoftHSM, whose CKM_AES_KEY_WRAP_PAD zero-pads first and loses the length', () => {
    const kekBytes = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    const kek = findAesKey(hsm, { label: importKey(kekBytes, 'wrap') });
    const odd = hex('c37b7e6492584340bed12207808941155068f738');
    expect(hsm.supports(CKM_AES_KEY_WRAP_KWP)).toBe(false);
    expect(() => kek.wrap(odd, { padding: true })).toThrow(expect.objectContaining({ code: 'HSM_MECHANISM_UNSUPPORTED' }));
    // Why: what the token's _PAD mechanism computes is RFC 5649 of the input zero-padded to 24 bytes,
    // not RFC 5649 of the 20 bytes given. If a SoftHSM upgrade fixes this, this test says so.
    const padded = new Uint8Array(24);
    padded.set(odd);
    const viaPad = hsm.run('C_WrapKey', ({ lib, session }) => {
      const temp = lib.C_CreateObject(session, sessionSecretTemplate({ value: odd }));
      const handle = findAesKeyHandle(lib, session, kek.objectId);
      try {
        return new Uint8Array(lib.C_WrapKey(session, { mechanism: CKM_AES_KEY_WRAP_PAD }, handle, temp, Buffer.alloc(64)));
      } finally {
        lib.C_DestroyObject(session, temp);
      }
    });
    expect(eq(viaPad, aeskwp(kekBytes).encrypt(padded))).toBe(true);
    expect(eq(viaPad, aeskwp(kekBytes).encrypt(odd))).toBe(false);
  });

  it('detects a tampered wrapped key, and keeps each key to its one purpose', () => {
    const kek = generateAesKey(hsm, { label: uniqueLabel('kek'), purpose: 'wrap' }).key;
    const secret = hsm.generateRandom(32);
    const wrapped = kek.wrap(secret);
    expect(wrapped.length).toBe(40);
    expect(eq(kek.unwrap(wrapped), secret)).toBe(true);
    const bad = wrapped.slice();
    bad[5] = (bad[5] ?? 0) ^ 0x80;
    expect(() => kek.unwrap(bad)).toThrow(expect.objectContaining({ code: 'HSM_DECRYPT_FAILED' }));
    expect(eq(kek.unwrap(wrapped), secret)).toBe(true);
    expect(() => kek.encryptGcm(secret)).toThrow(expect.objectContaining({ code: 'HSM_INVALID_ARGUMENT' }));
    const enc = generateAesKey(hsm, { label: uniqueLabel('enc'), purpose: 'gcm' }).key;
    expect(() => enc.wrap(secret)).toThrow(expect.objectContaining({ code: 'HSM_INVALID_ARGUMENT' }));
    expect(deleteObjects(hsm, { label: kek.label })).toBe(1);
    expect(() => findAesKey(hsm, { label: kek.label })).toThrow(expect.objectContaining({ code: 'HSM_KEY_NOT_FOUND' }));
  });
});
