/**
 * On the real SoftHSM2 token: key templates state CKA_MODIFIABLE=false and CKA_COPYABLE=false (and on
 * request CKA_DESTROYABLE=false), the token enforces them (read back, and the refused operations fail),
 * AES-GCM encryption counts its invocations in a counter object on the token that a new session
 * continues and that refuses past 2^32, and `hrng hsm info|list` print clean token strings and each
 * key's id and public key.
 */
import { describe, expect, it } from 'vitest';
import { Pkcs11Hsm, deleteObjects, findAesKey, generateAesKey, generateSigningKey, listObjects } from '../../../hsm/index.js';
import {
  CKA_APPLICATION,
  CKA_CLASS,
  CKA_COPYABLE,
  CKA_DESTROYABLE,
  CKA_LABEL,
  CKA_MODIFIABLE,
  CKA_PRIVATE,
  CKA_TOKEN,
  CKA_VALUE,
  CKO_DATA,
} from '../../../hsm/constants.js';
import { findObjects } from '../../../hsm/find.js';
import {
  GCM_COUNTER_APPLICATION,
  GCM_INVOCATION_LIMIT,
  GCM_RESERVATION_BLOCK,
  decodeCount,
  encodeCount,
  gcmCounterLabel,
} from '../../../hsm/gcm-budget.js';
import { hrng, softhsmCliEnv } from '../helpers/cli.js';
import { openToken, openTokenForSuite, requireTokenOnCi, softhsm, suiteTitle, uniqueLabel, labelHandles } from '../helpers/tokens.js';

requireTokenOnCi(softhsm, 'SoftHSM2');

describe.skipIf(!softhsm.up)(suiteTitle(softhsm, 'SoftHSM2 key protections and the GCM invocation count'), () => {
  if (!softhsm.up) return;
  const token = softhsm.token;
  let hsm: Pkcs11Hsm;
  openTokenForSuite(token, (opened) => {
    hsm = opened;
  });

  const handles = (label: string): Buffer[] => labelHandles(hsm, label);
  const protections = (h: Buffer): string[] =>
    hsm.run('get', ({ lib, session }) =>
      lib
        .C_GetAttributeValue(session, h, [{ type: CKA_MODIFIABLE }, { type: CKA_COPYABLE }, { type: CKA_DESTROYABLE }])
        .map((a) => a.value.toString('hex')),
    );

  it('a signing key pair is not modifiable and not copyable (read back on both halves), and still deletable', () => {
    const label = uniqueLabel('protected');
    const { key, protections: report } = generateSigningKey(hsm, { label });
    expect(report).toEqual({ modifiable: 'enforced', copyable: 'enforced', destroyable: 'not-requested', refused: [] });
    const both = handles(label);
    expect(both.length).toBe(2);
    for (const h of both) expect(protections(h)).toEqual(['00', '00', '01']);
    const [priv] = both;
    // The token enforces them: no attribute change, no copy.
    expect(() =>
      hsm.run('C_SetAttributeValue', ({ lib, session }) =>
        lib.C_SetAttributeValue(session, priv!, [{ type: CKA_LABEL, value: 'renamed' }]),
      ),
    ).toThrow(expect.objectContaining({ call: 'C_SetAttributeValue' }));
    expect(() =>
      hsm.run('C_CopyObject', ({ lib, session }) => lib.C_CopyObject(session, priv!, [{ type: CKA_LABEL, value: 'copy' }])),
    ).toThrow(expect.objectContaining({ call: 'C_CopyObject' }));
    expect(handles('copy').length).toBe(0);
    expect(deleteObjects(hsm, { id: key.objectId })).toBe(2);
  });

  it('indestructible: CKA_DESTROYABLE=false is enforced, and C_DestroyObject is refused', () => {
    const label = uniqueLabel('forever');
    const { protections: report } = generateSigningKey(hsm, { label, indestructible: true });
    expect(report).toEqual({ modifiable: 'enforced', copyable: 'enforced', destroyable: 'enforced', refused: [] });
    for (const h of handles(label)) expect(protections(h)).toEqual(['00', '00', '00']);
    expect(() => deleteObjects(hsm, { label })).toThrow(expect.objectContaining({ call: 'C_DestroyObject' }));
    expect(handles(label).length).toBe(2);
  });

  it('AES keys carry the same protections', () => {
    const { key, protections: report } = generateAesKey(hsm, { label: uniqueLabel('aes-protected'), purpose: 'gcm' });
    expect(report.refused).toEqual([]);
    expect([report.modifiable, report.copyable]).toEqual(['enforced', 'enforced']);
    expect(protections(handles(key.label)[0]!)).toEqual(['00', '00', '01']);
  });

  const counterObjects = (objectId: string): Buffer[] =>
    hsm.run('find', ({ lib, session }) =>
      findObjects(lib, session, [
        { type: CKA_CLASS, value: CKO_DATA },
        { type: CKA_LABEL, value: gcmCounterLabel(objectId) },
        { type: CKA_APPLICATION, value: GCM_COUNTER_APPLICATION },
      ]),
    );
  const counterValue = (objectId: string): number[] =>
    counterObjects(objectId).map((h) =>
      decodeCount(
        new Uint8Array(hsm.run('get', ({ lib, session }) => lib.C_GetAttributeValue(session, h, [{ type: CKA_VALUE }])[0]!.value)),
      ),
    );

  it('counts GCM encryptions on the token: a new session continues the count', async () => {
    const { key } = generateAesKey(hsm, { label: uniqueLabel('gcm-count'), purpose: 'gcm' });
    expect(counterObjects(key.objectId)).toEqual([]);
    const sealed = key.encryptGcm(Uint8Array.of(1, 2, 3));
    expect(counterValue(key.objectId)).toEqual([GCM_RESERVATION_BLOCK]);
    key.encryptGcm(Uint8Array.of(4));
    expect(counterValue(key.objectId)).toEqual([GCM_RESERVATION_BLOCK]);
    // Another session (as another process would) reserves the next block; the old one is replaced.
    const other = await openToken(token);
    try {
      const again = findAesKey(other, { id: key.objectId });
      expect(Buffer.from(again.decryptGcm(sealed)).toString('hex')).toBe('010203');
      again.encryptGcm(Uint8Array.of(5));
    } finally {
      await other.close();
    }
    expect(counterValue(key.objectId)).toEqual([2 * GCM_RESERVATION_BLOCK]);
  });

  it('refuses encryption past 2^32 invocations under one key (HSM_IV_LIMIT), across sessions', async () => {
    const { key } = generateAesKey(hsm, { label: uniqueLabel('gcm-limit'), purpose: 'gcm' });
    // As if 2^32 − 1 encryptions had been made before.
    hsm.run('C_CreateObject', ({ lib, session }) =>
      lib.C_CreateObject(session, [
        { type: CKA_CLASS, value: CKO_DATA },
        { type: CKA_TOKEN, value: true },
        { type: CKA_PRIVATE, value: true },
        { type: CKA_LABEL, value: gcmCounterLabel(key.objectId) },
        { type: CKA_APPLICATION, value: GCM_COUNTER_APPLICATION },
        { type: CKA_VALUE, value: Buffer.from(encodeCount(GCM_INVOCATION_LIMIT - 1)) },
      ]),
    );
    expect(key.encryptGcm(Uint8Array.of(1)).iv.length).toBe(12);
    expect(() => key.encryptGcm(Uint8Array.of(2))).toThrow(expect.objectContaining({ code: 'HSM_IV_LIMIT' }));
    const other = await openToken(token);
    try {
      expect(() => findAesKey(other, { id: key.objectId }).encryptGcm(Uint8Array.of(3))).toThrow(
        expect.objectContaining({ code: 'HSM_IV_LIMIT' }),
      );
    } finally {
      await other.close();
    }
    // Decryption is not limited.
    expect(counterValue(key.objectId)).toEqual([GCM_INVOCATION_LIMIT]);
  });

  it('hrng hsm info prints no NUL or control bytes; hrng hsm list shows each key pair’s key id and public key', async () => {
    const env = softhsmCliEnv(token);
    const info = await hrng(['hsm', 'info'], { HRNG_PKCS11_LIBRARY: token.module, SOFTHSM2_CONF: env.SOFTHSM2_CONF });
    expect(info.code).toBe(0);
    expect(info.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/u);
    const label = uniqueLabel('listed');
    const k = await hrng(['hsm', 'keygen', '--label', label, '--json'], env);
    const made = JSON.parse(k.stdout) as { keyId: string; publicKey: string; objectId: string; protections: { refused: string[] } };
    expect(made.protections.refused).toEqual([]);
    const l = await hrng(['hsm', 'list'], env);
    const rows = l.stdout.split('\n').filter((line) => line.startsWith(label));
    expect(rows.length).toBe(2);
    for (const row of rows) expect(row.split(/\s+/).slice(3)).toEqual([made.objectId, made.keyId, made.publicKey]);
    const j = await hrng(['hsm', 'list', '--json'], env);
    const listed = (JSON.parse(j.stdout) as { label: string; publicKey?: string; keyId?: string }[]).filter((o) => o.label === label);
    expect(listed.map((o) => [o.keyId, o.publicKey])).toEqual([
      [made.keyId, made.publicKey],
      [made.keyId, made.publicKey],
    ]);
    expect(
      listObjects(hsm)
        .filter((o) => o.kind === 'secret-key')
        .every((o) => o.publicKey === undefined),
    ).toBe(true);
  });
});
