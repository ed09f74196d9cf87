/**
 * HsmHmacKey on the real SoftHSM2 token: generated with the key protections (read back through the raw
 * attributes, and enforced: no change, no copy), opened only when it is a 32-byte, always-sensitive,
 * never-extractable, sign-only generic secret; and the token's CKM_SHA256_HMAC, as this module calls it,
 * equals HMAC-SHA-256 computed by @noble/hashes for a key imported with a known value (RFC 4231 test
 * case 6, and a random 32-byte key). HsmHmacKey itself refuses such a key, so that comparison goes through
 * the module's one C_Sign function; generated keys are compared by opening twice and across keys.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { HsmHmacKey, Pkcs11Hsm, deleteObjects, generateAesKey, type Pkcs11Template } from '../../../hsm/index.js';
import {
  CKA_CLASS,
  CKA_COPYABLE,
  CKA_DERIVE,
  CKA_DESTROYABLE,
  CKA_EXTRACTABLE,
  CKA_ID,
  CKA_KEY_TYPE,
  CKA_LABEL,
  CKA_MODIFIABLE,
  CKA_SENSITIVE,
  CKA_SIGN,
  CKA_TOKEN,
  CKA_VALUE,
  CKA_VALUE_LEN,
  CKK_GENERIC_SECRET,
  CKM_GENERIC_SECRET_KEY_GEN,
  CKO_SECRET_KEY,
} from '../../../hsm/constants.js';
import { tokenHmacSha256 } from '../../../hsm/hmac-key.js';
import { openTokenForSuite, requireTokenOnCi, softhsm, suiteTitle, uniqueLabel, labelHandles } from '../helpers/tokens.js';

requireTokenOnCi(softhsm, 'SoftHSM2');

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe.skipIf(!softhsm.up)(suiteTitle(softhsm, 'SoftHSM2 HMAC-SHA-256 keys (HsmHmacKey)'), () => {
  if (!softhsm.up) return;
  const token = softhsm.token;
  let hsm: Pkcs11Hsm;
  openTokenForSuite(token, (opened) => {
    hsm = opened;
  });

  const handles = (label: string): Buffer[] => labelHandles(hsm, label);
  const raw = (h: Buffer, types: number[]): string[] =>
    hsm.run('get', ({ lib, session }) =>
      lib
        .C_GetAttributeValue(
          session,
          h,
          types.map((type) => ({ type })),
        )
        .map((a) => a.value.toString('hex')),
    );
  /** A session object (gone with the session) with a known value: what production never does. */
  const importSecret = (label: string, value: Uint8Array, extra: Pkcs11Template = []): Buffer =>
    hsm.run('C_CreateObject', ({ lib, session }) =>
      lib.C_CreateObject(session, [
        { type: CKA_CLASS, value: CKO_SECRET_KEY },
        { type: CKA_KEY_TYPE, value: CKK_GENERIC_SECRET },
        { type: CKA_TOKEN, value: false },
        { type: CKA_SIGN, value: true },
        { type: CKA_LABEL, value: label },
        { type: CKA_VALUE, value: Buffer.from(value) },
        ...extra,
      ]),
    );
  /** A token-generated session key with a template of the test's choosing (to plant one wrong attribute). */
  const generateRaw = (label: string, extra: Pkcs11Template): Buffer => {
    const defaults: Pkcs11Template = [
      { type: CKA_CLASS, value: CKO_SECRET_KEY },
      { type: CKA_KEY_TYPE, value: CKK_GENERIC_SECRET },
      { type: CKA_TOKEN, value: false },
      { type: CKA_SENSITIVE, value: true },
      { type: CKA_EXTRACTABLE, value: false },
      { type: CKA_SIGN, value: true },
      { type: CKA_VALUE_LEN, value: 32 },
      { type: CKA_LABEL, value: label },
    ];
    const template = [...defaults.filter((d) => !extra.some((e) => e.type === d.type)), ...extra];
    return hsm.run('C_GenerateKey', ({ lib, session }) => lib.C_GenerateKey(session, { mechanism: CKM_GENERIC_SECRET_KEY_GEN }, template));
  };
  const message = new TextEncoder().encode('hrng/quorum/v1/wrap agent-1');

  it('generates with CKA_MODIFIABLE/CKA_COPYABLE false, read back and enforced; a used label is refused', () => {
    const label = uniqueLabel('hmac');
    const { key, protections } = HsmHmacKey.generate(hsm, { label });
    expect(protections).toEqual({ modifiable: 'enforced', copyable: 'enforced', destroyable: 'not-requested', refused: [] });
    const [h, extra] = handles(label);
    expect(extra).toBeUndefined();
    expect(raw(h!, [CKA_MODIFIABLE, CKA_COPYABLE, CKA_DESTROYABLE, CKA_SENSITIVE, CKA_EXTRACTABLE, CKA_SIGN, CKA_DERIVE])).toEqual([
      '00',
      '00',
      '01',
      '01',
      '00',
      '01',
      '00',
    ]);
    expect(raw(h!, [CKA_VALUE_LEN])[0]).toMatch(/^20(00)+$/);
    expect(key.objectId).toMatch(/^68726e67[0-9a-f]{24}$/);
    expect(raw(h!, [CKA_ID])).toEqual([key.objectId]);
    expect(() =>
      hsm.run('C_SetAttributeValue', ({ lib, session }) => lib.C_SetAttributeValue(session, h!, [{ type: CKA_DERIVE, value: true }])),
    ).toThrow(expect.objectContaining({ call: 'C_SetAttributeValue' }));
    expect(() => hsm.run('C_CopyObject', ({ lib, session }) => lib.C_CopyObject(session, h!, []))).toThrow(
      expect.objectContaining({ call: 'C_CopyObject' }),
    );
    expect(handles(label).length).toBe(1);
    expect(() => HsmHmacKey.generate(hsm, { label })).toThrow(expect.objectContaining({ code: 'HSM_KEY_EXISTS' }));
    expect(String(key)).toBe(`HsmHmacKey(${label})`);
    expect(JSON.stringify({ key })).toBe(`{"key":"HsmHmacKey(${label})"}`);
    expect(deleteObjects(hsm, { id: key.objectId })).toBe(1);
  });

  it("the token's CKM_SHA256_HMAC equals HMAC-SHA-256 in software (RFC 4231 case 6; a random 32-byte key)", () => {
    // Case 6 (a 131-byte key): SoftHSM refuses HMAC-SHA-256 keys shorter than 32 bytes (CKR_KEY_SIZE_RANGE).
    const rfcKey = new Uint8Array(131).fill(0xaa);
    const rfcData = new TextEncoder().encode('Test Using Larger Than Block-Size Key - Hash Key First');
    const rfcMac = '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54';
    expect(hex(hmac(sha256, rfcKey, rfcData))).toBe(rfcMac);
    const a = importSecret(uniqueLabel('hmac-rfc4231'), rfcKey);
    expect(hex(tokenHmacSha256(hsm, a, rfcData))).toBe(rfcMac);
    const known = hsm.generateRandom(32);
    const knownLabel = uniqueLabel('hmac-known');
    const b = importSecret(knownLabel, known);
    for (const m of [message, new Uint8Array(1), new Uint8Array(1000).fill(0xa5)])
      expect(hex(tokenHmacSha256(hsm, b, m))).toBe(hex(hmac(sha256, known, m)));
    // And the class refuses that very key: its value is known outside the token (and readable: not sensitive).
    expect(() => HsmHmacKey.open(hsm, { label: knownLabel })).toThrow(
      expect.objectContaining({ code: 'HSM_KEY_INVALID', message: expect.stringContaining('CKA_SENSITIVE is false') }),
    );
    for (const h of [a, b]) hsm.run('C_DestroyObject', ({ lib, session }) => lib.C_DestroyObject(session, h));
  });

  it('the same key gives the same 32 bytes on every open; another key, or another message, differs', () => {
    const label = uniqueLabel('hmac-same');
    const made = HsmHmacKey.generate(hsm, { label }).key;
    const other = HsmHmacKey.generate(hsm, { label: uniqueLabel('hmac-other') }).key;
    const reopened = HsmHmacKey.open(hsm, { label });
    const byId = HsmHmacKey.open(hsm, { id: made.objectId });
    const mac = made.hmacSha256(message);
    expect(mac.length).toBe(32);
    expect(mac).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(mac)).toBe(false);
    expect(hex(reopened.hmacSha256(message))).toBe(hex(mac));
    expect(hex(byId.hmacSha256(message))).toBe(hex(mac));
    expect(reopened.objectId).toBe(made.objectId);
    expect(reopened.label).toBe(label);
    expect(hex(other.hmacSha256(message))).not.toBe(hex(mac));
    expect(hex(made.hmacSha256(Uint8Array.of(...message, 0x01)))).not.toBe(hex(mac));
    expect(() => made.hmacSha256(new Uint8Array())).toThrow(expect.objectContaining({ code: 'HSM_INVALID_ARGUMENT' }));
    // The session still works after the refusal.
    expect(hex(made.hmacSha256(message))).toBe(hex(mac));
    for (const k of [made, other]) expect(deleteObjects(hsm, { id: k.objectId })).toBe(1);
  });

  it('open refuses a missing, an ambiguous, a wrong-typed, a short, an extractable, an imported or a multi-use key', () => {
    expect(() => HsmHmacKey.open(hsm, { label: uniqueLabel('hmac-none') })).toThrow(expect.objectContaining({ code: 'HSM_KEY_NOT_FOUND' }));
    const twice = uniqueLabel('hmac-twice');
    const made: Buffer[] = [generateRaw(twice, []), generateRaw(twice, [])];
    expect(() => HsmHmacKey.open(hsm, { label: twice })).toThrow(expect.objectContaining({ code: 'HSM_KEY_AMBIGUOUS' }));

    const refused = (label: string, why: string): void =>
      expect(() => HsmHmacKey.open(hsm, { label })).toThrow(
        expect.objectContaining({ code: 'HSM_KEY_INVALID', message: expect.stringContaining(why) }),
      );
    const aes = generateAesKey(hsm, { label: uniqueLabel('hmac-aes'), purpose: 'gcm' }).key;
    refused(aes.label, 'not a generic secret key');
    expect(deleteObjects(hsm, { id: aes.objectId })).toBe(1);

    // Each made on the token with one attribute wrong; the check that refuses it is named.
    for (const [prefix, wrong, why] of [
      ['hmac-short', { type: CKA_VALUE_LEN, value: 16 }, 'not 32 bytes'],
      ['hmac-nosign', { type: CKA_SIGN, value: false }, 'cannot sign'],
      ['hmac-derive', { type: CKA_DERIVE, value: true }, 'has a usage besides HMAC'],
      ['hmac-exportable', { type: CKA_EXTRACTABLE, value: true }, 'CKA_EXTRACTABLE is true'],
    ] as const) {
      const label = uniqueLabel(prefix);
      made.push(generateRaw(label, [wrong]));
      refused(label, why);
    }

    const extractable = uniqueLabel('hmac-extractable');
    made.push(
      importSecret(extractable, new Uint8Array(32).fill(7), [
        { type: CKA_SENSITIVE, value: false },
        { type: CKA_EXTRACTABLE, value: true },
      ]),
    );
    refused(extractable, 'CKA_SENSITIVE is false');
    const imported = uniqueLabel('hmac-imported');
    made.push(
      importSecret(imported, new Uint8Array(32).fill(7), [
        { type: CKA_SENSITIVE, value: true },
        { type: CKA_EXTRACTABLE, value: false },
      ]),
    );
    refused(imported, 'CKA_ALWAYS_SENSITIVE is false');
    for (const h of made) hsm.run('C_DestroyObject', ({ lib, session }) => lib.C_DestroyObject(session, h));
  });
});
