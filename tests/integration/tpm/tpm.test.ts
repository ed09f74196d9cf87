/**
 * hsm/ against a software TPM (swtpm) through tpm2-pkcs11, brought up by scripts/tokens/with-tokens.sh.
 * The TPM has no Ed25519, so keys fall back to ECDSA P-256, and says so. Serial by design: without
 * tpm2-abrmd, concurrent clients exhaust the TPM's object slots.
 */
import { p256 } from '@noble/curves/nist.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyIdOf } from '../../../crypto/keys/key-id.js';
import { Pkcs11EntropySource, Pkcs11Hsm, deleteObjects, findSigningKey, generateSigningKey, listObjects } from '../../../hsm/index.js';
import { CKA_EXTRACTABLE, CKA_NEVER_EXTRACTABLE, CKA_SENSITIVE, CKM_EDDSA } from '../../../hsm/constants.js';
import {
  flushTpm,
  openToken,
  openWithWrongPin,
  pinOf,
  pkcs11ToolObjects,
  privateKeyHandle,
  readPrivateValueError,
  recordingLogger,
  requireTokenOnCi,
  scratchDir,
  signWhileReading,
  suiteTitle,
  tpm,
  tpmDictionaryLockout,
  uniqueLabel,
  wrongPinFile,
} from '../helpers/tokens.js';

requireTokenOnCi(tpm, 'TPM');

describe.skipIf(!tpm.up)(suiteTitle(tpm, 'TPM token (swtpm + tpm2-pkcs11)'), () => {
  if (!tpm.up) return;
  const token = tpm.token;
  const open = (logger = recordingLogger()) => openToken(token, logger);
  const scratch = scratchDir('hrng-tpm-test-');

  // First, while nothing in this process is logged in, so that the TPM itself judges the PIN.
  // The bring-up script relaxed the dictionary-attack limits; a real TPM locks after three tries.
  it('rejects a wrong PIN with a typed error, and no PIN appears in the error or the logs', async () => {
    const { err, output, wrong } = await openWithWrongPin(token, scratch());
    expect(err).toMatchObject({ code: 'HSM_PIN_INCORRECT', ckr: 'CKR_PIN_INCORRECT', call: 'C_Login' });
    expect(output).not.toContain(wrong);
    expect(output).not.toContain(pinOf(token));
  });

  // Each test gets its own session: swtpm without a resource manager has three transient object slots,
  // tpm2-pkcs11 keeps every key it touched loaded, and only a flush between sessions frees them.
  describe('with a logged-in session', () => {
    let hsm: Pkcs11Hsm;
    beforeEach(async () => {
      flushTpm(token);
      hsm = await open();
    });
    afterEach(async () => {
      await hsm.close();
      flushTpm(token);
    });

    it('opens the TPM token by label; it lists no Ed25519', () => {
      const info = hsm.tokenInfo();
      expect(info.label).toBe(token.label);
      expect(info.hasRng).toBe(true);
      expect(hsm.supports(CKM_EDDSA)).toBe(false);
    });

    it('returns random bytes from the TPM that differ between calls, also as an entropy source', () => {
      const a = hsm.generateRandom(32);
      const b = hsm.generateRandom(32);
      expect(a.length).toBe(32);
      expect(Buffer.isBuffer(a)).toBe(false);
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
      const source = new Pkcs11EntropySource(hsm, { chunkBytes: 64 });
      expect(source.id).toBe(`pkcs11:${token.label}`);
      const seed = source.read(200);
      expect(seed.length).toBe(200);
      expect(new Set(seed).size).toBeGreaterThan(60);
    });

    it('refuses an explicit Ed25519 key and falls back to ECDSA P-256, saying so', async () => {
      expect(() => generateSigningKey(hsm, { label: uniqueLabel('ed'), scheme: 'ed25519' })).toThrow(
        expect.objectContaining({ code: 'HSM_MECHANISM_UNSUPPORTED' }),
      );
      const label = uniqueLabel('p256');
      const { key, fallback } = generateSigningKey(hsm, { label });
      expect(fallback).toBe(true);
      expect(key.scheme).toBe('ecdsa-p256');
      expect(key.publicKey.length).toBe(33);
      expect([0x02, 0x03]).toContain(key.publicKey[0]);
      expect(key.keyId).toBe(keyIdOf('ecdsa-p256', key.publicKey));
      for (let i = 0; i < 8; i++) {
        const message = new TextEncoder().encode(`precommit height=${i}`);
        const signature = await key.sign(message);
        expect(signature.length).toBe(64);
        // noble's defaults: SHA-256 of the message, low-S only.
        expect(p256.verify(signature, message, key.publicKey)).toBe(true);
        expect(key.verify(message, signature)).toBe(true);
        const other = message.slice();
        other[0] = (other[0] ?? 0) ^ 1;
        expect(p256.verify(signature, other, key.publicKey)).toBe(false);
      }
      const again = findSigningKey(hsm, { label });
      expect(again.keyId).toBe(key.keyId);
      expect(
        listObjects(hsm)
          .filter((o) => o.label === label)
          .map((o) => `${o.kind}:${o.keyType}`)
          .sort(),
      ).toEqual(['private-key:ecdsa-p256', 'public-key:ecdsa-p256']);
    });

    it('signs without stalling the event loop, concurrently with entropy reads', async () => {
      const { key } = generateSigningKey(hsm, { label: uniqueLabel('async') });
      const source = new Pkcs11EntropySource(hsm);
      const messages = Array.from({ length: 6 }, (_, i) => new TextEncoder().encode(`proposal ${i}`));
      const { signatures, reads: turns } = await signWhileReading(key, source, messages, 32);
      // The loop kept turning while the TPM signed on a worker thread.
      expect(turns).toBeGreaterThan(messages.length);
      for (const [i, sig] of signatures.entries()) expect(p256.verify(sig, messages[i] as Uint8Array, key.publicKey)).toBe(true);
    });

    it('keeps the private key in the TPM: reading CKA_VALUE fails', () => {
      const { key } = generateSigningKey(hsm, { label: uniqueLabel('noextract') });
      // tpm2-pkcs11 has no CKA_VALUE on a private key at all: the scalar never leaves the TPM.
      expect(readPrivateValueError(hsm, key.objectId)).toMatchObject({
        code: 'HSM_INVALID_ARGUMENT',
        ckr: 'CKR_ATTRIBUTE_TYPE_INVALID',
        call: 'C_GetAttributeValue',
      });
      const priv = privateKeyHandle(hsm, key.objectId);
      const flags = hsm.run('C_GetAttributeValue', ({ lib, session }) =>
        lib.C_GetAttributeValue(session, priv, [{ type: CKA_SENSITIVE }, { type: CKA_EXTRACTABLE }, { type: CKA_NEVER_EXTRACTABLE }]),
      );
      expect(flags.map((a) => a.value[0])).toEqual([1, 0, 1]);
    });

    it("shows the created objects to OpenSC's pkcs11-tool, and deletes them", async () => {
      const label = uniqueLabel('opensc');
      const { key } = generateSigningKey(hsm, { label });
      // pkcs11-tool is a second TPM client: it needs the object slots this process holds.
      await hsm.close();
      flushTpm(token);
      const blocks = pkcs11ToolObjects(token, label);
      expect(blocks.map((b) => b.split(';')[0]).sort()).toEqual(['Private Key Object', 'Public Key Object']);
      for (const b of blocks) expect(b).toContain(`ID:         ${key.objectId}`);
      flushTpm(token);
      hsm = await open();
      expect(deleteObjects(hsm, { id: key.objectId })).toBe(2);
      expect(() => findSigningKey(hsm, { label })).toThrow(expect.objectContaining({ code: 'HSM_KEY_NOT_FOUND' }));
    });
  });

  it('names an unsupported mechanism and a broken session with the CKR and the call', async () => {
    flushTpm(token);
    const hsm = await open();
    try {
      const { key } = generateSigningKey(hsm, { label: uniqueLabel('mech') });
      const priv = privateKeyHandle(hsm, key.objectId);
      expect(() => hsm.run('C_SignInit', ({ lib, session }) => lib.C_SignInit(session, { mechanism: CKM_EDDSA }, priv))).toThrow(
        expect.objectContaining({ code: 'HSM_MECHANISM_UNSUPPORTED', ckr: 'CKR_MECHANISM_INVALID', call: 'C_SignInit' }),
      );
      expect(() => hsm.run('C_Sign', ({ lib, session }) => lib.C_Sign(session, Buffer.alloc(32, 1), Buffer.alloc(64)))).toThrow(
        expect.objectContaining({ code: 'HSM_SESSION_BROKEN', ckr: 'CKR_OPERATION_NOT_INITIALIZED', call: 'C_Sign' }),
      );
      const message = Uint8Array.of(1, 2, 3);
      expect(p256.verify(await key.sign(message), message, key.publicKey)).toBe(true);
    } finally {
      await hsm.close();
      flushTpm(token);
    }
  });

  // Last: it locks the TPM on purpose, then clears the lockout and restores the relaxed limits.
  it('reports a locked PIN as HSM_PIN_LOCKED (CKR_PIN_LOCKED), even for the right PIN', async () => {
    const { file: wrongFile } = wrongPinFile(token, scratch(), 'wrong-for-lock.pin', '7');
    flushTpm(token);
    // Start from a zero failure counter (the first test's wrong PIN may still count).
    tpmDictionaryLockout(token, ['--clear-lockout']);
    tpmDictionaryLockout(token, ['--setup-parameters', '--max-tries=2', '--recovery-time=600', '--lockout-recovery-time=1']);
    try {
      for (let i = 0; i < 2; i++) {
        await expect(Pkcs11Hsm.open({ library: token.module, tokenLabel: token.label, pin: { file: wrongFile } })).rejects.toMatchObject({
          code: 'HSM_PIN_INCORRECT',
        });
        flushTpm(token);
      }
      const logger = recordingLogger();
      const err = await Pkcs11Hsm.open({ library: token.module, tokenLabel: token.label, pin: { file: token.pinFile }, logger }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ code: 'HSM_PIN_LOCKED', ckr: 'CKR_PIN_LOCKED', call: 'C_Login' });
      expect((err as Error).message).toContain('CKR_PIN_LOCKED');
      expect([(err as Error).message, ...logger.lines].join('\n')).not.toContain(pinOf(token));
    } finally {
      flushTpm(token);
      tpmDictionaryLockout(token, ['--clear-lockout']);
      tpmDictionaryLockout(token, ['--setup-parameters', '--max-tries=1000', '--recovery-time=1', '--lockout-recovery-time=1']);
    }
    flushTpm(token);
    const ok = await open();
    expect(ok.generateRandom(4).length).toBe(4);
    await ok.close();
    flushTpm(token);
  });
});
